/**
 * Argo CD's sync hooks: dev's `data-loader-service` PreSync Job. With hook-delete-policy BeforeHookCreation, the Job of
 * the previous sync stays until the next sync deletes it (and waits until it is gone) before creating its own.
 */
import { admitCreate } from '../admission.js';
import { defaultImageRepositoryPrefix, type ClusterContext } from '../context.js';
import { resourceByKey } from '../resources.js';
import { Resources } from '../store.js';
import type { KubeObject } from '../types.js';
import { tagFor, type AppDefinition, type HookDefinition } from './argo-apps.js';
import { deleteJob, jobTerminal } from './job-status.js';

/** How often the controller looks at a hook it waits for (world time). */
const hookPollMs = 1_000;

export const hookAnnotation = 'argocd.argoproj.io/hook';
export const hookDeletePolicyAnnotation = 'argocd.argoproj.io/hook-delete-policy';

export type HookPhase = 'Running' | 'Succeeded' | 'Failed';

/** A hook's entry in `status.operationState.syncResult.resources`, as Argo CD reports it. */
export function hookResult(app: AppDefinition, hook: HookDefinition, hookPhase: HookPhase, message: string): Record<string, unknown> {
  return {
    group: 'batch', version: 'v1', kind: 'Job', namespace: app.namespace, name: hook.name,
    status: 'Synced', message, hookType: hook.phase, hookPhase, syncPhase: hook.phase,
  };
}

/** The hook's Job as the chart renders it for `app`, admitted like a create through the API. */
export function hookJob(context: ClusterContext, app: AppDefinition, hook: HookDefinition, values: Record<string, string>): KubeObject {
  const labels = {
    'app.kubernetes.io/name': hook.name,
    'app.kubernetes.io/instance': app.name,
    'app.kubernetes.io/part-of': app.chart,
    'app.kubernetes.io/managed-by': 'Helm',
  };
  const image = `${context.imageRepositoryPrefix ?? defaultImageRepositoryPrefix}/${hook.name}:${tagFor(hook.name, values) ?? 'latest'}`;
  const job: KubeObject = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: hook.name, namespace: app.namespace, uid: '', resourceVersion: '', creationTimestamp: '', labels,
      annotations: { [hookAnnotation]: hook.phase, [hookDeletePolicyAnnotation]: 'BeforeHookCreation' },
    },
    spec: {
      backoffLimit: 0,
      template: {
        metadata: { labels },
        spec: {
          restartPolicy: 'Never',
          containers: [{
            name: hook.name, image, imagePullPolicy: 'IfNotPresent',
            args: ['load', '--portal', app.chart, '--idempotent'],
            env: [{ name: 'LEDGER_HOST', value: 'canton-participant.canton-participant.svc.cluster.local' }, { name: 'LEDGER_PORT', value: '5011' }],
            resources: { requests: { cpu: '100m', memory: '256Mi' } },
          }],
        },
      },
    },
  };
  admitCreate(context, resourceByKey(Resources.jobs), job);
  return job;
}

/** Polls (world time) until `probe` answers; undefined once the cluster closed. */
async function until<T>(context: ClusterContext, probe: () => T | undefined): Promise<T | undefined> {
  for (;;) {
    if (context.lifecycle.stopped) return undefined;
    const found = probe();
    if (found !== undefined) return found;
    await context.clock.sleep(hookPollMs);
  }
}

/** The Job's failure message (its Failed condition's), for the hook's entry. */
function failureMessage(job: KubeObject): string {
  const conditions = (job['status'] as { conditions?: { type?: string; message?: string }[] } | undefined)?.conditions ?? [];
  return conditions.find((c) => c.type === 'Failed')?.message ?? 'Job failed';
}

/**
 * Runs a hook: deletes the previous sync's Job (BeforeHookCreation) and waits until it is gone, creates the Job, and
 * waits until it completes or fails. Undefined when the cluster closed meanwhile.
 */
export async function runHook(
  context: ClusterContext,
  app: AppDefinition,
  hook: HookDefinition,
  values: Record<string, string>,
): Promise<{ phase: 'Succeeded' | 'Failed'; message: string } | undefined> {
  const previous = context.store.get(Resources.jobs, app.namespace, hook.name);
  if (previous) {
    if (!previous.metadata.deletionTimestamp) deleteJob(context, app.namespace, previous, 'Foreground');
    const gone = await until(context, () => (context.store.get(Resources.jobs, app.namespace, hook.name) ? undefined : true));
    if (!gone) return undefined;
  }
  const created = context.store.create(Resources.jobs, hookJob(context, app, hook, values));
  const finished = await until(context, () => {
    const live = context.store.get(Resources.jobs, app.namespace, hook.name);
    if (!live || live.metadata.uid !== created.metadata.uid) return { phase: 'Failed' as const, message: `job ${hook.name} was deleted` };
    const terminal = jobTerminal(live);
    if (terminal === 'Complete') return { phase: 'Succeeded' as const, message: 'Reached expected number of succeeded pods' };
    return terminal === 'Failed' ? { phase: 'Failed' as const, message: failureMessage(live) } : undefined;
  });
  return finished;
}
