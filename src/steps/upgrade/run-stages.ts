/**
 * 3.2 Run the seven upgrade stages: run-upgrade.sh while watching the release's Jobs, each stage journalled on its
 * own step (`<env>.upgrade.stage.<stage>`) with live logs. Finished stages are never run again; a cancel stops
 * waiting, not the Jobs; a crash resumes by observing them.
 */
import { UPGRADE_STAGES, type UpgradeEnvironment, type UpgradeStage } from '../../core/runbook/types.js';
import type { EventData } from '../../core/journal/types.js';
import type { StepExecutor, StepOutcome } from '../../engine/step-types.js';
import type { UpgradePorts } from '../../ports.js';
import { withLock } from './lock.js';
import { StageSession } from './stage-session.js';
import { VERSION_LABEL, durationSeconds, jobState, stageOf, stageStepId, upgradeVersions, type UpgradeVersions } from './stages.js';
import { clusterOf, confirmTarget, targetEvidence, type Target, type UpgradeStepContext } from './target.js';
import { driveStages } from './upgrade-script.js';

/** The next action after a failed stage: its own step reruns just that stage. */
export function rerunAdvice(environment: UpgradeEnvironment, stage: UpgradeStage): string {
  return `rerun only this stage with "LendOS: Run Upgrade Stage" → ${stage} (step ${stageStepId(environment, stage)}, run-upgrade.sh --stage ${stage}); then run this step again for the stages after it.`;
}

export function stagesEvidence(session: StageSession, stages: readonly UpgradeStage[]): EventData {
  const entries = stages.map((stage) => {
    const job = session.tracker.view(stage).job;
    const took = job ? durationSeconds(job) : undefined;
    return [stage, { job: job?.name ?? null, pods: job?.succeeded ?? 0, durationSeconds: took ?? null }] as const;
  });
  return { from: session.versions.from, to: session.versions.to, stages: Object.fromEntries(entries) };
}

async function runAll(ctx: UpgradeStepContext, target: Target, versions: UpgradeVersions): Promise<StepOutcome> {
  const session = await StageSession.open(ctx, target, versions, UPGRADE_STAGES, (stage) => ctx.child(stageStepId(target.environment, stage)));
  try {
    const already = session.tracker.completed();
    if (already.length > 0) ctx.log.info(`Already complete, not run again: ${already.join(', ')}.`);
    if (!session.allComplete()) await driveStages(ctx, target, session, (stage) => rerunAdvice(target.environment, stage));
    return {
      summary: `All seven stages complete: ${versions.from} → ${versions.to} in ${target.env.label}`,
      evidence: stagesEvidence(session, UPGRADE_STAGES),
    };
  } catch (error) {
    if (ctx.signal.aborted) throw await session.cancelled();
    throw error;
  } finally {
    await session.close();
  }
}

export function runStages(environment: UpgradeEnvironment): StepExecutor<UpgradePorts, Target> {
  return {
    stepId: `${environment}.upgrade.run`,

    /** Done when every stage's Job is complete and every stage step says so. */
    async observe(ctx) {
      const versions = upgradeVersions(ctx);
      const cluster = await clusterOf(ctx);
      const jobs = await cluster.kube.listJobs(cluster.context, cluster.env.upgradeNamespace, `${VERSION_LABEL}=${versions.to}`);
      const complete = UPGRADE_STAGES.filter((stage) => jobs.some((job) => stageOf(job) === stage && jobState(job) === 'complete'));
      const journalled = UPGRADE_STAGES.every((stage) => ctx.statusOf(stageStepId(environment, stage)) === 'succeeded');
      if (complete.length < UPGRADE_STAGES.length || !journalled) return { done: false };
      return { done: true, summary: `All seven stages of ${versions.from} → ${versions.to} are complete`, evidence: { ...versions } };
    },

    prepare(ctx) {
      const { from, to } = upgradeVersions(ctx);
      const env = ctx.config.environments[environment];
      return confirmTarget(ctx, `Run the DAML upgrade ${from} → ${to} (seven stages, run-upgrade.sh ${env.upgradeArgument ?? ''})`, [env.upgradeNamespace]);
    },

    async run(ctx, target) {
      const versions = upgradeVersions(ctx);
      return withLock(ctx, target, async () => {
        await ctx.record({ ...targetEvidence(target), ...versions });
        return runAll(ctx, target, versions);
      });
    },
  };
}
