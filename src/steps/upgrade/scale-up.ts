/**
 * 3.3.2 Scale up: each service back to its pre-upgrade replicas (recorded by the scale-down; else the configured
 * count), pqs and daml-http-json before the portals, each watched until Ready; deployments Argo CD's sync already
 * scaled are left alone; then the Argo CD automation the scale-down suspended is restored.
 */
import type { ServiceConfig, ServiceName } from '../../core/config/types.js';
import type { UpgradeEnvironment } from '../../core/runbook/types.js';
import type { StepExecutor } from '../../engine/step-types.js';
import type { PodInfo, UpgradePorts } from '../../ports.js';
import { automationPending, restoreAutomation, suspendedAutomation } from './argocd.js';
import { withLock } from './lock.js';
import { REPLICAS_BEFORE_KEY } from './scale-down.js';
import { ProgressLine, clusterOf, confirmTarget, serviceNamespaces, targetEvidence, type Cluster, type Target, type UpgradeStepContext } from './target.js';
import { describePods, livePods, timeoutError, watchUntil } from './waits.js';

/** The services the portals depend on come up first. */
const ORDER: readonly ServiceName[] = ['pqs', 'daml-http-json', 'lendos-portal', 'signing-portal'];
const READY_TIMEOUT_SECONDS = 600;

function scaleDownStep(environment: UpgradeEnvironment): string {
  return `${environment}.upgrade.scale-down`;
}

export interface ScaleUpOptions {
  /** Default `<env>.upgrade.scale-up`. */
  readonly stepId?: string;
  /** Steps whose recorded replicas count, the first with a count above 0 winning. Default: the upgrade's scale-down. */
  readonly replicaSteps?: (environment: UpgradeEnvironment) => string[];
}

function recordedReplicas(ctx: UpgradeStepContext, stepId: string, service: string): number | undefined {
  const before = ctx.evidenceOf(stepId)[REPLICAS_BEFORE_KEY];
  const value = typeof before === 'object' && before !== null && !Array.isArray(before) ? before[service] : undefined;
  return typeof value === 'number' && value > 0 ? value : undefined;
}

/** Each service with its target replicas, in start-up order. */
export function scaleUpPlan(ctx: UpgradeStepContext, cluster: Cluster, steps = [scaleDownStep(cluster.environment)]): { service: ServiceConfig; replicas: number; recorded: boolean }[] {
  const rank = (s: ServiceConfig) => (ORDER.indexOf(s.name) < 0 ? ORDER.length : ORDER.indexOf(s.name));
  return [...cluster.env.services]
    .sort((a, b) => rank(a) - rank(b))
    .map((service) => {
      const known = steps.map((step) => recordedReplicas(ctx, step, service.name)).find((n) => n !== undefined);
      return { service, replicas: known ?? service.replicas, recorded: known !== undefined };
    });
}

/** What the scale-downs suspended, merged (the earlier step's setting wins). */
function suspendedBy(ctx: UpgradeStepContext, steps: readonly string[]) {
  return Object.assign({}, ...[...steps].reverse().map((step) => suspendedAutomation(ctx.evidenceOf(step)))) as ReturnType<typeof suspendedAutomation>;
}

async function waitReady(ctx: UpgradeStepContext, target: Target, service: ServiceConfig, replicas: number, selector: string): Promise<void> {
  const line = new ProgressLine(ctx);
  await watchUntil<PodInfo, true>(
    (onChange, signal) => target.kube.watchPods(target.context, service.namespace, selector, onChange, signal),
    (pods) => {
      const live = livePods(pods);
      return live.length === replicas && live.every((p) => p.ready) && pods.every((p) => !p.deleting) ? true : undefined;
    },
    {
      signal: ctx.signal,
      clock: ctx.clock,
      timeoutMs: READY_TIMEOUT_SECONDS * 1000,
      onTimeout: (last) => timeoutError(`${service.deployment} to have ${replicas} Ready pod(s)`, READY_TIMEOUT_SECONDS, describePods(last ?? [])),
      onChange: (pods) => line.show(`${service.deployment}: ${livePods(pods).filter((p) => p.ready).length}/${replicas} Ready`),
    },
  ).finally(() => line.settled());
}

export function scaleUp(environment: UpgradeEnvironment, options: ScaleUpOptions = {}): StepExecutor<UpgradePorts, Target> {
  const steps = options.replicaSteps?.(environment) ?? [scaleDownStep(environment)];
  return {
    stepId: options.stepId ?? `${environment}.upgrade.scale-up`,

    async observe(ctx) {
      const cluster = await clusterOf(ctx);
      for (const { service, replicas } of scaleUpPlan(ctx, cluster, steps)) {
        const scale = await cluster.kube.getScale(cluster.context, service.namespace, service.deployment);
        const pods = livePods(await cluster.kube.listPods(cluster.context, service.namespace, scale.selector));
        if (scale.replicas !== replicas || pods.length !== replicas || !pods.every((p) => p.ready)) return { done: false };
      }
      if ((await automationPending(cluster, suspendedBy(ctx, steps))).length > 0) return { done: false };
      return { done: true, summary: 'Every service is at its pre-upgrade replicas with all pods Ready', evidence: {} };
    },

    prepare(ctx) {
      const env = ctx.config.environments[environment];
      return confirmTarget(ctx, 'Scale the services back up to their pre-upgrade replicas', [...serviceNamespaces(env), env.argoNamespace]);
    },

    async run(ctx, target) {
      return withLock(ctx, target, async () => {
        await ctx.record(targetEvidence(target));
        const scaled: Record<string, number> = {};
        const byArgo: string[] = [];
        for (const { service, replicas, recorded } of scaleUpPlan(ctx, target, steps)) {
          const scale = await target.kube.getScale(target.context, service.namespace, service.deployment);
          if (scale.replicas === replicas) {
            byArgo.push(service.deployment);
            ctx.log.info(`${service.deployment} is already at ${replicas} replica(s) — Argo CD's sync scaled it; not scaling it again.`);
          } else {
            ctx.log.info(`kubectl scale deployment ${service.deployment} --replicas=${replicas} -n ${service.namespace} --context ${target.context} (${recorded ? 'pre-upgrade count' : 'configured count'})`);
            await target.kube.setScale(target.context, service.namespace, service.deployment, replicas);
          }
          await waitReady(ctx, target, service, replicas, scale.selector);
          scaled[service.deployment] = replicas;
        }
        const restored = await restoreAutomation(ctx, target, suspendedBy(ctx, steps));
        const extra = [byArgo.length > 0 ? `already scaled by Argo CD: ${byArgo.join(', ')}` : '', restored.length > 0 ? `automated sync restored on ${restored.join(', ')}` : '']
          .filter(Boolean)
          .join('; ');
        return {
          summary: `${Object.entries(scaled).map(([d, r]) => `${d} ${r}`).join(', ')} Ready${extra ? ` (${extra})` : ''}`,
          evidence: { replicas: scaled, scaledByArgo: byArgo, automationRestored: restored },
        };
      });
    },
  };
}
