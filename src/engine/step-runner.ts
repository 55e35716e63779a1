/**
 * Runs one automated step: observe (already done? adopt it), prepare (ask before changing anything), then run,
 * with every state change journalled. Also reconciles steps left "running" by a reload or crash.
 */
import { CalVer } from '../core/calver.js';
import { UserError, messageOf } from '../core/errors.js';
import type { EventData, JournalEventType } from '../core/journal/types.js';
import type { UpgradeStage } from '../core/runbook/types.js';
import type { ReleaseService, ReleaseView } from './release-service.js';
import {
  Cancelled,
  Declined,
  type ChildStep,
  type LogSink,
  type Prompt,
  type StepContext,
  type StepExecutor,
} from './step-types.js';
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

export class StepRunner {
  private readonly running = new Set<string>();

  constructor(
    private readonly service: ReleaseService,
    private readonly registry: Executors,
    private readonly ports: unknown,
  ) {}

  isRunning(version: string, stepId: string): boolean {
    return this.running.has(`${version}/${stepId}`);
  }

  /** The form fields a step may ask for (what `--set` may override); empty for a step without a form or an executor. */
  async formFields(stepId: string): Promise<readonly string[]> {
    return (await this.registry.find(stepId))?.fields ?? [];
  }

  async run(version: string, stepId: string, shell: StepShell): Promise<RunResult> {
    const key = `${version}/${stepId}`;
    if (this.running.has(key)) throw new UserError(`${stepId} is already running in this window.`);
    const { executor, ctx, view } = await this.setup(version, stepId, shell);
    this.refuseWhileRelativeRuns(version, stepId, view);
    this.running.add(key);
    try {
      return await this.execute(executor, ctx, version, stepId);
    } finally {
      this.running.delete(key);
    }
  }

  private async execute(executor: StepExecutor, ctx: StepContext, version: string, stepId: string): Promise<RunResult> {
    const write = (type: 'step.started' | 'step.succeeded' | 'step.failed' | 'step.cancelled', message?: string, data?: EventData) =>
      this.service.appendEvent({ release: version, step: stepId, type, message, data });
    let started = false;
    try {
      const observation = await executor.observe(ctx);
      if (observation.done) {
        await write('step.started', 'Checking whether it is already done');
        await write('step.succeeded', `Already done: ${observation.summary}`, { ...observation.evidence, adopted: true });
        return { status: 'succeeded', summary: observation.summary, adopted: true };
      }
      const input = executor.prepare ? await executor.prepare(ctx) : undefined;
      if (executor.prepare && input === undefined) throw new Declined();
      ctx.signal.throwIfAborted();
      await write('step.started');
      started = true;
      const outcome = await executor.run(ctx, input);
      await write('step.succeeded', outcome.summary, outcome.evidence);
      return { status: 'succeeded', summary: outcome.summary, adopted: false };
    } catch (error) {
      const cancelled = error instanceof Declined || error instanceof Cancelled || ctx.signal.aborted;
      const explained = error instanceof Declined || error instanceof Cancelled;
      const summary = cancelled && !explained ? 'Cancelled by you; see the log for what had been done.' : messageOf(error);
      if (started) await write(cancelled ? 'step.cancelled' : 'step.failed', summary);
      else if (!cancelled) {
        await write('step.started');
        await write('step.failed', summary);
      }
      ctx.log.error(summary);
      return { status: cancelled ? 'cancelled' : 'failed', summary };
    }
  }

  private async setup(version: string, stepId: string, shell: StepShell) {
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
    const ctx: StepContext = {
      step: planned.step,
      version: CalVer.parse(version),
      config: this.service.config(),
      evidenceOf: (id) => evidence.get(id) ?? {},
      log: shell.log,
      progress: (message, data) => this.service.appendEvent({ release: version, step: stepId, type: 'step.progress', message, data }),
      record: (data) => this.service.appendEvent({ release: version, step: stepId, type: 'step.evidence', data }),
      prompt: shell.prompt,
      signal: shell.signal,
      clock: this.service.clock,
      ports: this.ports,
      statusOf: (id) => status.get(id) ?? 'pending',
      child: (id) => this.childStep(view, version, stepId, id),
      stageLog: shell.stageLog,
    };
    return { executor, ctx, view };
  }

  private childStep(view: ReleaseView, version: string, parent: string, stepId: string): ChildStep {
    const child = view.runbook.steps.find((s) => s.id === stepId);
    if (child?.parent !== parent) throw new Error(`${stepId} is not a child step of ${parent}`);
    const write = (type: JournalEventType, message?: string, data?: EventData) =>
      this.service.appendEvent({ release: version, step: stepId, type, message, data });
    return {
      stepId,
      started: (message) => write('step.started', message),
      progress: (message, data) => write('step.progress', message, data),
      record: (data) => write('step.evidence', undefined, data),
      succeeded: (summary, evidence) => write('step.succeeded', summary, evidence),
      failed: (summary, evidence) => write('step.failed', summary, evidence),
      cancelled: (summary) => write('step.cancelled', summary),
    };
  }

  /** A parent that drives its children and a child run on its own would both act on the same stage. */
  private refuseWhileRelativeRuns(version: string, stepId: string, view: ReleaseView): void {
    const step = view.runbook.steps.find((s) => s.id === stepId);
    const relatives = view.runbook.steps
      .filter((s) => (step?.parent !== undefined && s.id === step.parent) || s.parent === stepId)
      .filter((s) => this.isRunning(version, s.id));
    const [first] = relatives;
    if (first) throw new UserError(`${first.title} (${first.id}) is running in this window; wait for it or cancel it first.`);
  }

  /**
   * Steps the journal shows running but no process here runs were interrupted (reload, crash). Re-observe the world:
   * done → adopt; otherwise record the interruption so the person can run it again (it continues from what is done).
   */
  async reconcile(version: string, shell: StepShell): Promise<string[]> {
    const view = await this.service.view(version);
    const interrupted = view.plan.filter((p) => p.state.status === 'running' && !this.isRunning(version, p.step.id));
    const notes: string[] = [];
    for (const planned of interrupted) {
      const executor = await this.registry.find(planned.step.id);
      const { ctx } = executor ? await this.setup(version, planned.step.id, shell).catch(() => ({ ctx: undefined })) : { ctx: undefined };
      const observation = executor && ctx ? await executor.observe(ctx).catch(() => ({ done: false as const })) : { done: false as const };
      const append = (type: 'step.succeeded' | 'step.cancelled', message: string, data?: EventData) =>
        this.service.appendEvent({ release: version, step: planned.step.id, type, message, data });
      if (observation.done) await append('step.succeeded', `Found done after an interruption: ${observation.summary}`, { ...observation.evidence, adopted: true });
      else await append('step.cancelled', 'Interrupted (window reload or crash) before it finished; run it again — it continues from what is already done.');
      notes.push(planned.step.id);
    }
    return notes;
  }
}
