/**
 * Runs one automated step: take the step's lock (one runner per step across processes), observe (already done?
 * adopt it), prepare (ask before changing anything), then run, with every state change journalled. Also reconciles
 * steps left "running" by a run whose process is gone.
 */
import { CalVer } from '../core/calver.js';
import { UserError, messageOf } from '../core/errors.js';
import type { EventData, JournalEventType } from '../core/journal/types.js';
import { ownerData, whereOf, type RunOwner, type RunShell } from '../core/run-owner.js';
import type { StepDef, UpgradeStage } from '../core/runbook/types.js';
import { isDevFlow } from '../core/runbook/index.js';
import type { RunLocks } from '../ports.js';
import type { ReleaseService, ReleaseView } from './release-service.js';
import { lockStep, newOwner, refuseConfigProblems } from './run-guard.js';
import { Cancelled, Declined, type ChildStep, type LogSink, type Prompt, type StepContext, type StepExecutor } from './step-types.js';
import type { Executors } from './registry.js';

export interface StepShell {
  readonly prompt: Prompt;
  readonly log: LogSink;
  readonly signal: AbortSignal;
  /** One sink per upgrade stage (the editor's per-stage LogOutputChannel); absent → the step log with a prefix. */
  readonly stageLog?: (stage: UpgradeStage) => LogSink;
}

export type RunResult =
  | { readonly status: 'succeeded'; readonly summary: string; readonly adopted: boolean }
  | { readonly status: 'failed' | 'cancelled'; readonly summary: string };

type Ending = 'step.started' | 'step.succeeded' | 'step.failed' | 'step.cancelled';

export class StepRunner {
  private readonly running = new Set<string>();

  constructor(
    private readonly service: ReleaseService,
    private readonly registry: Executors,
    /** The steps' ports, for read-only looks outside a run (Diagnose). */
    readonly ports: unknown,
    private readonly locks: RunLocks,
    private readonly shell: RunShell,
  ) {}

  /** Whether this process runs the step now. */
  isRunning(version: string, stepId: string): boolean {
    return this.running.has(`${version}/${stepId}`);
  }

  /** The form fields a step may ask for (what `--set` may override); empty for a step without a form or an executor. */
  async formFields(stepId: string): Promise<readonly string[]> {
    return (await this.registry.find(stepId))?.fields ?? [];
  }

  async run(version: string, stepId: string, shell: StepShell): Promise<RunResult> {
    refuseConfigProblems(this.service);
    const step = await this.stepOf(version, stepId);
    const owner = await newOwner(this.service, this.locks, this.shell, this.service.clock);
    const lock = await lockStep(this.locks, version, step, owner);
    const key = `${version}/${stepId}`;
    this.running.add(key);
    try {
      // Read only now, under the lock: what an earlier run recorded is seen, and nobody else records meanwhile.
      const { executor, ctx } = await this.setup(version, stepId, shell, owner);
      return await this.execute(executor, ctx, version, stepId, owner);
    } finally {
      this.running.delete(key);
      await lock.release();
    }
  }

  private async stepOf(version: string, stepId: string): Promise<StepDef> {
    const view = await this.service.view(version);
    const step = view.runbook.steps.find((s) => s.id === stepId);
    if (!step) throw new UserError(`There is no step "${stepId}" in release ${version}: run "lendos plan" to list the step ids.`);
    return step;
  }

  private async execute(executor: StepExecutor, ctx: StepContext, version: string, stepId: string, owner: RunOwner): Promise<RunResult> {
    const write = (type: Ending, message?: string, data?: EventData) => this.service.appendEvent({ release: version, step: stepId, type, message, data });
    const start = (message?: string) => write('step.started', message, { run: ownerData(owner) });
    let started = false;
    try {
      const observation = await executor.observe(ctx);
      if (observation.done) {
        await start('Checking whether it is already done');
        await write('step.succeeded', `Already done: ${observation.summary}`, { ...observation.evidence, adopted: true });
        return { status: 'succeeded', summary: observation.summary, adopted: true };
      }
      const input = executor.prepare ? await executor.prepare(ctx) : undefined;
      if (executor.prepare && input === undefined) throw new Declined();
      ctx.signal.throwIfAborted();
      await start();
      started = true;
      const outcome = await executor.run(ctx, input);
      await write('step.succeeded', outcome.summary, outcome.evidence);
      return { status: 'succeeded', summary: outcome.summary, adopted: false };
    } catch (error) {
      const cancelled = error instanceof Declined || error instanceof Cancelled || ctx.signal.aborted;
      const explained = error instanceof Declined || error instanceof Cancelled;
      const summary = cancelled && !explained ? 'Cancelled by you; see the log for what had been done.' : messageOf(error);
      // Refused or declined before it started (a check, a question): nothing changed, so nothing is journalled.
      if (started) await write(cancelled ? 'step.cancelled' : 'step.failed', summary);
      ctx.log.error(summary);
      return { status: cancelled ? 'cancelled' : 'failed', summary };
    }
  }

  private async setup(version: string, stepId: string, shell: StepShell, owner: RunOwner) {
    const view = await this.service.view(version);
    const planned = view.plan.find((p) => p.step.id === stepId);
    if (!planned) throw new UserError(`There is no step "${stepId}" in release ${version}: run "lendos plan" to list the step ids.`);
    const executor = await this.registry.find(stepId);
    if (!executor) throw new UserError(`${planned.step.title} is a manual step: do it as its guidance says, then mark it done.`);
    if (planned.blockedBy.length > 0) {
      throw new UserError(`${planned.step.title} depends on steps that are not done: ${planned.blockedBy.join(', ')}. Finish them first.`, 'blocked');
    }
    const evidence = new Map(view.plan.map((p) => [p.step.id, p.state.evidence]));
    const status = new Map(view.plan.map((p) => [p.step.id, p.state.status]));
    const append = (type: JournalEventType, data: EventData, message?: string, keep?: 'first') =>
      this.service.appendEvent({ release: version, step: stepId, type, message, data, ...(keep ? { keep } : {}) });
    const release = isDevFlow(version) ? undefined : CalVer.parse(version);
    const ctx: StepContext = {
      step: planned.step,
      // The dev flow has no release version: a dev step that asked for one would be a bug, said as such.
      get version(): CalVer {
        if (!release) throw new Error(`${stepId} runs in the dev flow, which has no release version`);
        return release;
      },
      config: this.service.config(),
      evidenceOf: (id) => evidence.get(id) ?? {},
      log: shell.log,
      progress: (message, data) => append('step.progress', data ?? {}, message),
      record: (data) => append('step.evidence', data),
      recordFirst: async (data) => {
        await append('step.evidence', data, undefined, 'first');
        const kept = (await this.service.view(version)).state.steps.get(stepId)?.evidence ?? {};
        return Object.fromEntries(Object.keys(data).map((key) => [key, kept[key] ?? null]));
      },
      run: owner,
      isLive: (run) => this.isLive(version, owner, run),
      prompt: shell.prompt,
      signal: shell.signal,
      clock: this.service.clock,
      ports: this.ports,
      statusOf: (id) => status.get(id) ?? 'pending',
      child: (id) => this.childStep(view, version, stepId, id, owner),
      stageLog: shell.stageLog,
    };
    return { executor, ctx, view };
  }

  /** Gone when its process is; otherwise as the journal tells (a run it does not know is taken as live). */
  private async isLive(version: string, self: RunOwner, run: Pick<RunOwner, 'id' | 'pid' | 'host'>): Promise<boolean> {
    if (run.id === self.id) return true;
    const alive = this.locks.isAlive(run);
    if (alive === false) return false;
    const record = (await this.service.view(version)).state.runs.get(run.id);
    return record ? record.endedAt === undefined : true;
  }

  private childStep(view: ReleaseView, version: string, parent: string, stepId: string, owner: RunOwner): ChildStep {
    const child = view.runbook.steps.find((s) => s.id === stepId);
    if (child?.parent !== parent) throw new Error(`${stepId} is not a child step of ${parent}`);
    const write = (type: JournalEventType, message?: string, data?: EventData) =>
      this.service.appendEvent({ release: version, step: stepId, type, message, data });
    return {
      stepId,
      started: (message) => write('step.started', message, { run: ownerData(owner) }),
      progress: (message, data) => write('step.progress', message, data),
      record: (data) => write('step.evidence', undefined, data),
      succeeded: (summary, evidence) => write('step.succeeded', summary, evidence),
      failed: (summary, evidence) => write('step.failed', summary, evidence),
      cancelled: (summary) => write('step.cancelled', summary),
    };
  }

  /**
   * Steps the journal shows running whose run is gone (a reload, a crash, a killed CLI). Each is taken under its
   * lock — a run still going elsewhere holds it and is left alone — then re-observed: done → adopted; otherwise the
   * interruption is recorded so the person can run it again (it continues from what is done). With `observe: false`
   * (a quick `lendos status`) the interruption is recorded without looking at the world.
   */
  async reconcile(version: string, shell: StepShell, options: { observe?: boolean } = {}): Promise<string[]> {
    const view = await this.service.view(version);
    const candidates = view.plan.filter((p) => p.state.status === 'running' && !this.isRunning(version, p.step.id));
    const notes: string[] = [];
    for (const planned of candidates) {
      const owner = await newOwner(this.service, this.locks, this.shell, this.service.clock);
      const lock = await this.locks.acquire(version, planned.step.parent ?? planned.step.id, owner);
      if (!('release' in lock)) continue;
      try {
        if (await this.reconcileOne(version, planned.step.id, shell, owner, options.observe ?? true)) notes.push(planned.step.id);
      } finally {
        await lock.release();
      }
    }
    return notes;
  }

  private async reconcileOne(version: string, stepId: string, shell: StepShell, owner: RunOwner, observe: boolean): Promise<boolean> {
    const state = (await this.service.view(version)).state.steps.get(stepId);
    if (state?.status !== 'running') return false;
    // The lock was free, so its run is over — unless it runs on from before step locks existed.
    if (state.run && state.run.id !== owner.id && this.locks.isAlive(state.run) === true) return false;
    const executor = observe ? await this.registry.find(stepId) : undefined;
    const ctx = executor ? (await this.setup(version, stepId, shell, owner).catch(() => undefined))?.ctx : undefined;
    const observation = executor && ctx ? await executor.observe(ctx).catch(() => ({ done: false as const })) : { done: false as const };
    const append = (type: 'step.succeeded' | 'step.cancelled', message: string, data?: EventData) =>
      this.service.appendEvent({ release: version, step: stepId, type, message, data });
    const who = state.run ? `its run (${whereOf(state.run)}) is gone` : 'it was interrupted (window reload or crash)';
    if (observation.done) await append('step.succeeded', `Found done after an interruption: ${observation.summary}`, { ...observation.evidence, adopted: true });
    else await append('step.cancelled', `Interrupted: ${who} before it finished; run it again — it continues from what is already done.`);
    return true;
  }
}
