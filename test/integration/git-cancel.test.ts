import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'mocha';
import { GitCli, GitError } from '../../src/adapters/git.js';
import { git, groupMembers, lendosRepo, processGroupOf, tempDir, type TempRepo } from './helpers.js';
import { VERSION, usePhase1Worlds } from './phase1-world.js';

const gitCli = new GitCli();

/** A git-upload-pack or git-receive-pack that writes its pid to `marker`, then stalls for a long time. */
function stallingProgram(dir: string, program: 'upload-pack' | 'receive-pack', marker: string): string {
  const file = path.join(dir, `stalling-${program}`);
  writeFileSync(file, `#!/bin/sh\necho $$ > '${marker}'\nsleep 300\nexec git-${program} "$@"\n`);
  chmodSync(file, 0o755);
  return file;
}

/** A reference-transaction hook that writes its pid to `marker` and stalls while git holds the ref locks. */
function stallingRefHook(repo: string, marker: string): void {
  const file = path.join(repo, '.git', 'hooks', 'reference-transaction');
  writeFileSync(file, `#!/bin/sh\nif [ "$1" = prepared ]; then echo $$ > '${marker}'; sleep 300; fi\n`);
  chmodSync(file, 0o755);
}

async function until<T>(what: string, probe: () => T | undefined, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The process group of the git that started the stalling program (its pid is in `marker`). */
const stalledGroup = (marker: string) =>
  until('git to reach the stalling program', () => {
    const pid = existsSync(marker) ? Number(readFileSync(marker, 'utf8')) : 0;
    return pid > 0 ? processGroupOf(pid) : undefined;
  });

const lockFiles = (gitDir: string) =>
  readdirSync(gitDir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.lock'));

/** Aborts, and answers what the call rejected with and how long after the abort. */
async function abortAndTime(call: Promise<void>, controller: AbortController) {
  const settled = call.then(
    () => assert.fail('the call resolved despite the cancel'),
    (error: unknown) => error,
  );
  const began = performance.now();
  controller.abort();
  const error = await settled;
  return { error, ms: performance.now() - began };
}

/** The group is gone at once, or within a moment (its members are reaped). */
const groupGone = (pgid: number) =>
  until(`process group ${pgid} to end`, () => (groupMembers(pgid).length === 0 ? true : undefined), 500);

describe('git adapter: cancelling fetch, push and pull mid-flight (real git)', function () {
  this.timeout(30_000);
  let source: TempRepo;
  let dir: TempRepo;
  let remote: string;
  let clone: string;
  let marker: string;

  beforeEach(() => {
    source = lendosRepo();
    dir = tempDir();
    remote = path.join(dir.root, 'lendos.git');
    clone = path.join(dir.root, 'clone');
    marker = path.join(dir.root, 'stalled.pid');
    git(dir.root, 'clone', '-q', '--bare', source.root, remote);
    git(dir.root, 'clone', '-q', remote, clone);
    git(clone, 'config', 'user.name', 'Ada Release');
    git(clone, 'config', 'user.email', 'ada@example.com');
    // Something new on the remote, so a fetch has refs to update.
    git(source.root, 'commit', '-q', '--allow-empty', '-m', 'New on develop');
    git(source.root, 'push', '-q', remote, 'main');
  });

  afterEach(() => {
    source.cleanup();
    dir.cleanup();
  });

  it('a fetch whose remote stalls rejects at once on a cancel, leaves no process or lock, and the next fetch works', async () => {
    git(clone, 'config', 'remote.origin.uploadpack', stallingProgram(dir.root, 'upload-pack', marker));
    const controller = new AbortController();
    const fetching = gitCli.fetch(clone, 'origin', controller.signal);
    const pgid = await stalledGroup(marker);
    assert.ok(groupMembers(pgid).length >= 2, 'git and the stalled upload-pack run in one group');
    const { error, ms } = await abortAndTime(fetching, controller);
    assert.equal((error as Error).name, 'AbortError');
    assert.ok(ms < 1_000, `rejected ${Math.round(ms)} ms after the cancel`);
    await groupGone(pgid);
    assert.deepEqual(lockFiles(path.join(clone, '.git')), []);
    git(clone, 'config', '--unset', 'remote.origin.uploadpack');
    await gitCli.fetch(clone, 'origin');
    assert.equal(git(clone, 'rev-parse', 'origin/main'), git(remote, 'rev-parse', 'main'));
  });

  it('a push whose remote stalls is cancelled the same way: the remote is untouched and the next push works', async () => {
    const branch = `release/${VERSION}`;
    git(clone, 'checkout', '-q', '-b', branch);
    git(clone, 'commit', '-q', '--allow-empty', '-m', 'Release work');
    git(clone, 'config', 'remote.origin.receivepack', stallingProgram(dir.root, 'receive-pack', marker));
    const controller = new AbortController();
    const pushing = gitCli.push(clone, 'origin', branch, { setUpstream: true, signal: controller.signal });
    const pgid = await stalledGroup(marker);
    const { error, ms } = await abortAndTime(pushing, controller);
    assert.equal((error as Error).name, 'AbortError');
    assert.ok(ms < 1_000, `rejected ${Math.round(ms)} ms after the cancel`);
    await groupGone(pgid);
    assert.equal(git(remote, 'branch', '--list', branch), '', 'the remote has no release branch');
    assert.deepEqual([...lockFiles(path.join(clone, '.git')), ...lockFiles(remote)], []);
    git(clone, 'config', '--unset', 'remote.origin.receivepack');
    await gitCli.push(clone, 'origin', branch, { setUpstream: true });
    assert.equal(git(remote, 'rev-parse', branch), git(clone, 'rev-parse', 'HEAD'));
  });

  it('git cancelled while it holds a ref lock removes the lock on its way out', async () => {
    stallingRefHook(clone, marker);
    const controller = new AbortController();
    const fetching = gitCli.fetch(clone, 'origin', controller.signal);
    const pgid = await stalledGroup(marker);
    assert.deepEqual(lockFiles(path.join(clone, '.git')), ['refs/remotes/origin/main.lock']);
    const { error, ms } = await abortAndTime(fetching, controller);
    assert.equal((error as Error).name, 'AbortError');
    assert.ok(ms < 1_000, `rejected ${Math.round(ms)} ms after the cancel`);
    await groupGone(pgid);
    assert.deepEqual(lockFiles(path.join(clone, '.git')), []);
    rmSync(path.join(clone, '.git', 'hooks', 'reference-transaction'));
    await gitCli.fetch(clone, 'origin');
    assert.equal(git(clone, 'rev-parse', 'origin/main'), git(remote, 'rev-parse', 'main'));
  });

  it('a lock left by a git killed outright is named on the next run, with what to do', async () => {
    stallingRefHook(clone, marker);
    const killed = spawn('git', ['fetch', '--quiet', 'origin'], {
      cwd: clone,
      detached: true,
      stdio: 'ignore',
    });
    const exited = new Promise((resolve) => killed.once('exit', resolve));
    const pgid = await stalledGroup(marker);
    process.kill(-pgid, 'SIGKILL');
    await exited;
    rmSync(path.join(clone, '.git', 'hooks', 'reference-transaction'));
    const lock = path.join(clone, '.git', 'refs', 'remotes', 'origin', 'main.lock');
    assert.ok(existsSync(lock), 'SIGKILL gave git no chance to remove its lock');
    const error = await gitCli.fetch(clone, 'origin').then(
      () => assert.fail('fetched past a lock'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof GitError);
    assert.equal(error.lock, lock);
    assert.ok(
      error.message.endsWith(
        `\n${lock} is in the way: a git command is still working in this repository, or one was stopped (killed, a crash) while it held this lock. ` +
          `If no git command is running there, delete ${lock} and run the step again.`,
      ),
      error.message,
    );
    rmSync(lock);
    await gitCli.fetch(clone, 'origin');
    assert.equal(git(clone, 'rev-parse', 'origin/main'), git(remote, 'rev-parse', 'main'));
  });

  it('a pull cancelled during its fetch leaves the branch and the working tree as they were; a cancelled signal starts no git', async () => {
    const before = git(clone, 'rev-parse', 'HEAD');
    git(clone, 'config', 'remote.origin.uploadpack', stallingProgram(dir.root, 'upload-pack', marker));
    const controller = new AbortController();
    const pulling = gitCli.pullFastForward(clone, 'origin', 'main', controller.signal);
    const pgid = await stalledGroup(marker);
    const { error } = await abortAndTime(pulling, controller);
    assert.equal((error as Error).name, 'AbortError');
    await groupGone(pgid);
    assert.equal(git(clone, 'rev-parse', 'HEAD'), before);
    assert.equal(git(clone, 'status', '--porcelain'), '');
    rmSync(marker);
    await assert.rejects(gitCli.fetch(clone, 'origin', controller.signal), { name: 'AbortError' });
    assert.equal(existsSync(marker), false, 'no git was started');
    git(clone, 'config', '--unset', 'remote.origin.uploadpack');
    await gitCli.pullFastForward(clone, 'origin', 'main');
    assert.equal(git(clone, 'rev-parse', 'HEAD'), git(remote, 'rev-parse', 'main'));
  });
});

describe('phase 1 step: a push cancelled mid-flight (rehearsal world)', function () {
  this.timeout(60_000);
  const { template, world } = usePhase1Worlds();

  it('1.1 ends cancelled, not failed; nothing reaches the remote; the next run cuts and pushes the branch', async () => {
    const stalled = path.join(template.lendos, '..', `stalled-push-${process.pid}`);
    const program = stallingProgram(path.dirname(stalled), 'receive-pack', stalled);
    const w = await world({ prepare: (root) => git(root, 'config', 'remote.origin.receivepack', program) });
    const controller = new AbortController();
    const running = w.run('prep.cut-release-branch', {}, { signal: controller.signal });
    const pgid = await stalledGroup(stalled);
    controller.abort();
    const { result } = await running;
    assert.deepEqual(result, {
      status: 'cancelled',
      summary: 'Cancelled by you; see the log for what had been done.',
    });
    await groupGone(pgid);
    assert.equal((await w.events('prep.cut-release-branch')).at(-1)?.type, 'step.cancelled');
    assert.doesNotMatch(w.remoteRefs(), /release\/2025\.4\.0/);
    git(w.root, 'config', '--unset', 'remote.origin.receivepack');
    const again = await w.run('prep.cut-release-branch');
    assert.equal(again.result.status, 'succeeded', again.log.text());
    assert.match(w.remoteRefs(), /refs\/heads\/release\/2025\.4\.0/);
  });
});
