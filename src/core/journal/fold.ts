import type { EventData, JournalEvent, ReleaseState, StepState } from './types.js';

const INITIAL: StepState = { status: 'pending', markedByHand: false, attempts: 0, evidence: {} };

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
      };
    case 'step.progress':
      return { ...previous, progress: event.message ?? previous.progress, evidence: { ...previous.evidence, ...data } };
    case 'step.evidence':
      return { ...previous, evidence: { ...previous.evidence, ...data } };
    case 'step.succeeded':
    case 'step.failed':
    case 'step.cancelled': {
      const status = event.type === 'step.succeeded' ? 'succeeded' : event.type === 'step.failed' ? 'failed' : 'cancelled';
      return { ...previous, ...base, status, endedAt: event.time, progress: undefined, evidence: { ...previous.evidence, ...data } };
    }
    case 'step.marked-done':
      return {
        ...previous,
        ...base,
        status: 'succeeded',
        markedByHand: true,
        startedAt: previous.startedAt ?? event.time,
        endedAt: event.time,
        evidence: { ...previous.evidence, ...data },
      };
    case 'step.skipped':
      return { ...previous, ...base, status: 'skipped', endedAt: event.time };
    case 'step.reset':
      return { ...INITIAL, attempts: previous.attempts, actor: event.actor, message: event.message };
    default:
      return previous;
  }
}

/** The release's state: a pure fold over its journal events, in order. */
export function foldJournal(version: string, events: readonly JournalEvent[]): ReleaseState {
  const steps = new Map<string, StepState>();
  let startedAt: string | undefined;
  let startedBy: string | undefined;
  let lastEventAt: string | undefined;
  for (const event of events) {
    lastEventAt = event.time;
    if (event.type === 'release.started') {
      startedAt ??= event.time;
      startedBy ??= event.actor;
      continue;
    }
    if (!event.step) continue;
    steps.set(event.step, applyToStep(steps.get(event.step) ?? INITIAL, event));
  }
  return { version, startedAt, startedBy, steps, lastEventAt, eventCount: events.length };
}

export function stepState(state: ReleaseState, stepId: string): StepState {
  return state.steps.get(stepId) ?? INITIAL;
}
