/**
 * One run over the upgrade stages: the Job watch feeding the tracker, the pod watch feeding the stage logs, and what
 * the executors ask of them — wait for a stage, report a failure with its last lines, stop waiting on a cancel.
 */
import { UserError } from '../../core/errors.js';
import type { UpgradeStage } from '../../core/runbook/types.js';
import { Cancelled } from '../../engine/step-types.js';
import type { JobInfo } from '../../ports.js';
import { prefixedSink } from './batched-log.js';
import { StageLogs } from './stage-logs.js';
import { StageTracker, type StageJournal } from './stage-tracker.js';
import { VERSION_LABEL, causeOf, failureOf, stageStepId, type UpgradeVersions } from './stages.js';
import type { Target, UpgradeStepContext } from './target.js';

const LOG_GRACE_MS = 5_000;
const FAILURE_LINES = 8;

export class StageSession {
  private readonly abort = new AbortController();
  private watching: Promise<void> = Promise.resolve();
  private watchError: unknown;

  private constructor(
    private readonly ctx: UpgradeStepContext,
    private readonly target: Target,
    readonly versions: UpgradeVersions,
    readonly tracker: StageTracker,
    readonly logs: StageLogs,
  ) {}

  /** Lists the release's Jobs, then watches them and their pods' logs. */
  static async open(
    ctx: UpgradeStepContext,
    target: Target,
    versions: UpgradeVersions,
    stages: readonly UpgradeStage[],
    journalOf: (stage: UpgradeStage) => StageJournal,
    /** The stage the step reruns (`--stage`): its failed Job is the one being replaced. */
    rerun?: UpgradeStage,
  ): Promise<StageSession> {
    const { kube, context, env, environment } = target;
    const warn = (line: string) => ctx.log.warn(line);
    const tracker = new StageTracker(stages, journalOf, (stage) => ctx.statusOf(stageStepId(environment, stage)), warn);
    const sinkFor = (stage: UpgradeStage) => ctx.stageLog?.(stage) ?? prefixedSink(ctx.log, `[${stage}] `);
    const onStuck = (stage: UpgradeStage, reasons: readonly string[]) => tracker.reportStuck(stage, reasons);
    const logs = new StageLogs({ kube, context, namespace: env.upgradeNamespace, version: versions.to, stages, sinkFor, clock: ctx.clock, warn, onStuck });
    const session = new StageSession(ctx, target, versions, tracker, logs);
    const jobs = await kube.listJobs(context, env.upgradeNamespace, session.selector);
    for (const uid of tracker.begin(jobs, rerun)) logs.ignoreJob(uid);
    for (const job of jobs) session.noteParallelism(job);
    logs.start();
    session.watching = kube
      .watchJobs(context, env.upgradeNamespace, session.selector, (all) => session.onJobs(all), session.abort.signal)
      .catch((error: unknown) => {
        session.watchError = error;
        tracker.onJobs([]);
      });
    return session;
  }

  get selector(): string {
    return `${VERSION_LABEL}=${this.versions.to}`;
  }

  private noteParallelism(job: JobInfo): void {
    const stage = this.tracker.stages.find((s) => s === job.labels['io.lendos.app/upgrade-stage']);
    if (stage) this.logs.setParallelism(stage, job.parallelism);
  }

  private onJobs(jobs: readonly JobInfo[]): void {
    jobs.forEach((job) => this.noteParallelism(job));
    this.tracker.onJobs(jobs);
  }

  /** A fresh list of the Jobs (after a script exits), so no state is missed while the watch catches up. */
  async refresh(): Promise<void> {
    const { kube, context, env } = this.target;
    this.onJobs(await kube.listJobs(context, env.upgradeNamespace, this.selector));
    await this.tracker.settled();
  }

  allComplete(): boolean {
    return this.tracker.completed().length === this.tracker.stages.length;
  }

  /** Waits until `stage` is no longer running: complete, failed, or its Job gone. */
  async waitFor(stage: UpgradeStage): Promise<'complete' | 'failed' | 'pending'> {
    const signal = this.ctx.signal;
    let onAbort = (): void => undefined;
    const cancelled = new Promise<void>((resolve) => {
      onAbort = () => resolve();
      signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      for (;;) {
        signal.throwIfAborted();
        if (this.watchError) throw this.watchError;
        const { state } = this.tracker.view(stage);
        if (state !== 'running') return state;
        await Promise.race([this.tracker.changed(), cancelled]);
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  /** Journals the failed stage with its reason and last lines; answers the error the step fails with. */
  async failure(stage: UpgradeStage, rerun: string): Promise<UserError> {
    const job = this.tracker.view(stage).job;
    await this.logs.close(LOG_GRACE_MS);
    const followed = this.logs.lastLines(stage, FAILURE_LINES);
    const lines = followed.length > 0 || !job ? followed : await this.tailOf(job);
    const why = job ? failureOf(job) : 'failed';
    // The log's ERROR line says why; the Job's condition (BackoffLimitExceeded) only that it gave up.
    const cause = causeOf(lines);
    const last = lines.length > 0 ? ` Last log lines:\n${lines.join('\n')}\n` : ' ';
    const own = `Stage ${stage} failed: `;
    const detail = cause?.startsWith(own) ? cause.slice(own.length) : cause;
    const said = detail ? `${detail} (Job ${job?.name ?? '(unknown)'}: ${why})` : `Job ${job?.name ?? '(unknown)'} ${why}`;
    const message = `Stage ${stage} failed: ${said}.${last}Fix the cause, then ${rerun}`;
    const evidence = { job: job?.name ?? null, reason: why, ...(cause ? { cause, headline: cause } : {}), lastLines: lines };
    this.tracker.reportFailure(stage, said, evidence);
    await this.tracker.settled();
    return new UserError(message, 'stage-failed');
  }

  /**
   * The failed Job's pods' last lines read directly — when following them did not catch them in time (a failure that
   * happened while nobody watched, a slow API server). Best effort: a failure to read is said, not thrown.
   */
  private async tailOf(job: JobInfo): Promise<string[]> {
    const { kube, context, env } = this.target;
    try {
      const pods = await kube.tailPodLogs(context, env.upgradeNamespace, `batch.kubernetes.io/job-name=${job.name}`, FAILURE_LINES);
      const several = pods.length > 1;
      return pods.flatMap((pod) => pod.lines.map((line) => (several ? `[${pod.pod}] ${line}` : line))).slice(-FAILURE_LINES);
    } catch (error) {
      this.ctx.log.warn(`Could not read the last log lines of Job ${job.name}: ${error instanceof Error ? error.message : String(error)}`);
      return [];
    }
  }

  /** On a cancel: marks the stage in progress cancelled and answers what the step says — the Job goes on. */
  async cancelled(): Promise<Cancelled> {
    const running = this.tracker.running();
    const job = running ? this.tracker.view(running).job : undefined;
    const message = job
      ? `Stopped waiting; the Job ${job.name} of stage ${running} keeps running in ${job.namespace} (a cancel does not stop Jobs). Run the step again: it continues with that Job and never re-runs a finished stage.`
      : 'Stopped waiting; no stage Job was running. Run the step again to continue; finished stages are never re-run.';
    this.tracker.cancelRunning(() => message);
    await this.tracker.settled();
    return new Cancelled(message);
  }

  /** Stops the watches, letting the stage logs finish reading what was printed (not after a cancel: that stops now). */
  async close(): Promise<void> {
    this.abort.abort();
    await this.watching;
    await this.logs.close(this.ctx.signal.aborted ? 0 : LOG_GRACE_MS);
    await this.tracker.settled();
  }
}
