import assert from 'node:assert/strict';
import { defaultConfig } from '../../src/core/config/defaults.js';
import { buildRunbook } from '../../src/core/runbook/index.js';
import { compareCounts, countLines, recordedCounts, totalOf } from '../../src/steps/upgrade/pqs-counts.js';

describe('upgrade: PQS counts', () => {
  it('compares before and after per template, including templates on one side only', () => {
    const rows = compareCounts({ 'm:A:A': 10, 'm:B:B': 5, 'm:Gone:G': 2 }, { 'm:A:A': 10, 'm:B:B': 7, 'm:New:N': 1 });
    assert.deepEqual(rows, [
      { template: 'm:A:A', before: 10, after: 10, delta: 0 },
      { template: 'm:B:B', before: 5, after: 7, delta: 2 },
      { template: 'm:Gone:G', before: 2, after: null, delta: null },
      { template: 'm:New:N', before: null, after: 1, delta: null },
    ]);
    assert.equal(totalOf({ a: 3, b: 4 }), 7);
  });

  it('reads recorded counts back from evidence, refusing anything that is not whole counts', () => {
    assert.deepEqual(recordedCounts({ pqsCounts: { 'm:A:A': 3 }, pqsCountsAt: '2025-11-10T14:00:00.000Z' }), {
      counts: { 'm:A:A': 3 },
      at: '2025-11-10T14:00:00.000Z',
    });
    assert.deepEqual(recordedCounts({ pqsCounts: { 'm:A:A': 3 } }), { counts: { 'm:A:A': 3 } });
    for (const bad of [undefined, 'many', [1], { a: -1 }, { a: 1.5 }, { a: '3' }]) {
      assert.equal(recordedCounts(bad === undefined ? {} : { pqsCounts: bad }), undefined, JSON.stringify(bad));
    }
  });

  it('aligns the counts for the log, sorted by template', () => {
    assert.deepEqual(countLines({ 'm:Long.Module:Template': 120, 'm:A:A': 7 }), [
      'm:A:A                         7',
      'm:Long.Module:Template      120',
    ]);
  });
});

describe('upgrade: nothing after the snapshot can start before it', () => {
  for (const env of ['staging', 'production'] as const) {
    it(`every ${env} procedure step after ${env}.upgrade.snapshot depends on it`, () => {
      const { steps } = buildRunbook('2025.4.0', defaultConfig());
      const byId = new Map(steps.map((s) => [s.id, s]));
      const dependsOnSnapshot = (id: string, seen = new Set<string>()): boolean => {
        if (id === `${env}.upgrade.snapshot`) return true;
        if (seen.has(id)) return false;
        seen.add(id);
        return (byId.get(id)?.dependsOn ?? []).some((dep) => dependsOnSnapshot(dep, seen));
      };
      const procedure = steps.filter((s) => s.id.startsWith(`${env}.upgrade.`));
      const after = procedure.slice(procedure.findIndex((s) => s.id === `${env}.upgrade.snapshot`) + 1);
      assert.ok(after.length >= 10, `the stages and post-upgrade steps follow (${after.length})`);
      for (const step of after) assert.ok(dependsOnSnapshot(step.id), `${step.id} waits for the snapshot`);
    });
  }
});
