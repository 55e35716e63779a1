/** Planning: what state each step is in given the journal, what blocks it, and what comes next. Pure. */
import { diagnosisKinds } from './diagnosis.js';
import type { ReleaseState, StepState } from './journal/types.js';
import { stepState } from './journal/fold.js';
import type { PhaseId, Runbook, StepDef } from './runbook/types.js';

/** What a person sees: journal status, refined by dependencies. */
export type DisplayStatus =
  | 'succeeded'
  | 'failed'
  | 'running'
  | 'cancelled'
  | 'skipped'
  | 'ready'
  | 'blocked'
  | 'waiting-approval';

/** How each status reads, in the tree, the checklist and the CLI. */
export const STATUS_LABELS: Readonly<Record<DisplayStatus, string>> = {
  succeeded: 'done',
  failed: 'failed',
  running: 'running',
  cancelled: 'cancelled',
  skipped: 'skipped',
  ready: 'ready',
  blocked: 'blocked',
  'waiting-approval': 'awaiting approval',
};

export interface PlannedStep {
  readonly step: StepDef;
  readonly state: StepState;
  readonly status: DisplayStatus;
  /** Dependencies not yet succeeded or skipped. */
  readonly blockedBy: readonly string[];
}

/** What a person may do with a step now: the tree's menus and the checklist's buttons offer exactly these. */
export interface StepAbilities {
  /** Run it (a stage: rerun it alone); an approval LendOS can look for counts as runnable. */
  readonly run: boolean;
  readonly markDone: boolean;
  readonly skip: boolean;
  readonly reset: boolean;
  /** Look once for an approval LendOS finds on GitHub. */
  readonly check: boolean;
  /** A failed upgrade step LendOS can diagnose (Section 3.4's troubleshooting). */
  readonly diagnose: boolean;
}

export function stepAbilities(planned: PlannedStep): StepAbilities {
  const { step, state } = planned;
  const run = (step.kind === 'automated' || step.checkable === true) && state.status !== 'running' && planned.status !== 'blocked';
  return {
    run,
    markDone: step.kind !== 'automated' && state.status !== 'succeeded' && state.status !== 'running',
    skip: step.optional && state.status !== 'skipped' && state.status !== 'running',
    reset: state.status !== 'pending' && state.status !== 'running',
    check: run && step.checkable === true && state.status !== 'succeeded',
    diagnose: (state.status === 'failed' || state.status === 'cancelled') && diagnosisKinds(step.id, state.evidence).length > 0,
  };
}

export function isDone(state: StepState): boolean {
  return state.status === 'succeeded' || state.status === 'skipped';
}

export function planRelease(runbook: Runbook, release: ReleaseState): PlannedStep[] {
  const byId = new Map<string, StepState>();
  for (const step of runbook.steps) byId.set(step.id, stepState(release, step.id));
  return runbook.steps.map((step) => {
    const state = byId.get(step.id) ?? stepState(release, step.id);
    const blockedBy = step.dependsOn.filter((dep) => {
      const depState = byId.get(dep);
      return !depState || !isDone(depState);
    });
    return { step, state, status: displayStatus(step, state, blockedBy), blockedBy };
  });
}

function displayStatus(step: StepDef, state: StepState, blockedBy: readonly string[]): DisplayStatus {
  if (state.status !== 'pending') return state.status;
  if (blockedBy.length > 0) return 'blocked';
  return step.kind === 'approval' ? 'waiting-approval' : 'ready';
}

/** The step to show in the status bar: the first running or failed step, else the first ready required one. */
export function currentStep(plan: readonly PlannedStep[]): PlannedStep | undefined {
  const core = plan.filter((p) => p.step.phase !== 'recovery');
  return (
    core.find((p) => p.status === 'running') ??
    core.find((p) => p.status === 'failed' || p.status === 'cancelled') ??
    core.find((p) => !p.step.optional && (p.status === 'ready' || p.status === 'waiting-approval')) ??
    core.find((p) => p.status === 'ready' || p.status === 'waiting-approval')
  );
}

/** Aggregate of several steps (a phase, a group, an upgrade run with its stages). */
export function aggregateStatus(items: readonly PlannedStep[]): DisplayStatus {
  const required = items.filter((p) => !p.step.optional);
  const considered = required.length > 0 ? required : items;
  if (items.some((p) => p.status === 'running')) return 'running';
  if (items.some((p) => p.status === 'failed')) return 'failed';
  if (considered.every((p) => p.status === 'succeeded' || p.status === 'skipped')) {
    return considered.every((p) => p.status === 'skipped') ? 'skipped' : 'succeeded';
  }
  if (items.some((p) => p.status === 'cancelled')) return 'cancelled';
  if (items.some((p) => p.status === 'ready' || p.status === 'waiting-approval')) {
    return items.some((p) => p.status === 'ready') ? 'ready' : 'waiting-approval';
  }
  return 'blocked';
}

export function progressOf(items: readonly PlannedStep[]): { done: number; total: number } {
  const required = items.filter((p) => !p.step.optional);
  return { done: required.filter((p) => isDone(p.state)).length, total: required.length };
}

export function phaseSteps(plan: readonly PlannedStep[], phase: PhaseId): PlannedStep[] {
  return plan.filter((p) => p.step.phase === phase);
}

/** Milliseconds a step took or has been running. */
export function durationOf(state: StepState, now: Date): number | undefined {
  if (!state.startedAt) return undefined;
  const end = state.endedAt ? Date.parse(state.endedAt) : now.getTime();
  return Math.max(0, end - Date.parse(state.startedAt));
}

export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
}
