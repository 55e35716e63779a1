/**
 * "Services won't start after upgrade": the backends whose log shows no DARs of the new version started before the
 * upgrade finished; each is restarted (`kubectl rollout restart`, the pod template stamped) and watched until its new
 * pods are Ready — after the environment is asserted and the person confirms (the typed name in production).
 */
import { UserError } from '../../core/errors.js';
import type { StepExecutor } from '../../engine/step-types.js';
import type { PodInfo, UpgradePorts } from '../../ports.js';
import { withLock } from '../upgrade/lock.js';
import { upgradeVersions } from '../upgrade/stages.js';
import { ProgressLine, clusterOf, confirmTarget, targetEvidence, type Cluster, type Target, type UpgradeStepContext } from '../upgrade/target.js';
import { livePods, timeoutError, watchUntil } from '../upgrade/waits.js';

const READY_TIMEOUT_SECONDS = 600;

interface Plan {
  readonly target: Target;
  readonly stale: readonly { namespace: string; deployment: string }[];
}

/** The configured backends not every pod of which logged the DARs of `to`. */
async function staleBackends(ctx: UpgradeStepContext, cluster: Cluster): Promise<{ namespace: string; deployment: string }[]> {
  const { to } = upgradeVersions(ctx);
  const stale = [];
  for (const backend of ctx.config.validation.backends) {
    const pods = await cluster.kube.tailDeploymentLogs(cluster.context, backend.namespace, backend.deployment, 500);
    if (pods.length === 0 || !pods.every((p) => p.lines.some((l) => /DAR/.test(l) && l.includes(to)))) stale.push(backend);
  }
  return stale;
}

async function waitRolledOut(ctx: UpgradeStepContext, target: Target, backend: { namespace: string; deployment: string }, old: readonly string[]): Promise<void> {
  const scale = await target.kube.getScale(target.context, backend.namespace, backend.deployment);
  const line = new ProgressLine(ctx);
  await watchUntil<PodInfo, true>(
    (onChange, signal) => target.kube.watchPods(target.context, backend.namespace, scale.selector, onChange, signal),
    (pods) => {
      const live = livePods(pods);
      return live.length >= Math.max(1, scale.replicas) && live.every((p) => p.ready && !old.includes(p.name)) && pods.every((p) => !old.includes(p.name)) ? true : undefined;
    },
    {
      signal: ctx.signal,
      clock: ctx.clock,
      timeoutMs: READY_TIMEOUT_SECONDS * 1000,
      onTimeout: () => timeoutError(`${backend.deployment}'s new pods to be Ready`, READY_TIMEOUT_SECONDS, ''),
      onChange: (pods) => line.show(`${backend.deployment}: ${livePods(pods).filter((p) => p.ready && !old.includes(p.name)).length}/${scale.replicas} new pods Ready`),
    },
  ).finally(() => line.settled());
}

export const restartBackends: StepExecutor<UpgradePorts, Plan> = {
  stepId: /^(staging|production)\.recovery\.restart-backends$/,

  async observe(ctx) {
    const cluster = await clusterOf(ctx);
    if ((await staleBackends(ctx, cluster)).length > 0) return { done: false };
    return { done: true, summary: `Every backend shows the DARs of ${upgradeVersions(ctx).to}: nothing to restart`, evidence: {} };
  },

  async prepare(ctx) {
    const cluster = await clusterOf(ctx);
    const stale = await staleBackends(ctx, cluster);
    if (stale.length === 0) throw new UserError(`Every backend already shows the DARs of ${upgradeVersions(ctx).to}: nothing to restart.`, 'nothing-to-restart');
    const names = stale.map((b) => `${b.namespace}/${b.deployment}`).join(', ');
    const target = await confirmTarget(ctx, `Restart ${names} (kubectl rollout restart: new pods replace the ones on old DARs)`, stale.map((b) => b.namespace));
    return target ? { target, stale } : undefined;
  },

  async run(ctx, { target, stale }) {
    return withLock(ctx, target, async () => {
      await ctx.record(targetEvidence(target));
      const at = ctx.clock.now().toISOString();
      for (const backend of stale) {
        const old = (await target.kube.tailDeploymentLogs(target.context, backend.namespace, backend.deployment, 1)).map((p) => p.pod);
        ctx.log.info(`kubectl rollout restart deployment ${backend.deployment} -n ${backend.namespace} --context ${target.context}`);
        await target.kube.restartDeployment(target.context, backend.namespace, backend.deployment, at);
        await waitRolledOut(ctx, target, backend, old);
      }
      const names = stale.map((b) => b.deployment);
      return { summary: `Restarted ${names.join(', ')}; their new pods are Ready`, evidence: { restarted: names, restartedAt: at } };
    });
  },
};
