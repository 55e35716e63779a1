/**
 * The stages' states from a watch on the release's Jobs, journalled on each stage's step as they change: started,
 * pod counts, succeeded or failed (from the Job's conditions). Failed Jobs found at the start whose failure was
 * already reported belong to an earlier run (run-upgrade.sh replaces them) and are ignored; Jobs complete at the
 * start are adopted, never run again.
 */
import type { EventData } from '../../core/journal/types.js';
import type { UpgradeStage } from '../../core/runbook/types.js';
import type { ChildStep } from '../../engine/step-types.js';
import type { JobInfo } from '../../ports.js';
import { durationSeconds, jobState, podCounts, stageOf, type JobState } from './stages.js';

/** How a stage's state reaches the journal: a child of the run step, or the stage step itself (then only progress). */
export type StageJournal = Omit<ChildStep, 'stepId'>;

export interface StageView {
  readonly job?: JobInfo;
  readonly state: JobState | 'pending';
}

interface Seen {
  uid: string;
  state: JobState;
  counts: string;
}

export class StageTracker {
  private readonly seen = new Map<UpgradeStage, Seen>();
  private readonly current = new Map<UpgradeStage, JobInfo>();
  private readonly staleJobs = new Set<string>();
  private readonly journalled = new Map<UpgradeStage, string>();
  /** Failed Jobs whose failure is journalled by `reportFailure`, when the last log lines are in. */
  private readonly failedJobs = new Map<UpgradeStage, JobInfo>();
  private queue: Promise<void> = Promise.resolve();
  /** How many times a stage's Job changed (appeared, pod counts, state): whether anything moved. */
  changes = 0;
  private readonly waiters: (() => void)[] = [];

  constructor(
    readonly stages: readonly UpgradeStage[],
    private readonly journalOf: (stage: UpgradeStage) => StageJournal,
    /** Journal status of each stage's step when the run began. */
    statusAtStart: (stage: UpgradeStage) => string,
    private readonly warn: (line: string) => void,
  ) {
    for (const stage of stages) this.journalled.set(stage, statusAtStart(stage));
  }

  /**
   * The Jobs found before anything runs; answers the uids whose logs need no following. A failed Job is an earlier
   * run's (run-upgrade.sh replaces it) when its failure is journalled already or its stage is being `rerun`; a failure
   * nobody has seen (it happened while the window was gone) is reported, with its pods' logs read for the last lines.
   */
  begin(jobs: readonly JobInfo[], rerun?: UpgradeStage): string[] {
    const ignored: string[] = [];
    for (const job of jobs) {
      const state = jobState(job);
      const stage = stageOf(job);
      const seen = stage !== undefined && (stage === rerun || this.journalled.get(stage) === 'failed');
      if (state === 'failed' && seen) this.staleJobs.add(job.uid);
      if (state === 'complete' || (state === 'failed' && seen)) ignored.push(job.uid);
    }
    this.onJobs(jobs);
    return ignored;
  }

  onJobs(jobs: readonly JobInfo[]): void {
    for (const stage of this.stages) {
      const job = jobs.find((j) => stageOf(j) === stage && !this.staleJobs.has(j.uid));
      if (job) this.current.set(stage, job);
      else this.current.delete(stage);
      if (job) this.observe(stage, job);
    }
    for (const wake of this.waiters.splice(0)) wake();
  }

  view(stage: UpgradeStage): StageView {
    const job = this.current.get(stage);
    return job ? { job, state: jobState(job) } : { state: 'pending' };
  }

  completed(): UpgradeStage[] {
    return this.stages.filter((s) => this.view(s).state === 'complete');
  }

  failed(): UpgradeStage | undefined {
    return this.stages.find((s) => this.view(s).state === 'failed');
  }

  running(): UpgradeStage | undefined {
    return this.stages.find((s) => this.view(s).state === 'running');
  }

  /** Resolves on the next change of the Jobs. */
  changed(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Waits for every journal write so far. */
  settled(): Promise<void> {
    return this.queue;
  }

  private write(stage: UpgradeStage, status: string, event: (journal: StageJournal) => Promise<void>): void {
    this.journalled.set(stage, status);
    const journal = this.journalOf(stage);
    this.queue = this.queue.then(() => event(journal)).catch((error: unknown) => this.warn(`Could not journal stage ${stage}: ${String(error)}`));
  }

  private observe(stage: UpgradeStage, job: JobInfo): void {
    const state = jobState(job);
    const counts = podCounts(job);
    const before = this.seen.get(stage);
    if (before?.uid === job.uid && before.state === state && before.counts === counts) return;
    this.seen.set(stage, { uid: job.uid, state, counts });
    this.changes += 1;
    const status = this.journalled.get(stage);
    if (state === 'complete' && status === 'succeeded') return;
    if (status !== 'running') this.write(stage, 'running', (j) => j.started(`Job ${job.name}: ${counts}`));
    if (state === 'running') this.write(stage, 'running', (j) => j.progress(counts, { job: job.name, active: job.active, succeeded: job.succeeded, failed: job.failed }));
    if (state === 'complete') this.write(stage, 'succeeded', (j) => j.succeeded(this.completeSummary(job, before === undefined), completeEvidence(job)));
    if (state === 'failed') this.failedJobs.set(stage, job);
  }

  private completeSummary(job: JobInfo, foundDone: boolean): string {
    const took = durationSeconds(job);
    const summary = `Job ${job.name} complete: ${job.succeeded} pod(s)${took !== undefined ? ` in ${took} s` : ''}`;
    return foundDone ? `Already done: ${summary}` : summary;
  }

  /** Journals why a running stage's pods do not start (or that they now do). */
  reportStuck(stage: UpgradeStage, reasons: readonly string[]): void {
    const job = this.current.get(stage);
    if (!job || jobState(job) !== 'running') return;
    const message = reasons.length > 0 ? `Pods not starting: ${reasons.join('; ')}` : podCounts(job);
    this.write(stage, 'running', (j) => j.progress(message, { job: job.name, stuck: [...reasons] }));
  }

  /** Journals a stage's failure with the message (reason, last log lines, next action) once the caller knows it. */
  reportFailure(stage: UpgradeStage, summary: string, evidence: EventData): void {
    if (!this.failedJobs.has(stage)) return;
    this.failedJobs.delete(stage);
    this.write(stage, 'failed', (j) => j.failed(summary, evidence));
  }

  /** Marks the stage in progress cancelled: the run stopped waiting; its Job goes on. */
  cancelRunning(message: (stage: UpgradeStage, job: JobInfo) => string): void {
    for (const stage of this.stages) {
      const job = this.current.get(stage);
      if (job && jobState(job) === 'running' && this.journalled.get(stage) === 'running') {
        this.write(stage, 'cancelled', (j) => j.cancelled(message(stage, job)));
      }
    }
  }
}

function completeEvidence(job: JobInfo): EventData {
  const took = durationSeconds(job);
  return {
    job: job.name,
    uid: job.uid,
    pods: job.succeeded,
    startTime: job.startTime ?? null,
    completionTime: job.completionTime ?? null,
    ...(took !== undefined ? { durationSeconds: took } : {}),
    // An earlier attempt's failure no longer describes the stage: its words go (evidence is kept across reruns).
    headline: null,
    cause: null,
    reason: null,
    lastLines: null,
  };
}
