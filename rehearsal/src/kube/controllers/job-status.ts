import type { ClusterContext } from '../context.js';
import { Resources } from '../store.js';
import { isRecord, type KubeObject } from '../types.js';
import { podPhase } from './pod-status.js';

export interface JobCounts {
  active: number;
  ready: number;
  succeeded: number;
  failed: number;
}

const failureMessages: Record<string, string> = {
  BackoffLimitExceeded: 'Job has reached the specified backoff limit',
  DeadlineExceeded: 'Job was active longer than specified deadline',
};

function record(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

function conditionsOf(job: KubeObject): Record<string, unknown>[] {
  const conditions = record(job['status'])['conditions'];
  return Array.isArray(conditions) ? conditions.filter(isRecord) : [];
}

/** A Job is finished when it holds a true Complete or Failed condition. */
export function jobTerminal(job: KubeObject): 'Complete' | 'Failed' | undefined {
  const done = conditionsOf(job).find((c) => (c['type'] === 'Complete' || c['type'] === 'Failed') && c['status'] === 'True');
  return done ? (done['type'] as 'Complete' | 'Failed') : undefined;
}

function countsStatus(previous: Record<string, unknown>, counts: JobCounts, now: string): Record<string, unknown> {
  const status: Record<string, unknown> = { ...previous, startTime: previous['startTime'] ?? now, uncountedTerminatedPods: {} };
  for (const key of ['active', 'ready', 'succeeded', 'failed'] as const) {
    if (counts[key] > 0 || key === 'ready') status[key] = counts[key];
    else delete status[key];
  }
  return status;
}

export function writeJobStatus(context: ClusterContext, job: KubeObject, counts: JobCounts): void {
  const now = context.clock.now().toISOString();
  context.store.mutate(Resources.jobs, job.metadata.namespace, job.metadata.name, (j) => {
    j['status'] = countsStatus(record(j['status']), counts, now);
  });
}

/** Marks the Job Complete (or Failed with a reason), stops what still runs, and records the event. */
export function finishJob(context: ClusterContext, job: KubeObject, counts: JobCounts, outcome: { failed?: string }): void {
  const now = context.clock.now().toISOString();
  const namespace = job.metadata.namespace ?? 'default';
  const condition = (type: string, reason?: string, message?: string) => {
    const result: Record<string, unknown> = { type, status: 'True', lastProbeTime: now, lastTransitionTime: now };
    if (reason) result['reason'] = reason;
    if (message) result['message'] = message;
    return result;
  };
  const reason = outcome.failed;
  const message = reason ? failureMessages[reason] ?? reason : undefined;
  if (reason) {
    for (const pod of context.store.list(Resources.pods, namespace)) {
      const owned = pod.metadata.ownerReferences?.some((o) => o.uid === job.metadata.uid);
      if (owned && ['Pending', 'Running'].includes(podPhase(pod))) context.pods.delete(namespace, pod.metadata.name);
    }
  }
  context.store.mutate(Resources.jobs, namespace, job.metadata.name, (j) => {
    const status = countsStatus(record(j['status']), { ...counts, active: 0, ready: 0 }, now);
    status['conditions'] = [reason ? condition('Failed', reason, message) : condition('Complete')];
    if (!reason) status['completionTime'] = now;
    j['status'] = status;
  });
  if (reason) context.events.record(job, reason, message ?? reason, { type: 'Warning', component: 'job-controller' });
  else context.events.record(job, 'Completed', 'Job completed', { component: 'job-controller' });
}

/** Deletes a Job per `propagationPolicy`: Orphan leaves its pods, Background removes them after, Foreground before. */
export function deleteJob(context: ClusterContext, namespace: string, job: KubeObject, policy: string): KubeObject | undefined {
  const owned = context.store
    .list(Resources.pods, namespace)
    .filter((p) => p.metadata.ownerReferences?.some((o) => o.uid === job.metadata.uid));
  if (policy === 'Orphan') {
    for (const pod of owned) {
      context.store.mutate(Resources.pods, namespace, pod.metadata.name, (p) => {
        p.metadata.ownerReferences = p.metadata.ownerReferences?.filter((o) => o.uid !== job.metadata.uid);
      });
    }
    context.store.remove(Resources.jobs, namespace, job.metadata.name);
    return undefined;
  }
  if (policy === 'Foreground' && owned.length > 0) {
    const terminating = context.store.mutate(Resources.jobs, namespace, job.metadata.name, (j) => {
      j.metadata.deletionTimestamp = context.clock.now().toISOString();
      j.metadata.finalizers = [...(j.metadata.finalizers ?? []), 'foregroundDeletion'];
    });
    owned.forEach((pod) => context.pods.delete(namespace, pod.metadata.name));
    awaitPodsGone(context, namespace, job);
    return terminating;
  }
  context.store.remove(Resources.jobs, namespace, job.metadata.name);
  context.lifecycle.soon(() => owned.forEach((pod) => {
    if (context.store.get(Resources.pods, namespace, pod.metadata.name)) context.pods.delete(namespace, pod.metadata.name);
  }));
  return undefined;
}

/** Foreground deletion finishes once the dependents are gone. */
function awaitPodsGone(context: ClusterContext, namespace: string, job: KubeObject): void {
  const stop = context.store.subscribe((event) => {
    if (event.resource !== Resources.pods || event.type !== 'DELETED') return;
    const remaining = context.store
      .list(Resources.pods, namespace)
      .some((p) => p.metadata.ownerReferences?.some((o) => o.uid === job.metadata.uid));
    if (remaining) return;
    stop();
    context.lifecycle.soon(() => {
      const live = context.store.get(Resources.jobs, namespace, job.metadata.name);
      if (live?.metadata.uid === job.metadata.uid) context.store.remove(Resources.jobs, namespace, job.metadata.name);
    });
  });
}
