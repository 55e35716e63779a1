/**
 * 3.1.2 Optional Canton restart: delete the participant and domain pods by label and wait (through a watch) until
 * their replacements are Ready. The deleted pod names are recorded first, so a rerun after a crash waits for the
 * replacements instead of deleting them again.
 */
import type { CantonComponent } from '../../core/config/types.js';
import type { UpgradeEnvironment } from '../../core/runbook/types.js';
import type { StepExecutor } from '../../engine/step-types.js';
import type { PodInfo, UpgradePorts } from '../../ports.js';
import { withLock } from './lock.js';
import { ProgressLine, clusterOf, confirmTarget, targetEvidence, type Cluster, type Target, type UpgradeStepContext } from './target.js';
import { describePods, podGroups, timeoutError, watchUntil } from './waits.js';

export interface CantonRestartOptions {
  /** How long the participant and domain may take to be Ready again (the runbook's `kubectl wait --timeout=300s`). */
  readonly readyTimeoutSeconds?: number;
}

const DELETED_KEY = 'deletedPods';

function components(cluster: Cluster): [string, CantonComponent][] {
  return Object.entries(cluster.env.canton);
}

function deletedBefore(ctx: UpgradeStepContext): Record<string, string[]> {
  const value = ctx.evidenceOf(ctx.step.id)[DELETED_KEY];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, Array.isArray(v) ? v.map(String) : []]));
}

/** Ready again: none of the deleted pods is left, and as many Ready pods as were deleted, all of them Ready. */
function restarted(pods: readonly PodInfo[], deleted: readonly string[]): boolean {
  const live = pods.filter((p) => !p.deleting);
  if (pods.some((p) => deleted.includes(p.name))) return false;
  return live.length >= Math.max(1, deleted.length) && live.every((p) => p.ready);
}

async function waitReady(ctx: UpgradeStepContext, cluster: Cluster, deleted: Record<string, string[]>, timeoutSeconds: number): Promise<void> {
  const groups = components(cluster).map(([key, c]) => ({ key, namespace: c.namespace, selector: c.selector }));
  const line = new ProgressLine(ctx);
  await watchUntil(
    podGroups(cluster.kube, cluster.context, groups),
    (entries) => (entries.every(([key, pods]) => restarted(pods, deleted[key] ?? [])) ? true : undefined),
    {
      signal: ctx.signal,
      clock: ctx.clock,
      timeoutMs: timeoutSeconds * 1000,
      onTimeout: (last) => timeoutError('Canton to be Ready', timeoutSeconds, describePods((last ?? []).flatMap(([, pods]) => pods))),
      onChange: (entries) => {
        const waiting = entries.filter(([key, pods]) => !restarted(pods, deleted[key] ?? [])).map(([key]) => key);
        line.show(waiting.length > 0 ? `Waiting for ${waiting.join(' and ')} to be Ready` : 'Canton is Ready');
      },
    },
  ).finally(() => line.settled());
}

export function restartCanton(environment: UpgradeEnvironment, options: CantonRestartOptions = {}): StepExecutor<UpgradePorts, Target> {
  const timeoutSeconds = options.readyTimeoutSeconds ?? 300;
  return {
    stepId: `${environment}.upgrade.canton-restart`,

    async observe(ctx) {
      const deleted = deletedBefore(ctx);
      if (Object.keys(deleted).length === 0) return { done: false };
      const cluster = await clusterOf(ctx);
      for (const [key, component] of components(cluster)) {
        const pods = await cluster.kube.listPods(cluster.context, component.namespace, component.selector);
        if (!restarted(pods, deleted[key] ?? [])) return { done: false };
      }
      return { done: true, summary: 'The Canton participant and domain were restarted and are Ready', evidence: {} };
    },

    prepare(ctx) {
      const canton = ctx.config.environments[environment].canton;
      return confirmTarget(ctx, 'Restart the Canton participant and domain (delete their pods)', [canton.participant.namespace, canton.domain.namespace]);
    },

    async run(ctx, target) {
      return withLock(ctx, target, async () => {
        await ctx.record(targetEvidence(target));
        const deleted = deletedBefore(ctx);
        for (const [key, component] of components(target)) {
          if (deleted[key]?.length) {
            ctx.log.info(`The ${key} pods were deleted by an earlier run (${deleted[key]?.join(', ')}); waiting for their replacements.`);
            continue;
          }
          ctx.log.info(`kubectl delete pod -l ${component.selector} -n ${component.namespace} --context ${target.context}`);
          deleted[key] = await target.kube.deletePods(target.context, component.namespace, component.selector);
          await ctx.record({ [DELETED_KEY]: deleted });
        }
        await waitReady(ctx, target, deleted, timeoutSeconds);
        const names = Object.values(deleted).flat();
        return { summary: `Canton participant and domain restarted (${names.length} pod(s) replaced) and Ready`, evidence: { [DELETED_KEY]: deleted } };
      });
    },
  };
}
