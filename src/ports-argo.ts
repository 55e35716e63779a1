/** Argo CD's Applications as the Kube port reads them (custom resources of `argoproj.io/v1alpha1`). */
import type { JsonValue } from './core/journal/types.js';

export interface ArgoApplicationInfo {
  readonly name: string;
  readonly namespace: string;
  /** Synced | OutOfSync | Unknown. */
  readonly syncStatus?: string;
  /** Healthy | Progressing | Degraded | Missing | … */
  readonly health?: string;
  /** An `operation` is requested or running. */
  readonly operationPending: boolean;
  /** `initiatedBy.username` of the requested operation, while one is pending. */
  readonly requestedBy?: string;
  /** The last operation: Running | Succeeded | Failed | Error | Terminating. */
  readonly operationPhase?: string;
  readonly operationMessage?: string;
  /** `initiatedBy.username` of the last operation. */
  readonly operationBy?: string;
  /** `spec.syncPolicy.automated`, when automated sync is on. */
  readonly automated?: { readonly [key: string]: JsonValue };
  readonly destinationNamespace?: string;
  /** The resources it manages (from its status). */
  readonly resources: readonly { readonly kind: string; readonly namespace?: string; readonly name: string }[];
  /** The hooks the last sync ran (`operationState.syncResult.resources` with a `hookType`), e.g. a PreSync Job. */
  readonly hooks?: readonly ArgoHookResult[];
  /** The images its resources run (`status.summary.images`). */
  readonly images?: readonly string[];
}

export interface ArgoHookResult {
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  /** PreSync | Sync | PostSync | SyncFail | … */
  readonly hookType: string;
  /** Running | Succeeded | Failed | Error | Terminating. */
  readonly hookPhase?: string;
  readonly message?: string;
}
