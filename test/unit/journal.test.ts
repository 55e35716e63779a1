import assert from 'node:assert/strict';
import { foldJournal, formatEvent, parseJournal, stepState, type JournalEvent } from '../../src/core/journal/index.js';

const ev = (type: JournalEvent['type'], step?: string, extra: Partial<JournalEvent> = {}): JournalEvent => ({
  v: 1,
  time: extra.time ?? '2025-11-10T10:00:00.000Z',
  actor: 'Ada <ada@example.com>',
  release: '2025.4.0',
  type,
  ...(step ? { step } : {}),
  ...extra,
});

describe('journal parse', () => {
  it('reads one event a line and round-trips formatEvent', () => {
    const text = formatEvent(ev('release.started')) + formatEvent(ev('step.started', 'a'));
    const { events, warnings } = parseJournal(text);
    assert.equal(events.length, 2);
    assert.deepEqual(warnings, []);
    assert.equal(events[1]?.step, 'a');
  });

  it('ignores a torn last line with a warning that says so', () => {
    const text = formatEvent(ev('release.started')) + '{"v":1,"time":"2025-11-10T1';
    const { events, warnings } = parseJournal(text);
    assert.equal(events.length, 1);
    assert.equal(warnings.length, 1);
    assert.equal(warnings[0]?.line, 2);
    assert.match(warnings[0]?.message ?? '', /incomplete.*interrupted/);
  });

  it('skips garbage lines in the middle and keeps the rest', () => {
    const text = [formatEvent(ev('release.started')), 'garbage!!\n', formatEvent(ev('step.marked-done', 'a'))].join('');
    const { events, warnings } = parseJournal(text);
    assert.equal(events.length, 2);
    assert.match(warnings[0]?.message ?? '', /line 2 is not valid JSON/);
  });

  it('rejects well-formed JSON that is not an event', () => {
    const lines = [
      '[1,2]',
      '{"v":1,"time":"not a date","actor":"a","release":"r","type":"step.started"}',
      '{"v":1,"time":"2025-11-10T10:00:00Z","actor":"a","release":"r","type":"step.exploded"}',
      '{"v":1,"time":"2025-11-10T10:00:00Z","actor":"a","type":"step.started"}',
      '{"v":1,"time":"2025-11-10T10:00:00Z","actor":"a","release":"r","type":"step.started","data":[1]}',
    ];
    const { events, warnings } = parseJournal(lines.join('\n') + '\n');
    assert.equal(events.length, 0);
    assert.deepEqual(
      warnings.map((w) => w.line),
      [1, 2, 3, 4, 5],
    );
    assert.match(warnings[2]?.message ?? '', /unknown event type "step.exploded"/);
  });

  it('treats empty text and blank lines as no events', () => {
    assert.deepEqual(parseJournal(''), { events: [], warnings: [] });
    assert.deepEqual(parseJournal('\n\n').events, []);
  });
});

describe('journal fold', () => {
  it('folds a step through start, progress, evidence, failure, rerun and success', () => {
    const state = foldJournal('2025.4.0', [
      ev('release.started', undefined, { time: '2025-11-10T09:00:00.000Z' }),
      ev('step.started', 'a', { time: '2025-11-10T10:00:00.000Z' }),
      ev('step.progress', 'a', { message: '2 pods left' }),
      ev('step.evidence', 'a', { data: { branch: 'release/2025.4.0' } }),
      ev('step.failed', 'a', { time: '2025-11-10T10:05:00.000Z', message: 'exit 3' }),
      ev('step.started', 'a', { time: '2025-11-10T10:10:00.000Z' }),
      ev('step.succeeded', 'a', { time: '2025-11-10T10:12:00.000Z', data: { commit: 'abc' } }),
    ]);
    const a = stepState(state, 'a');
    assert.equal(a.status, 'succeeded');
    assert.equal(a.attempts, 2);
    assert.equal(a.startedAt, '2025-11-10T10:10:00.000Z');
    assert.equal(a.endedAt, '2025-11-10T10:12:00.000Z');
    assert.deepEqual(a.evidence, { branch: 'release/2025.4.0', commit: 'abc' });
    assert.equal(state.startedAt, '2025-11-10T09:00:00.000Z');
    assert.equal(state.startedBy, 'Ada <ada@example.com>');
    assert.equal(state.eventCount, 7);
  });

  it('records marking by hand, skipping and reset', () => {
    const state = foldJournal('2025.4.0', [
      ev('step.marked-done', 'a', { data: { note: 'Luis approved' } }),
      ev('step.skipped', 'b', { message: 'not needed' }),
      ev('step.marked-done', 'c'),
      ev('step.reset', 'c'),
    ]);
    assert.equal(stepState(state, 'a').status, 'succeeded');
    assert.equal(stepState(state, 'a').markedByHand, true);
    assert.equal(stepState(state, 'a').evidence.note, 'Luis approved');
    assert.equal(stepState(state, 'b').status, 'skipped');
    assert.equal(stepState(state, 'b').message, 'not needed');
    assert.equal(stepState(state, 'c').status, 'pending');
    assert.deepEqual(stepState(state, 'c').evidence, {});
  });

  it('gives pending for steps never mentioned and is pure', () => {
    const events = [ev('step.started', 'a')];
    const first = foldJournal('2025.4.0', events);
    const second = foldJournal('2025.4.0', events);
    assert.deepEqual([...first.steps], [...second.steps]);
    assert.equal(stepState(first, 'zzz').status, 'pending');
  });
});
