/**
 * 3.3.1 Argo CD sync: a sync operation with prune patched onto each Application (through the Kubernetes API, no
 * argocd CLI), then a watch until each is Synced and Healthy; a failed operation fails the step with its message.
 */
import { UserError } from '../../core/errors.js';
import type { UpgradeEnvironment } from '../../core/runbook/types.js';
import type { StepExecutor } from '../../engine/step-types.js';
import type { ArgoApplicationInfo, UpgradePorts } from '../../ports.js';
import { describeApp, syncInitiator, syncOperation, syncState } from './argocd.js';
import { withLock } from './lock.js';
import { ProgressLine, clusterOf, confirmTarget, targetEvidence, type Target, type UpgradeStepContext } from './target.js';
import { timeoutError, watchUntil, type WatchStarter } from './waits.js';

export interface ArgoSyncOptions {
  readonly timeoutSeconds?: number;
  /** Default `<env>.upgrade.argocd-sync`; the rollback syncs under its own step. */
  readonly stepId?: string;
  /** Who the sync is initiated by, so a rerun recognises its own operation. Default: the release. */
  readonly initiator?: (version: string) => string;
}

/** Where Argo CD's Applications are: an environment's context and its `argoNamespace`. */
export type SyncTarget = Pick<Target, 'kube' | 'context' | 'env'>;

function applications(target: SyncTarget): WatchStarter<ArgoApplicationInfo> {
  return (onChange, signal) => target.kube.watchApplications(target.context, target.env.argoNamespace, onChange, signal);
}

type SyncOutcome = { readonly failed: ArgoApplicationInfo } | { readonly synced: ArgoApplicationInfo[] };

/** Waits for someone else's operation on an Application to end: Argo CD runs one operation at a time. */
async function otherOperationDone(ctx: UpgradeStepContext, target: SyncTarget, app: ArgoApplicationInfo, timeoutSeconds: number): Promise<void> {
  ctx.log.warn(`${app.name} has an operation in progress (by ${app.operationBy ?? 'someone'}); waiting for it to end before syncing.`);
  await watchUntil(
    applications(target),
    (all) => (all.find((a) => a.name === app.name)?.operationPending === false ? true : undefined),
    { signal: ctx.signal, clock: ctx.clock, timeoutMs: timeoutSeconds * 1000, onTimeout: () => timeoutError(`the running operation on ${app.name} to end`, timeoutSeconds, describeApp(app)) },
  );
}

/** Starts a sync on each Application unless one of ours is already running or done (dev's sync shares it). */
export async function startSyncs(ctx: UpgradeStepContext, target: SyncTarget, initiator: string, timeoutSeconds: number): Promise<void> {
  for (const name of target.env.argoApplications) {
    const app = await target.kube.getApplication(target.context, target.env.argoNamespace, name);
    if (!app) throw new UserError(`There is no Argo CD application ${name} in namespace ${target.env.argoNamespace} of context ${target.context}: check the environment's argoApplications.`, 'missing-application');
    const ours = app.operationPending ? app.requestedBy === initiator : app.operationBy === initiator && syncState(app, initiator) !== 'failed';
    if (ours) {
      ctx.log.info(`${name}: this release's sync is already ${app.operationPending ? 'requested' : (app.operationPhase ?? 'done')}; not starting another.`);
      continue;
    }
    if (app.operationPending) await otherOperationDone(ctx, target, app, timeoutSeconds);
    ctx.log.info(`argocd app sync ${name} --prune (Application ${target.env.argoNamespace}/${name}, context ${target.context})`);
    await target.kube.patchApplication(target.context, target.env.argoNamespace, name, syncOperation(initiator));
  }
}

export async function waitSynced(ctx: UpgradeStepContext, target: SyncTarget, initiator: string, timeoutSeconds: number): Promise<readonly ArgoApplicationInfo[]> {
  const names = target.env.argoApplications;
  const ours = (apps: readonly ArgoApplicationInfo[]) => names.map((n) => apps.find((a) => a.name === n)).filter((a): a is ArgoApplicationInfo => a !== undefined);
  const line = new ProgressLine(ctx);
  const apps = await watchUntil<ArgoApplicationInfo, SyncOutcome>(
    applications(target),
    (all) => {
      const mine = ours(all);
      const failed = mine.find((a) => syncState(a, initiator) === 'failed');
      if (failed) return { failed };
      return mine.length === names.length && mine.every((a) => syncState(a, initiator) === 'synced') ? { synced: mine } : undefined;
    },
    {
      signal: ctx.signal,
      clock: ctx.clock,
      timeoutMs: timeoutSeconds * 1000,
      onTimeout: (last) => timeoutError('Argo CD to sync', timeoutSeconds, ours(last ?? []).map(describeApp).join('; ')),
      onChange: (all) => line.show(ours(all).map((a) => `${a.name} ${a.syncStatus ?? '?'}/${a.health ?? '?'}`).join(', ')),
    },
  ).finally(() => line.settled());
  if ('failed' in apps) {
    const app = apps.failed;
    throw new UserError(
      `Argo CD could not sync ${app.name}: ${app.operationPhase ?? 'failed'}${app.operationMessage ? ` — ${app.operationMessage}` : ''}. Look at the application in Argo CD, fix the cause, then run this step again.`,
      'sync-failed',
    );
  }
  return apps.synced;
}

export function syncArgo(environment: UpgradeEnvironment, options: ArgoSyncOptions = {}): StepExecutor<UpgradePorts, Target> {
  const timeoutSeconds = options.timeoutSeconds ?? 600;
  const initiatorOf = options.initiator ?? syncInitiator;
  return {
    stepId: options.stepId ?? `${environment}.upgrade.argocd-sync`,

    /** Done when this release's sync finished on every Application and each is Synced and Healthy. */
    async observe(ctx) {
      const cluster = await clusterOf(ctx);
      const initiator = initiatorOf(ctx.version.format());
      const apps = await Promise.all(cluster.env.argoApplications.map((n) => cluster.kube.getApplication(cluster.context, cluster.env.argoNamespace, n)));
      if (apps.some((a) => !a || syncState(a, initiator) !== 'synced')) return { done: false };
      const names = cluster.env.argoApplications;
      return { done: true, summary: `${names.join(' and ')} were synced by this release and are Synced and Healthy`, evidence: { applications: [...names] } };
    },

    prepare(ctx) {
      const env = ctx.config.environments[environment];
      return confirmTarget(ctx, `Sync Argo CD applications ${env.argoApplications.join(', ')} with prune`, [env.argoNamespace]);
    },

    async run(ctx, target) {
      const initiator = initiatorOf(ctx.version.format());
      return withLock(ctx, target, async () => {
        await ctx.record({ ...targetEvidence(target), initiatedBy: initiator });
        await startSyncs(ctx, target, initiator, timeoutSeconds);
        const apps = await waitSynced(ctx, target, initiator, timeoutSeconds);
        return {
          summary: `${apps.map((a) => a.name).join(' and ')} Synced and Healthy`,
          evidence: { applications: apps.map((a) => a.name), results: apps.map((a) => ({ name: a.name, message: a.operationMessage ?? null })) },
        };
      });
    },
  };
}
