/**
 * API objects → the ports' small records. Objects come both from the generated client (times as Date) and from watch
 * streams (plain JSON, times as strings), so every time goes through `iso`.
 */
import type * as k8s from '@kubernetes/client-node';
import type { JsonValue } from '../../core/journal/types.js';
import type { ArgoApplicationInfo, ArgoHookResult, JobInfo, LeaseRecord, PodInfo } from '../../ports.js';

type Json = { readonly [key: string]: JsonValue };

export function iso(value: unknown): string | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function waitingReason(pod: k8s.V1Pod): string | undefined {
  const unschedulable = pod.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
  if (unschedulable) return unschedulable.message ?? unschedulable.reason ?? 'Unschedulable';
  for (const status of pod.status?.containerStatuses ?? []) {
    const waiting = status.state?.waiting;
    if (waiting) return waiting.message ? `${waiting.reason ?? 'Waiting'}: ${waiting.message}` : waiting.reason;
  }
  return undefined;
}

export function toPodInfo(pod: k8s.V1Pod): PodInfo {
  const statuses = pod.status?.containerStatuses ?? [];
  const owner = pod.metadata?.ownerReferences?.find((o) => o.controller) ?? pod.metadata?.ownerReferences?.[0];
  const waiting = waitingReason(pod);
  const startTime = iso(pod.status?.startTime);
  return {
    name: pod.metadata?.name ?? '',
    namespace: pod.metadata?.namespace ?? '',
    phase: pod.status?.phase ?? 'Unknown',
    ready: pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false,
    deleting: iso(pod.metadata?.deletionTimestamp) !== undefined,
    labels: { ...(pod.metadata?.labels ?? {}) },
    restarts: statuses.reduce((sum, s) => sum + (s.restartCount ?? 0), 0),
    containers: (pod.spec?.containers ?? []).map((c) => c.name),
    images: (pod.spec?.containers ?? []).map((c) => c.image ?? ''),
    terminated: statuses.filter((s) => s.state?.terminated).map((s) => s.name),
    ...(owner ? { owner: { kind: owner.kind, name: owner.name, uid: owner.uid } } : {}),
    ...(waiting ? { waiting } : {}),
    ...(startTime ? { startTime } : {}),
  };
}

export function toJobInfo(job: k8s.V1Job): JobInfo {
  const parallelism = job.spec?.parallelism ?? 1;
  const startTime = iso(job.status?.startTime);
  const completionTime = iso(job.status?.completionTime);
  return {
    name: job.metadata?.name ?? '',
    namespace: job.metadata?.namespace ?? '',
    uid: job.metadata?.uid ?? '',
    labels: { ...(job.metadata?.labels ?? {}) },
    active: job.status?.active ?? 0,
    succeeded: job.status?.succeeded ?? 0,
    failed: job.status?.failed ?? 0,
    conditions: (job.status?.conditions ?? []).map((c) => ({
      type: c.type,
      status: c.status,
      ...(c.reason ? { reason: c.reason } : {}),
      ...(c.message ? { message: c.message } : {}),
    })),
    parallelism,
    completions: job.spec?.completions ?? parallelism,
    ...(startTime ? { startTime } : {}),
    ...(completionTime ? { completionTime } : {}),
  };
}

export function toLeaseRecord(lease: k8s.V1Lease): LeaseRecord {
  const spec = lease.spec;
  const acquireTime = iso(spec?.acquireTime);
  const renewTime = iso(spec?.renewTime);
  return {
    name: lease.metadata?.name ?? '',
    namespace: lease.metadata?.namespace ?? '',
    resourceVersion: lease.metadata?.resourceVersion ?? '',
    transitions: spec?.leaseTransitions ?? 0,
    ...(spec?.holderIdentity ? { holder: spec.holderIdentity } : {}),
    ...(spec?.leaseDurationSeconds !== undefined ? { durationSeconds: spec.leaseDurationSeconds } : {}),
    ...(acquireTime ? { acquireTime } : {}),
    ...(renewTime ? { renewTime } : {}),
  };
}

function resourcesOf(status: Record<string, unknown>): ArgoApplicationInfo['resources'] {
  return list(status['resources']).map(record).map((r) => ({
    kind: text(r['kind']) ?? '',
    name: text(r['name']) ?? '',
    ...(text(r['namespace']) ? { namespace: text(r['namespace']) } : {}),
  }));
}

/** The hooks of the last sync's result: what `argocd app get` lists with a HOOK column. */
function hooksOf(operationState: Record<string, unknown>): ArgoHookResult[] {
  return list(record(operationState['syncResult'])['resources'])
    .map(record)
    .filter((r) => text(r['hookType']) !== undefined)
    .map((r) => {
      const fields = { namespace: text(r['namespace']), hookPhase: text(r['hookPhase']), message: text(r['message']) };
      const defined = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
      return { kind: text(r['kind']) ?? '', name: text(r['name']) ?? '', hookType: text(r['hookType']) ?? '', ...defined };
    });
}

/** An Application object (custom resources arrive as plain JSON either way). */
export function toApplication(object: unknown): ArgoApplicationInfo {
  const app = record(object);
  const metadata = record(app['metadata']);
  const spec = record(app['spec']);
  const status = record(app['status']);
  const operationState = record(status['operationState']);
  const automated = record(spec['syncPolicy'])['automated'];
  const initiatedBy = record(record(operationState['operation'])['initiatedBy']);
  const fields = {
    requestedBy: text(record(record(app['operation'])['initiatedBy'])['username']),
    syncStatus: text(record(status['sync'])['status']),
    health: text(record(status['health'])['status']),
    operationPhase: text(operationState['phase']),
    operationMessage: text(operationState['message']),
    operationBy: text(initiatedBy['username']),
    destinationNamespace: text(record(spec['destination'])['namespace']),
  };
  const defined = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
  return {
    name: text(metadata['name']) ?? '',
    namespace: text(metadata['namespace']) ?? '',
    operationPending: app['operation'] !== undefined && app['operation'] !== null,
    resources: resourcesOf(status),
    hooks: hooksOf(operationState),
    images: list(record(status['summary'])['images']).flatMap((i) => (typeof i === 'string' ? [i] : [])),
    ...defined,
    ...(typeof automated === 'object' && automated !== null && !Array.isArray(automated) ? { automated: automated as Json } : {}),
  };
}
