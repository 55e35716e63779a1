/**
 * How a step is written (docs/architecture.md, "How a step runs"): it re-observes the world (already done? — for
 * idempotency and resume), optionally asks for inputs, then runs, reporting progress, evidence and log lines.
 */
import type { CalVer } from '../core/calver.js';
import type { LendosConfig } from '../core/config/types.js';
import type { EventData, StepStatus } from '../core/journal/types.js';
import type { StepDef, UpgradeStage } from '../core/runbook/types.js';
import { brand, hasBrand } from '../core/errors.js';
import type { Clock } from '../ports.js';
import type { RunOwner } from '../core/run-owner.js';

/** Lines of a step's log (the editor's LogOutputChannel, the terminal's stdout). */
export interface LogSink {
  info(line: string): void;
  warn(line: string): void;
  error(line: string): void;
  /** Raw output of a process, possibly several lines, written as it arrives. */
  output(chunk: string, stream?: 'stdout' | 'stderr'): void;
}

export interface FormField {
  readonly id: string;
  readonly label: string;
  readonly value: string;
  /** Where the proposed value came from, shown beside it (e.g. "services/portal-daml-upgrade/daml.yaml: version"). */
  readonly source?: string;
  /** Undefined when valid, else what is wrong and what to type. */
  readonly validate?: (value: string) => string | undefined;
}

/** Questions a step may ask a person. Every answer can be "no" (undefined / false): the step then changes nothing. */
export interface Prompt {
  /** A yes/no question with a named action, e.g. confirm("Push release/2025.4.0 to origin?", "Push"). */
  confirm(message: string, action: string, detail?: string): Promise<boolean>;
  /** Production guard: the person must type `expected` (the environment name) to go on. */
  confirmTyped(message: string, expected: string): Promise<boolean>;
  /** One form with several fields, confirmed together; undefined when cancelled. */
  form(title: string, fields: readonly FormField[]): Promise<Record<string, string> | undefined>;
  /**
   * A change to a file shown before it is written, answered Apply (true) or Discard (false). A shell without a view of
   * its own leaves it out: `reviewChange` then asks `confirm` with the unified diff as the detail.
   */
  reviewChange?(change: ProposedChange): Promise<boolean>;
}

/** A file's proposed new content, with its unified diff for shells that show text. */
export interface ProposedChange {
  /** E.g. "Staging values-tags for release 2025.4.0". */
  readonly title: string;
  /** The file, as the person knows it (absolute, or relative to its repository). */
  readonly path: string;
  readonly before: string;
  readonly after: string;
  /** The unified diff of before → after. */
  readonly diff: string;
  /** The apply button's words, e.g. "Apply and open the PR". */
  readonly action: string;
}

/** Shows a proposed change the shell's way; true when the person applies it. */
export function reviewChange(prompt: Prompt, change: ProposedChange): Promise<boolean> {
  return prompt.reviewChange ? prompt.reviewChange(change) : prompt.confirm(`${change.title}: ${change.path}`, change.action, change.diff);
}

/**
 * The journal of a child step that its parent's executor drives (an upgrade stage under `<env>.upgrade.run`): the
 * runner journals only the step it runs, so the parent reports its children's states through this.
 */
export interface ChildStep {
  readonly stepId: string;
  started(message?: string): Promise<void>;
  progress(message: string, data?: EventData): Promise<void>;
  record(data: EventData): Promise<void>;
  succeeded(summary: string, evidence?: EventData): Promise<void>;
  failed(summary: string, evidence?: EventData): Promise<void>;
  cancelled(summary: string): Promise<void>;
}

/** What a step sees while it runs. */
export interface StepContext<P = unknown> {
  readonly step: StepDef;
  readonly version: CalVer;
  readonly config: LendosConfig;
  /** Evidence recorded by any step of this release (e.g. Phase 1's image tags, read by the upgrade). */
  evidenceOf(stepId: string): EventData;
  readonly log: LogSink;
  /** A short progress line shown on the step (the tree's description), also journalled. */
  progress(message: string, data?: EventData): Promise<void>;
  /** Evidence to keep in the journal (branch names, SHAs, digests, exit codes). */
  record(data: EventData): Promise<void>;
  /**
   * Evidence that keeps its first recorded value until the step is reset (e.g. the replicas before a scale-down): a
   * later run records nothing over it. Answers the values in effect for `data`'s keys.
   */
  recordFirst(data: EventData): Promise<EventData>;
  /** This run: its id, process, host, shell and person (the cluster Lease's holder names it). */
  readonly run: RunOwner;
  /**
   * Whether another run (a Lease's holder, say) is still going: false when its process is gone or the journal shows it
   * ended; true when it runs or cannot be told apart from running (another machine's run this journal does not know).
   */
  isLive(run: Pick<RunOwner, 'id' | 'pid' | 'host'>): Promise<boolean>;
  readonly prompt: Prompt;
  /** Aborted when the person cancels; long waits and processes must stop promptly. */
  readonly signal: AbortSignal;
  /** The time, and cancellable waits: steps never read `Date.now` or call `setTimeout` themselves. */
  readonly clock: Clock;
  /** The outside world, through ports (src/ports.ts): what a given step needs. */
  readonly ports: P;
  /** Journal status of any step of this release, as it was when this run began. */
  statusOf(stepId: string): StepStatus;
  /** Journals a child of this step (a step whose `parent` is this one); throws for any other id. */
  child(stepId: string): ChildStep;
  /**
   * Where one upgrade stage's pod logs go (the editor: a LogOutputChannel per stage). Absent: steps write them to
   * `log` with a `[stage] ` prefix.
   */
  readonly stageLog?: (stage: UpgradeStage) => LogSink;
}

/** The world already shows the step done: its evidence, and one line saying what was found. */
export type Observation = { readonly done: true; readonly summary: string; readonly evidence: EventData } | { readonly done: false };

export interface StepOutcome {
  readonly summary: string;
  readonly evidence: EventData;
}

export interface StepExecutor<P = unknown, I = unknown> {
  readonly stepId: string | RegExp;
  /** Ids of the form fields `prepare` may ask for: what `lendos run --set FIELD=VALUE` accepts (none when absent). */
  readonly fields?: readonly string[];
  observe(ctx: StepContext<P>): Promise<Observation>;
  /** Gathers inputs (forms, confirmations) before anything changes; undefined means the person declined. */
  prepare?(ctx: StepContext<P>): Promise<I | undefined>;
  run(ctx: StepContext<P>, input: I): Promise<StepOutcome>;
}

/** Thrown by a step that stopped on a cancel; its message says what keeps going (e.g. a Job still running). */
export class Cancelled extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Cancelled';
    brand(this, 'Cancelled');
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return hasBrand(value, 'Cancelled');
  }
}

/** Thrown by a step when it stops because the person declined; nothing was changed. */
export class Declined extends Error {
  constructor(message = 'Cancelled; nothing was changed.') {
    super(message);
    this.name = 'Declined';
    brand(this, 'Declined');
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return hasBrand(value, 'Declined');
  }
}
