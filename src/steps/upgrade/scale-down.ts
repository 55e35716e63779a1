/**
 * 3.1.1 Scale down: record each service's replicas, suspend Argo CD automation that would undo the scale-down, scale
 * the deployments to 0 and watch their pods until every one is gone, counting down on the step.
 */
import { UserError } from '../../core/errors.js';
import type { ServiceConfig } from '../../core/config/types.js';
import type { EventData } from '../../core/journal/types.js';
import type { UpgradeEnvironment } from '../../core/runbook/types.js';
import type { StepExecutor } from '../../engine/step-types.js';
import type { DeploymentScale, UpgradePorts } from '../../ports.js';
import { owningApplications, suspendAutomation } from './argocd.js';
import { withLock } from './lock.js';
import { ProgressLine, clusterOf, confirmTarget, serviceNamespaces, targetEvidence, type Cluster, type Target, type UpgradeStepContext } from './target.js';
import { describePods, podGroups, timeoutError, watchUntil } from './waits.js';

/** Evidence key: each service's replicas before the scale-down (scale-up restores them). */
export const REPLICAS_BEFORE_KEY = 'replicasBefore';
const PODS_GONE_TIMEOUT_SECONDS = 600;

export async function scales(cluster: Cluster): Promise<Map<ServiceConfig, DeploymentScale>> {
  const entries = await Promise.all(
    cluster.env.services.map(async (s) => [s, await cluster.kube.getScale(cluster.context, s.namespace, s.deployment)] as const),
  );
  return new Map(entries);
}

/**
 * Replicas before any scale-down, recorded once: a later or second run (whose deployments may already be at 0)
 * keeps what the first run recorded, so scale-up restores the real counts.
 */
export async function recordReplicas(ctx: UpgradeStepContext, current: Map<ServiceConfig, DeploymentScale>): Promise<Record<string, number>> {
  const seen = Object.fromEntries([...current].map(([service, scale]) => [service.name, scale.replicas]));
  const kept = (await ctx.recordFirst({ [REPLICAS_BEFORE_KEY]: seen }))[REPLICAS_BEFORE_KEY];
  const recorded = typeof kept === 'object' && kept !== null && !Array.isArray(kept) ? kept : {};
  const before: Record<string, number> = {};
  for (const [service, scale] of current) {
    const known = recorded[service.name];
    before[service.name] = typeof known === 'number' ? known : scale.replicas;
  }
  const differs = Object.entries(before).some(([name, replicas]) => seen[name] !== replicas);
  if (differs) ctx.log.info(`Keeping the replica counts recorded before the first scale-down (now: ${Object.entries(seen).map(([n, r]) => `${n} ${r}`).join(', ')}).`);
  ctx.log.info(`Replicas before the upgrade: ${Object.entries(before).map(([n, r]) => `${n} ${r}`).join(', ')}`);
  return before;
}

export async function suspendArgo(ctx: UpgradeStepContext, target: Target): Promise<string[]> {
  const apps = await target.kube.listApplications(target.context, target.env.argoNamespace);
  return suspendAutomation(ctx, target, owningApplications(apps, target.env.services));
}

export async function waitPodsGone(ctx: UpgradeStepContext, target: Target, current: Map<ServiceConfig, DeploymentScale>, signal: AbortSignal): Promise<void> {
  const groups = [...current].map(([s, scale]) => ({ key: s.deployment, namespace: s.namespace, selector: scale.selector }));
  const line = new ProgressLine(ctx);
  await watchUntil(podGroups(target.kube, target.context, groups), (entries) => (entries.every(([, pods]) => pods.length === 0) ? true : undefined), {
    signal,
    clock: ctx.clock,
    timeoutMs: PODS_GONE_TIMEOUT_SECONDS * 1000,
    onTimeout: (last) => timeoutError('the pods to terminate', PODS_GONE_TIMEOUT_SECONDS, describePods((last ?? []).flatMap(([, pods]) => pods))),
    onChange: (entries) => {
      const left = entries.reduce((sum, [, pods]) => sum + pods.length, 0);
      line.show(left === 0 ? 'All pods gone' : `${left} pod${left === 1 ? '' : 's'} left`, { podsLeft: left });
    },
  }).finally(() => line.settled());
}

/** After the pods are gone, each deployment must still be at 0: something scaling it back up must be named. */
export async function checkStillDown(target: Target): Promise<void> {
  const now = await scales(target);
  const upAgain = [...now].filter(([, scale]) => scale.replicas > 0).map(([s, scale]) => `${s.deployment} (${scale.replicas})`);
  if (upAgain.length > 0) {
    throw new UserError(
      `Something scaled ${upAgain.join(', ')} back up while waiting — an Argo CD application with automated sync or an autoscaler. Turn it off and run the step again.`,
      'scaled-back-up',
    );
  }
}

/** Whether every service is at 0 replicas with no pod left. */
export async function allAtZero(cluster: Cluster): Promise<boolean> {
  const current = await scales(cluster);
  if ([...current.values()].some((scale) => scale.replicas > 0)) return false;
  for (const [service, scale] of current) {
    if ((await cluster.kube.listPods(cluster.context, service.namespace, scale.selector)).length > 0) return false;
  }
  return true;
}

/**
 * Every service scaled to 0 (its replicas recorded first), Argo CD automation that would scale it back suspended,
 * watched from before the scale-down until every pod is gone; shared by the upgrade's scale-down and the rollback.
 */
export async function scaleAllToZero(ctx: UpgradeStepContext, target: Target): Promise<{ before: Record<string, number>; suspended: string[] }> {
  const current = await scales(target);
  const before = await recordReplicas(ctx, current);
  const suspended = await suspendArgo(ctx, target);
  // Watching from before the scale-down, so the count-down starts at every pod.
  const stop = new AbortController();
  const gone = waitPodsGone(ctx, target, current, AbortSignal.any([ctx.signal, stop.signal]));
  try {
    for (const [service, scale] of current) {
      if (scale.replicas === 0) continue;
      ctx.log.info(`kubectl scale deployment ${service.deployment} --replicas=0 -n ${service.namespace} --context ${target.context}`);
      await target.kube.setScale(target.context, service.namespace, service.deployment, 0);
    }
  } catch (error) {
    stop.abort();
    await gone.catch(() => undefined);
    throw error;
  }
  await gone;
  await checkStillDown(target);
  return { before, suspended };
}

export function scaleDown(environment: UpgradeEnvironment): StepExecutor<UpgradePorts, Target> {
  return {
    stepId: `${environment}.upgrade.scale-down`,

    async observe(ctx) {
      const cluster = await clusterOf(ctx);
      if (!(await allAtZero(cluster))) return { done: false };
      const evidence: EventData = { scaledDown: cluster.env.services.map((s) => s.deployment) };
      return { done: true, summary: `${cluster.env.services.map((s) => s.deployment).join(', ')} are at 0 replicas with no pods left`, evidence };
    },

    prepare(ctx) {
      const env = ctx.config.environments[environment];
      const names = env.services.map((s) => s.deployment).join(', ');
      return confirmTarget(ctx, `Scale ${names} down to 0`, [...serviceNamespaces(env), env.argoNamespace]);
    },

    async run(ctx, target) {
      return withLock(ctx, target, async () => {
        await ctx.record(targetEvidence(target));
        const { before, suspended } = await scaleAllToZero(ctx, target);
        const names = target.env.services.map((s) => s.deployment);
        return {
          summary: `${names.join(', ')} scaled to 0; every pod is gone${suspended.length > 0 ? `; Argo CD automation suspended on ${suspended.join(', ')}` : ''}`,
          evidence: { scaledDown: names, [REPLICAS_BEFORE_KEY]: before },
        };
      });
    },
  };
}
