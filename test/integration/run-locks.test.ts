/**
 * Step locks on a real file system between real processes: of many processes that try at the same instant exactly one
 * wins and the others are told which; a lock whose process is gone (dead, or its pid reused by another program) or
 * that its writer never finished is taken over; a live holder's is not, and its release removes only its own lock.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'mocha';
import { FileRunLocks, processStart } from '../../src/adapters/run-locks.js';
import { ownerData, type RunOwner } from '../../src/core/run-owner.js';

const CONTENDER = path.resolve('test/integration/fixtures/take-lock.ts');

interface Contender {
  readonly ready: Promise<void>;
  readonly result: Promise<{ won: boolean; pid: number; heldBy?: number }>;
}

/** A process that takes the lock once `start` exists; `ready` when it waits for that. */
function contender(root: string, key: string, start: string, holdMs: number): Contender {
  const child = spawn(process.execPath, ['--import', 'tsx', CONTENDER, root, key, start, String(holdMs)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  let onReady = () => undefined as void;
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    if (out.startsWith('ready\n')) onReady();
  });
  const result = new Promise<{ won: boolean; pid: number; heldBy?: number }>((resolve, reject) =>
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out.slice('ready\n'.length))) : reject(new Error(`contender exited ${code}: ${out}`)))),
  );
  return { ready, result };
}

const owner = (pid: number, extra: Partial<RunOwner> = {}): RunOwner => ({
  id: `r-${pid.toString(16).padStart(8, '0')}`,
  pid,
  host: os.hostname(),
  shell: 'cli',
  actor: 'Bob <bob@example.com>',
  since: new Date().toISOString(),
  ...extra,
});

describe('step locks between processes (real files, real processes)', function () {
  this.timeout(60_000);
  let root: string;
  let locks: FileRunLocks;
  before(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'lendos-locks-'));
    locks = new FileRunLocks(root);
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  const plant = (key: string, content: string) => {
    const file = locks.fileOf('2025.4.0', key);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
    return file;
  };

  it('six processes at the same instant: exactly one wins, each other one names the winner', async () => {
    const start = path.join(root, 'go');
    const racing = Array.from({ length: 6 }, () => contender(root, 'staging.upgrade.scale-down', start, 1_500));
    await Promise.all(racing.map((c) => c.ready));
    writeFileSync(start, '');
    const results = await Promise.all(racing.map((c) => c.result));
    const winners = results.filter((r) => r.won);
    assert.equal(winners.length, 1, JSON.stringify(results));
    for (const loser of results.filter((r) => !r.won)) assert.equal(loser.heldBy, winners[0]?.pid);
    assert.equal(existsSync(locks.fileOf('2025.4.0', 'staging.upgrade.scale-down')), false, 'released by its winner');
  });

  it("a dead process's lock is taken over; a live one's is not", async () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.pid']).pid ?? 0;
    plant('staging.upgrade.run', JSON.stringify(ownerData(owner(dead))));
    const mine = owner(process.pid, { id: 'r-00000001', actor: 'Ada <ada@example.com>' });
    const lock = await locks.acquire('2025.4.0', 'staging.upgrade.run', mine);
    assert.ok('release' in lock, 'taken over from a dead process');
    const sleeper = spawn('sleep', ['30']);
    try {
      const other = new FileRunLocks(root);
      await lock.release();
      plant('staging.upgrade.run', JSON.stringify(ownerData(owner(sleeper.pid ?? 0, { pidStart: processStart(sleeper.pid ?? 0) }))));
      const refused = await other.acquire('2025.4.0', 'staging.upgrade.run', mine);
      assert.ok(!('release' in refused) && refused.heldBy.pid === sleeper.pid, 'a live holder keeps it');
    } finally {
      sleeper.kill();
    }
  });

  it('a pid reused by another program is not taken for the run (its start time differs)', async () => {
    const sleeper = spawn('sleep', ['30']);
    try {
      const start = processStart(sleeper.pid ?? 0);
      assert.ok(start !== undefined, '/proc gives process start times here');
      plant('staging.upgrade.validate', JSON.stringify(ownerData(owner(sleeper.pid ?? 0, { pidStart: start - 1 }))));
      const lock = await locks.acquire('2025.4.0', 'staging.upgrade.validate', owner(process.pid, { id: 'r-00000002' }));
      assert.ok('release' in lock);
      await lock.release();
    } finally {
      sleeper.kill();
    }
  });

  it("a lock its writer never finished is waited for briefly, and taken once it is old; release removes only one's own", async () => {
    const file = plant('production.upgrade.snapshot', '');
    const old = new Date(Date.now() - 60_000);
    utimesSync(file, old, old);
    const mine = owner(process.pid, { id: 'r-00000003' });
    const lock = await locks.acquire('2025.4.0', 'production.upgrade.snapshot', mine);
    assert.ok('release' in lock, 'an old, empty lock is taken');
    // Someone removed ours and took the step meanwhile (by hand): our release leaves theirs alone.
    writeFileSync(file, JSON.stringify(ownerData(owner(1, { id: 'r-0000beef' }))));
    await lock.release();
    assert.equal(existsSync(file), true);
  });
});
