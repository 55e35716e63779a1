/**
 * One upgrade stage on its own (`LendOS: Run Upgrade Stage`, the runbook's troubleshooting): a complete stage is
 * adopted, never re-run; a stage whose Job is running is waited for; otherwise `run-upgrade.sh --stage S` replaces
 * its Job and the step follows it with live logs.
 */
import type { UpgradeEnvironment, UpgradeStage } from '../../core/runbook/types.js';
import type { StepExecutor, StepOutcome } from '../../engine/step-types.js';
import type { UpgradePorts } from '../../ports.js';
import { withLock } from './lock.js';
import { stagesEvidence } from './run-stages.js';
import { StageSession } from './stage-session.js';
import type { StageJournal } from './stage-tracker.js';
import { STAGE_LABEL, VERSION_LABEL, jobState, upgradeVersions, type UpgradeVersions } from './stages.js';
import { clusterOf, confirmTarget, targetEvidence, type Target, type UpgradeStepContext } from './target.js';
import { driveStages } from './upgrade-script.js';

function stageOfStep(ctx: UpgradeStepContext): UpgradeStage {
  const stage = ctx.step.stage;
  if (!stage) throw new Error(`${ctx.step.id} is not an upgrade stage`);
  return stage;
}

/** The runner journals this step's start and end; the session adds progress and evidence. */
function selfJournal(ctx: UpgradeStepContext): StageJournal {
  const none = async () => undefined;
  return { started: none, succeeded: none, failed: none, cancelled: none, progress: (m, d) => ctx.progress(m, d), record: (d) => ctx.record(d) };
}

async function runOne(ctx: UpgradeStepContext, target: Target, versions: UpgradeVersions, stage: UpgradeStage): Promise<StepOutcome> {
  const session = await StageSession.open(ctx, target, versions, [stage], () => selfJournal(ctx), stage);
  try {
    await driveStages(ctx, target, session, () => 'run this step again.', stage);
    const job = session.tracker.view(stage).job;
    return { summary: `Stage ${stage} complete: Job ${job?.name ?? ''} (${job?.succeeded ?? 0} pod(s))`, evidence: stagesEvidence(session, [stage]) };
  } catch (error) {
    if (ctx.signal.aborted) throw await session.cancelled();
    throw error;
  } finally {
    await session.close();
  }
}

export function runStage(environment: UpgradeEnvironment): StepExecutor<UpgradePorts, Target> {
  return {
    stepId: new RegExp(`^${environment}\\.upgrade\\.stage\\.`),

    async observe(ctx) {
      const stage = stageOfStep(ctx);
      const versions = upgradeVersions(ctx);
      const cluster = await clusterOf(ctx);
      const selector = `${VERSION_LABEL}=${versions.to},${STAGE_LABEL}=${stage}`;
      const jobs = await cluster.kube.listJobs(cluster.context, cluster.env.upgradeNamespace, selector);
      const complete = jobs.find((job) => jobState(job) === 'complete');
      if (!complete) return { done: false };
      return { done: true, summary: `Job ${complete.name} of stage ${stage} is complete`, evidence: { job: complete.name, uid: complete.uid } };
    },

    prepare(ctx) {
      const stage = stageOfStep(ctx);
      const { from, to } = upgradeVersions(ctx);
      return confirmTarget(ctx, `Run upgrade stage ${stage} (${from} → ${to}, run-upgrade.sh --stage ${stage})`, [ctx.config.environments[environment].upgradeNamespace]);
    },

    async run(ctx, target) {
      const versions = upgradeVersions(ctx);
      const stage = stageOfStep(ctx);
      return withLock(ctx, target, async () => {
        await ctx.record({ ...targetEvidence(target), ...versions });
        return runOne(ctx, target, versions, stage);
      });
    },
  };
}
