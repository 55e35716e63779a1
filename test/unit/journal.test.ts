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

describe('journal parse: lines this journal must not fold', () => {
  const started = formatEvent(ev('release.started'));

  it('refuses a line of an unknown schema version, naming the line and its v, and folds the rest', () => {
    const text = started + formatEvent(ev('step.marked-done', 'a', { v: 2 })) + formatEvent(ev('step.marked-done', 'b'));
    const { events, warnings } = parseJournal(text, { release: '2025.4.0' });
    assert.deepEqual(
      events.map((e) => e.step),
      [undefined, 'b'],
    );
    assert.equal(warnings.length, 1);
    assert.equal(warnings[0]?.line, 2);
    assert.match(warnings[0]?.message ?? '', /^line 2 has journal schema version 2, but this LendOS Release reads version 1; it was ignored/);
    assert.equal(stepState(foldJournal('2025.4.0', events), 'a').status, 'pending', 'the refused line is not folded');
  });

  it('reads a line without "v" (written before the field) as version 1, and refuses a "v" that is not a number', () => {
    const { v: _v, ...old } = ev('step.marked-done', 'a');
    const text = started + JSON.stringify(old) + '\n' + JSON.stringify({ ...old, step: 'b', v: '1' }) + '\n';
    const { events, warnings } = parseJournal(text, { release: '2025.4.0' });
    assert.deepEqual(
      events.map((e) => [e.step, e.v]),
      [
        [undefined, 1],
        ['a', 1],
      ],
    );
    assert.match(warnings[0]?.message ?? '', /^line 3 has journal schema version "1"/);
  });

  it('refuses a line of another release (a journal copied to another version\'s file) and says so', () => {
    const copied = formatEvent(ev('release.started', undefined, { release: '2025.3.0' })) + formatEvent(ev('step.marked-done', 'a', { release: '2025.3.0' }));
    const { events, warnings } = parseJournal(started + copied, { release: '2025.4.0' });
    assert.equal(events.length, 1);
    assert.deepEqual(
      warnings.map((w) => w.line),
      [2, 3],
    );
    assert.equal(
      warnings[0]?.message,
      "line 2 is for release 2025.3.0, not 2025.4.0: was this journal copied from another release's file? it was ignored",
    );
    assert.equal(parseJournal(copied).warnings.length, 0, 'without an expected release nothing is compared');
  });

  it('says so when a journal is empty or records no start, with what to do', () => {
    for (const text of ['', '\n']) {
      const { events, warnings } = parseJournal(text, { release: '2025.4.0' });
      assert.equal(events.length, 0);
      assert.equal(warnings.length, 1);
      assert.equal(warnings[0]?.line, undefined, 'about the whole journal');
      assert.match(warnings[0]?.message ?? '', /^the journal of 2025\.4\.0 is empty \(no "release\.started" event\): start the release again \(lendos start 2025\.4\.0/);
    }
    const headless = parseJournal(formatEvent(ev('step.marked-done', 'a')), { release: '2025.4.0' });
    assert.equal(headless.events.length, 1);
    assert.match(headless.warnings[0]?.message ?? '', /^the journal of 2025\.4\.0 does not record that the release was started/);
    const copiedOnly = parseJournal(formatEvent(ev('release.started', undefined, { release: '2025.3.0' })), { release: '2025.4.0' });
    assert.deepEqual(
      copiedOnly.warnings.map((w) => w.line),
      [1, undefined],
    );
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
