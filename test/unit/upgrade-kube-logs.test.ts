import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { LogCursor, timestampKey } from '../../src/adapters/kube/logs.js';
import { BatchedLog, prefixedSink } from '../../src/steps/upgrade/batched-log.js';
import type { LogSink } from '../../src/engine/step-types.js';

function feed(cursor: LogCursor, lines: string[]): string[] {
  cursor.begin();
  return lines.map((l) => cursor.accept(l)).filter((l): l is string => l !== undefined);
}

function collecting(): LogSink & { chunks: string[] } {
  const chunks: string[] = [];
  return { chunks, info: () => undefined, warn: () => undefined, error: () => undefined, output: (c) => chunks.push(c) };
}

describe('upgrade kube: log cursor (resume without loss or duplicates)', function () {
  it('pads Go-trimmed fractions so timestamps compare as text', function () {
    assert.equal(timestampKey('2025-05-01T10:00:00.1Z'), '2025-05-01T10:00:00.100000000Z');
    assert.equal(timestampKey('2025-05-01T10:00:00Z'), '2025-05-01T10:00:00.000000000Z');
    assert.ok(timestampKey('2025-05-01T10:00:00.1Z') > timestampKey('2025-05-01T10:00:00.09Z'));
  });

  it('strips timestamps and remembers where it stands', function () {
    const cursor = new LogCursor();
    assert.deepEqual(feed(cursor, ['2025-05-01T10:00:00.000000001Z a', '2025-05-01T10:00:00.000000002Z b']), ['a', 'b']);
    assert.equal(cursor.since, '2025-05-01T10:00:00.000000002Z');
  });

  it('on a resumed stream drops what came before, and exactly the lines already seen at the last timestamp', function () {
    const cursor = new LogCursor();
    const t1 = '2025-05-01T10:00:01.000000000Z';
    const t2 = '2025-05-01T10:00:02.000000000Z';
    assert.deepEqual(feed(cursor, [`${t1} one`, `${t2} two`, `${t2} two again`]), ['one', 'two', 'two again']);
    // The server resends from sinceTime (t2, or the start of its second): everything at or before is known.
    const resumed = feed(cursor, [`${t1} one`, `${t2} two`, `${t2} two again`, `${t2} a third at t2`, '2025-05-01T10:00:03Z three']);
    assert.deepEqual(resumed, ['a third at t2', 'three']);
    assert.deepEqual(feed(cursor, ['2025-05-01T10:00:03Z three', '2025-05-01T10:00:03.5Z four']), ['four']);
  });
});

describe('upgrade kube: batched stage log', function () {
  it('flushes at 64 KiB at once and keeps the last lines with their prefix', function () {
    const sink = collecting();
    const log = new BatchedLog(sink);
    log.append(['first'], '[pod-a] ');
    assert.equal(sink.chunks.length, 0, 'small appends wait for the timer');
    log.append(Array.from({ length: 2000 }, (_, i) => `line ${i} ${'x'.repeat(40)}`), '[pod-b] ');
    assert.equal(sink.chunks.length, 1, 'a full batch goes out at once');
    assert.ok(sink.chunks[0]?.startsWith('[pod-a] first\n[pod-b] line 0 '));
    assert.deepEqual(log.lastLines(2).map((l) => l.slice(0, 17)), ['[pod-b] line 1998', '[pod-b] line 1999']);
    log.append(['last']);
    log.flush();
    assert.equal(sink.chunks[1], 'last\n');
  });

  it('prefixes every line written to a shared log', function () {
    const sink = collecting();
    prefixedSink(sink, '[upgrade] ').output('a\nb\n');
    assert.deepEqual(sink.chunks, ['[upgrade] a\n[upgrade] b\n']);
  });
});
