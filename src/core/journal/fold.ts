import { parseOwner } from '../run-owner.js';
import type { EventData, JournalEvent, ReleaseState, RunRecord, StepState } from './types.js';

const INITIAL: StepState = { status: 'pending', markedByHand: false, attempts: 0, evidence: {}, sealed: [] };

/** Evidence merged with `data`, except keys sealed by a `keep: 'first'` event. */
function merge(previous: StepState, data: EventData): EventData {
  if (previous.sealed.length === 0) return { ...previous.evidence, ...data };
  const open = Object.entries(data).filter(([key]) => !previous.sealed.includes(key));
  return { ...previous.evidence, ...Object.fromEntries(open) };
}

/** `keep: 'first'`: the keys not yet sealed are recorded and sealed; sealed ones keep their first value. */
function keepFirst(previous: StepState, data: EventData): StepState {
  const fresh = Object.keys(data).filter((key) => !previous.sealed.includes(key));
  const added = Object.fromEntries(fresh.map((key) => [key, data[key] ?? null]));
  return { ...previous, evidence: { ...previous.evidence, ...added }, sealed: [...previous.sealed, ...fresh] };
}

function ended(previous: StepState, event: JournalEvent, status: 'succeeded' | 'failed' | 'cancelled'): StepState {
  const base = { actor: event.actor, message: event.message ?? previous.message };
  return { ...previous, ...base, status, endedAt: event.time, progress: undefined, evidence: merge(previous, event.data ?? {}) };
}

function applyToStep(previous: StepState, event: JournalEvent): StepState {
  const data: EventData = event.data ?? {};
  const base = { actor: event.actor, message: event.message ?? previous.message };
  switch (event.type) {
    case 'step.started':
      return {
        ...previous,
        ...base,
        status: 'running',
        startedAt: event.time,
        endedAt: undefined,
        markedByHand: false,
        attempts: previous.attempts + 1,
        message: event.message,
        progress: undefined,
        run: parseOwner(data['run']),
      };
    case 'step.progress':
      return { ...previous, progress: event.message ?? previous.progress, evidence: merge(previous, data) };
    case 'step.evidence':
      return event.keep === 'first' ? keepFirst(previous, data) : { ...previous, evidence: merge(previous, data) };
    case 'step.succeeded':
      return ended(previous, event, 'succeeded');
    case 'step.failed':
      return ended(previous, event, 'failed');
    case 'step.cancelled':
      return ended(previous, event, 'cancelled');
    case 'step.marked-done':
      return {
        ...previous,
        ...base,
        status: 'succeeded',
        markedByHand: true,
        startedAt: previous.startedAt ?? event.time,
        endedAt: event.time,
        evidence: merge(previous, data),
      };
    case 'step.skipped':
      return { ...previous, ...base, status: 'skipped', endedAt: event.time };
    case 'step.reset':
      return { ...INITIAL, attempts: previous.attempts, actor: event.actor, message: event.message };
    default:
      return previous;
  }
}

/** Keeps the journal's runs: a run begins with the `step.started` that names it and ends with its step's next end. */
function trackRun(runs: Map<string, RunRecord>, before: StepState, after: StepState, event: JournalEvent): void {
  if (event.type === 'step.started' && after.run && !runs.has(after.run.id) && event.step) {
    runs.set(after.run.id, { owner: after.run, step: event.step });
    return;
  }
  const run = before.run && runs.get(before.run.id);
  if (run && run.step === event.step && run.endedAt === undefined && before.status === 'running' && after.status !== 'running') {
    runs.set(run.owner.id, { ...run, endedAt: event.time });
  }
}

/** The release's state: a pure fold over its journal events, in order. */
export function foldJournal(version: string, events: readonly JournalEvent[]): ReleaseState {
  const steps = new Map<string, StepState>();
  const runs = new Map<string, RunRecord>();
  let startedAt: string | undefined;
  let startedBy: string | undefined;
  let lastEventAt: string | undefined;
  const links: { hotfix?: string; hotfixOf?: string } = {};
  for (const event of events) {
    lastEventAt = event.time;
    if (event.type === 'release.started') {
      startedAt ??= event.time;
      startedBy ??= event.actor;
      continue;
    }
    if (event.type === 'release.linked') {
      for (const key of ['hotfix', 'hotfixOf'] as const) {
        const value = event.data?.[key];
        if (typeof value === 'string') links[key] = value;
      }
      continue;
    }
    if (!event.step) continue;
    const before = steps.get(event.step) ?? INITIAL;
    const after = applyToStep(before, event);
    steps.set(event.step, after);
    trackRun(runs, before, after, event);
  }
  return { version, startedAt, startedBy, steps, lastEventAt, eventCount: events.length, runs, ...links };
}

export function stepState(state: ReleaseState, stepId: string): StepState {
  return state.steps.get(stepId) ?? INITIAL;
}
