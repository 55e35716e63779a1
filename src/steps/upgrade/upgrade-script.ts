/**
 * `charts/daml-upgrade/run-upgrade.sh --from X --to Y <staging|bxci> [--stage S]` from the lendos-eks-workloads clone,
 * its output streamed to the step's log; when it dies without a stage failing (it lost the API server), the stages
 * go on through the Job watch and `--stage`.
 */
import path from 'node:path';
import { UserError } from '../../core/errors.js';
import type { UpgradeStage } from '../../core/runbook/types.js';
import type { ProcessResult } from '../../ports.js';
import type { StageSession } from './stage-session.js';
import type { Target, UpgradeStepContext } from './target.js';

export const CHART_DIR = 'charts/daml-upgrade';
export const UPGRADE_SCRIPT = 'run-upgrade.sh';
/** Runs of the script in a row that leave every stage Job as it was, before the step gives up. */
const MAX_IDLE_RUNS = 3;
const RETRY_PAUSE_MS = 500;

export function chartDirectory(ctx: UpgradeStepContext): string {
  return path.join(path.resolve(ctx.ports.workspaceRoot, ctx.config.repositories.workloadsPath), CHART_DIR);
}

export async function runUpgradeScript(ctx: UpgradeStepContext, target: Target, session: StageSession, stage?: UpgradeStage): Promise<ProcessResult> {
  const argument = target.env.upgradeArgument;
  if (!argument) throw new UserError(`${target.env.label} has no run-upgrade.sh environment argument (upgradeArgument) in the configuration.`, 'missing-config');
  const { from, to } = session.versions;
  const args = ['--from', from, '--to', to, argument, ...(stage ? ['--stage', stage] : [])];
  const dir = chartDirectory(ctx);
  ctx.log.info(`$ cd ${dir} && ./${UPGRADE_SCRIPT} ${args.join(' ')}`);
  const env = { ...ctx.ports.scriptEnv, KUBECONFIG: target.info.kubeconfig.join(path.delimiter), KUBE_CONTEXT: target.context };
  try {
    return await ctx.ports.processes.run({
      command: path.join(dir, UPGRADE_SCRIPT),
      args,
      cwd: dir,
      env,
      signal: ctx.signal,
      onOutput: (chunk, stream) => ctx.log.output(chunk, stream),
      // Kept so that after a crash the next run knows whether this script outlived the window.
      onStart: (pid) => void ctx.record({ upgradeScript: { pid, host: ctx.run.host, args } }).catch(() => undefined),
    });
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    throw new UserError(
      `${UPGRADE_SCRIPT} could not be started from ${dir} (${error instanceof Error ? error.message : String(error)}): clone lendos-eks-workloads there ` +
        '(lendos.repositories.workloadsPath) and pull main. Nothing was changed.',
      'missing-script',
    );
  }
}

function ended(result: ProcessResult): string {
  return result.exitCode === null ? `was ended by ${result.signal ?? 'a signal'}` : `exited with code ${result.exitCode}`;
}

/**
 * Runs the script until the stages (or `only`) are complete; a failed stage fails the step with its last log lines
 * and `rerun` (what to do next). A Job left running (by a script that died, or before a crash) is waited for
 * through the watch, never started again. Once the full script has died, the stages go on one at a time with
 * `--stage`, which only ever starts a stage that has no Job yet.
 */
const SCRIPT_POLL_MS = 1_000;

/** The run-upgrade.sh a run before a crash started, if it still runs on this machine. */
async function earlierScript(ctx: UpgradeStepContext): Promise<number | undefined> {
  const recorded = ctx.evidenceOf(ctx.step.id)['upgradeScript'];
  if (typeof recorded !== 'object' || recorded === null || Array.isArray(recorded)) return undefined;
  const { pid, host } = recorded as { pid?: unknown; host?: unknown };
  if (typeof pid !== 'number' || host !== ctx.run.host) return undefined;
  return (await ctx.ports.processes.isRunning(pid, chartDirectory(ctx))) ? pid : undefined;
}

/**
 * A run-upgrade.sh that outlived the window (a crash does not end it) keeps creating the stage Jobs: follow them until
 * it exits rather than start a second one next to it; a failed stage still fails the step at once.
 */
async function followEarlierScript(ctx: UpgradeStepContext, session: StageSession, rerun: (stage: UpgradeStage) => string): Promise<void> {
  const pid = await earlierScript(ctx);
  if (pid === undefined) return;
  ctx.log.info(`${UPGRADE_SCRIPT} started before the interruption is still running (pid ${pid}): following its Jobs instead of starting another.`);
  await ctx.progress(`Following ${UPGRADE_SCRIPT} (pid ${pid}) from before the interruption`);
  while (await ctx.ports.processes.isRunning(pid, chartDirectory(ctx))) {
    await session.refresh();
    const failed = session.tracker.failed();
    if (failed) throw await session.failure(failed, rerun(failed));
    await ctx.clock.sleep(SCRIPT_POLL_MS, ctx.signal);
  }
  ctx.log.info(`${UPGRADE_SCRIPT} (pid ${pid}) has ended; going on from what its Jobs show.`);
}

export async function driveStages(
  ctx: UpgradeStepContext,
  target: Target,
  session: StageSession,
  rerun: (stage: UpgradeStage) => string,
  only?: UpgradeStage,
): Promise<void> {
  const { tracker } = session;
  const done = () => (only ? tracker.view(only).state === 'complete' : session.allComplete());
  let stageByStage = only !== undefined;
  let idle = 0;
  await followEarlierScript(ctx, session, rerun);
  for (;;) {
    await session.refresh();
    const failed = tracker.failed();
    if (failed) throw await session.failure(failed, rerun(failed));
    if (done()) return;
    const running = tracker.running();
    if (running) {
      ctx.log.info(`The Job of stage ${running} is running: waiting for it, not starting it again.`);
      await session.waitFor(running);
      continue;
    }
    const next = only ?? tracker.stages.find((s) => tracker.view(s).state !== 'complete');
    const before = tracker.changes;
    const result = await runUpgradeScript(ctx, target, session, stageByStage ? next : undefined);
    ctx.signal.throwIfAborted();
    await session.refresh();
    idle = tracker.changes > before ? 0 : idle + 1;
    const nextDone = stageByStage && next !== undefined && tracker.view(next).state === 'complete';
    if (tracker.failed() || done() || nextDone) continue;
    if (result.exitCode === 0 && !tracker.running()) {
      throw new UserError(`${UPGRADE_SCRIPT} finished, but stage ${next ?? '?'} has no complete Job in ${target.env.upgradeNamespace}: read its output above.`, 'stages-incomplete');
    }
    if (idle >= MAX_IDLE_RUNS) {
      throw new UserError(`${UPGRADE_SCRIPT} ${ended(result)} ${idle} times in a row without any stage Job moving; its output is in the log. Fix what it reports, then run the step again.`, 'script-failed');
    }
    ctx.log.warn(`${UPGRADE_SCRIPT} ${ended(result)} but no stage Job failed (it may have lost the API server); going on one stage at a time (--stage), never re-running a finished stage.`);
    await ctx.clock.sleep(RETRY_PAUSE_MS * idle, ctx.signal);
    stageByStage = true;
  }
}
