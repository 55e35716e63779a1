import assert from 'node:assert/strict';
import { foldJournal, type JournalEvent } from '../../src/core/journal/index.js';
import { aggregateStatus, currentStep, formatDuration, planRelease, progressOf } from '../../src/core/plan.js';
import type { Runbook, StepDef } from '../../src/core/runbook/types.js';

const step = (id: string, dependsOn: string[] = [], extra: Partial<StepDef> = {}): StepDef => ({
  id,
  phase: 'preparation',
  title: id,
  section: '1.1',
  anchor: id,
  guidance: 'g',
  commands: [],
  success: 's',
  kind: 'manual',
  optional: false,
  dependsOn,
  ...extra,
});

const runbook: Runbook = {
  version: '2025.4.0',
  phases: [{ id: 'preparation', title: 'Phase 1', section: '1' }],
  groups: [],
  steps: [step('a'), step('b', ['a']), step('opt', ['a'], { optional: true }), step('ok', ['b', 'opt'], { kind: 'approval' })],
};

const ev = (type: JournalEvent['type'], s: string): JournalEvent => ({
  v: 1,
  time: '2025-11-10T10:00:00.000Z',
  actor: 'x',
  release: '2025.4.0',
  type,
  step: s,
});

describe('planning', () => {
  it('marks steps ready or blocked from their dependencies', () => {
    const plan = planRelease(runbook, foldJournal('2025.4.0', []));
    assert.deepEqual(
      plan.map((p) => p.status),
      ['ready', 'blocked', 'blocked', 'blocked'],
    );
    assert.deepEqual(plan[3]?.blockedBy, ['b', 'opt']);
    assert.equal(currentStep(plan)?.step.id, 'a');
  });

  it('treats a skipped optional step as done and shows approvals as waiting', () => {
    const plan = planRelease(runbook, foldJournal('2025.4.0', [ev('step.marked-done', 'a'), ev('step.marked-done', 'b'), ev('step.skipped', 'opt')]));
    assert.equal(plan[3]?.status, 'waiting-approval');
    assert.equal(currentStep(plan)?.step.id, 'ok');
    assert.deepEqual(progressOf(plan), { done: 2, total: 3 });
  });

  it('prefers a running or failed step as the current one', () => {
    const plan = planRelease(runbook, foldJournal('2025.4.0', [ev('step.marked-done', 'a'), ev('step.started', 'opt'), ev('step.failed', 'opt')]));
    assert.equal(currentStep(plan)?.step.id, 'opt');
  });

  it('aggregates phases', () => {
    const none = planRelease(runbook, foldJournal('2025.4.0', []));
    assert.equal(aggregateStatus(none), 'ready');
    const all = planRelease(
      runbook,
      foldJournal('2025.4.0', [ev('step.marked-done', 'a'), ev('step.marked-done', 'b'), ev('step.marked-done', 'ok')]),
    );
    assert.equal(aggregateStatus(all), 'succeeded', 'optional steps do not hold a phase back');
    const running = planRelease(runbook, foldJournal('2025.4.0', [ev('step.started', 'a')]));
    assert.equal(aggregateStatus(running), 'running');
  });

  it('formats durations', () => {
    assert.equal(formatDuration(4_400), '4s');
    assert.equal(formatDuration(125_000), '2m 05s');
    assert.equal(formatDuration(3_725_000), '1h 02m');
  });
});
