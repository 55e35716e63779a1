/** The run journal: one JSON object a line, append-only; the state shown everywhere is a fold over it. */
import type { RunOwner } from '../run-owner.js';

export const JOURNAL_VERSION = 1;

export type JournalEventType =
  | 'release.started'
  | 'release.linked'
  | 'step.started'
  | 'step.progress'
  | 'step.evidence'
  | 'step.succeeded'
  | 'step.failed'
  | 'step.cancelled'
  | 'step.marked-done'
  | 'step.skipped'
  | 'step.reset';

export const JOURNAL_EVENT_TYPES: readonly JournalEventType[] = [
  'release.started',
  'release.linked',
  'step.started',
  'step.progress',
  'step.evidence',
  'step.succeeded',
  'step.failed',
  'step.cancelled',
  'step.marked-done',
  'step.skipped',
  'step.reset',
];

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type EventData = Record<string, JsonValue>;

export interface JournalEvent {
  readonly v: number;
  /** ISO 8601 UTC. */
  readonly time: string;
  /** `Name <email>` from git config, or the OS user. */
  readonly actor: string;
  readonly release: string;
  readonly type: JournalEventType;
  readonly step?: string;
  /** A human-readable line: why it failed, what was adopted, a note. */
  readonly message?: string;
  readonly data?: EventData;
  /**
   * `first`: the data's keys are kept as first recorded — later events of the step cannot change them until a reset
   * (evidence such as the replicas before a scale-down must survive a second run).
   */
  readonly keep?: 'first';
}

/** A line that could not be read or was refused, reported and ignored; or (no `line`) a problem of the whole journal. */
export interface JournalWarning {
  readonly line?: number;
  readonly message: string;
}

export type StepStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'skipped';

export interface StepState {
  readonly status: StepStatus;
  readonly startedAt?: string;
  readonly endedAt?: string;
  readonly actor?: string;
  readonly message?: string;
  /** Whether a person marked it done (as opposed to an executor succeeding). */
  readonly markedByHand: boolean;
  readonly attempts: number;
  /** Evidence accumulated over the current attempt and kept across reruns until a reset. */
  readonly evidence: EventData;
  /** Evidence keys recorded with `keep: 'first'`: no later event changes them until a reset. */
  readonly sealed: readonly string[];
  readonly progress?: string;
  /** Who runs (or last ran) the step: from its latest `step.started`. */
  readonly run?: RunOwner;
}

/** A run as the journal knows it: who, for which step, and when it ended (undefined: the journal shows it running). */
export interface RunRecord {
  readonly owner: RunOwner;
  readonly step: string;
  readonly endedAt?: string;
}

export interface ReleaseState {
  readonly version: string;
  readonly startedAt?: string;
  readonly startedBy?: string;
  readonly steps: ReadonlyMap<string, StepState>;
  readonly lastEventAt?: string;
  readonly eventCount: number;
  /** Every run the journal records, by run id. */
  readonly runs: ReadonlyMap<string, RunRecord>;
  /** Fix-forward: the hotfix release started for this one (`release.linked` data `hotfix`). */
  readonly hotfix?: string;
  /** Fix-forward: the release this one is the hotfix of (`release.linked` data `hotfixOf`). */
  readonly hotfixOf?: string;
}
