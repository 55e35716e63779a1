/**
 * Rollback 1 · Stop all services: every service scaled to 0 (its replicas recorded first, when it still ran), Argo CD
 * automation that would scale them back suspended, and the Canton participant's pods deleted so that nothing writes
 * to the ledger while its database is restored. Reuses the upgrade's scale-down.
 */
import type { StepExecutor } from '../../engine/step-types.js';
import type { UpgradePorts } from '../../ports.js';
import { withLock } from '../upgrade/lock.js';
import { allAtZero, scaleAllToZero } from '../upgrade/scale-down.js';
import { clusterOf, confirmTarget, serviceNamespaces, targetEvidence, type Target } from '../upgrade/target.js';

const DELETED = 'participantPodsDeleted';

export const stopServices: StepExecutor<UpgradePorts, Target> = {
  stepId: /^(staging|production)\.rollback\.stop-services$/,

  async observe(ctx) {
    if (!Array.isArray(ctx.evidenceOf(ctx.step.id)[DELETED])) return { done: false };
    if (!(await allAtZero(await clusterOf(ctx)))) return { done: false };
    return { done: true, summary: 'Every service is at 0 replicas with no pods left; the participant was stopped', evidence: {} };
  },

  prepare(ctx) {
    const env = ctx.config.environments[ctx.step.environment === 'production' ? 'production' : 'staging'];
    const names = env.services.map((s) => s.deployment).join(', ');
    return confirmTarget(ctx, `Stop everything for the rollback: scale ${names} to 0 and delete the Canton participant pods (${env.canton.participant.selector})`, [
      ...serviceNamespaces(env),
      env.argoNamespace,
      env.canton.participant.namespace,
    ]);
  },

  async run(ctx, target) {
    return withLock(ctx, target, async () => {
      await ctx.record(targetEvidence(target));
      const { before, suspended } = await scaleAllToZero(ctx, target);
      const participant = target.env.canton.participant;
      ctx.log.info(`kubectl delete pod -l ${participant.selector} -n ${participant.namespace} --context ${target.context}`);
      const deleted = await target.kube.deletePods(target.context, participant.namespace, participant.selector);
      const names = target.env.services.map((s) => s.deployment);
      return {
        summary: `${names.join(', ')} at 0, every pod gone; participant pod(s) ${deleted.join(', ') || '(none running)'} deleted${suspended.length > 0 ? `; Argo CD automation suspended on ${suspended.join(', ')}` : ''}`,
        evidence: { scaledDown: names, replicasBefore: before, [DELETED]: deleted, headline: `${target.env.label}: services at 0, participant stopped` },
      };
    });
  },
};
