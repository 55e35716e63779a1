/**
 * One runner per step, across processes: real `lendos` processes (the built CLI) against a rehearsal world. A second
 * runner of a step — or of a stage while its procedure runs — is refused with who, where and since, and changes
 * nothing; a killed run is found gone and recorded as interrupted; a run still going elsewhere is left alone.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import { loadScenario, type Scenario } from '../../rehearsal/src/index.js';
import { CliWorld } from './cli-world.js';
import { waitFor } from './rehearsal/world-helpers.js';

/** The fast world, where pods take ~4 s to terminate and the first upgrade stage ~8 s: long enough to overlap. */
function overlapping(): Scenario {
  const fast = loadScenario('fast');
  const real = (ms: number) => ms / fast.timeScale;
  return { ...fast, name: 'overlapping', durations: { ...fast.durations, podTerminate: real(4_000), stages: { 'upload-dars': real(8_000) } } };
}

const REFUSED = /is already running: Rehearsal Engineer <engineer@rehearsal\.lendos\.io> in lendos CLI \(pid (\d+)\) on \S+ since \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \(run r-[0-9a-f]{8}\)\. One run at a time/;

describe('one runner per step, across processes (built CLI, rehearsal world)', function () {
  this.timeout(240_000);
  let w: CliWorld;
  before(async () => {
    w = await CliWorld.start(overlapping());
    await w.completeBefore('staging.upgrade.scale-down');
  });
  after(async () => w?.close());

  it('a second scale-down while the first runs is refused with who, where and since; the replicas before stay the real ones', async () => {
    const first = w.spawn('run', 'staging.upgrade.scale-down', '--yes');
    await w.waitForEvent('staging.upgrade.scale-down', 'step.progress');
    const second = await w.lendos('run', 'staging.upgrade.scale-down', '--yes');
    assert.equal(second.code, 1, second.stdout + second.stderr);
    const match = REFUSED.exec(second.stderr + second.stdout);
    assert.ok(match, second.stderr + second.stdout);
    assert.equal(Number(match[1]), first.pid, 'the refusal names the running process');
    const done = await first.exited;
    assert.equal(done.code, 0, done.stdout + done.stderr);
    const events = await w.events('staging.upgrade.scale-down');
    assert.equal(events.filter((e) => e.type === 'step.started').length, 1, 'the refused run wrote nothing');
    assert.equal((events.find((e) => e.type === 'step.started')?.data?.['run'] as { pid: number }).pid, first.pid);
    const state = events.reduce<Record<string, unknown>>((evidence, e) => ({ ...evidence, ...(e.data ?? {}) }), {});
    assert.deepEqual(state['replicasBefore'], { pqs: 1, 'daml-http-json': 1, 'lendos-portal': 2, 'signing-portal': 2 });
    assert.equal(await w.replicas('lendos-portal', 'lendos-portal'), 0);
    assert.deepEqual(w.lockFiles(), [], 'the lock is released');
  });

  it('a rerun after it finished records no new replicas: the first recording is kept', async () => {
    const again = await w.lendos('run', 'staging.upgrade.scale-down', '--yes');
    assert.equal(again.code, 0, again.stdout + again.stderr);
    assert.match(again.stdout, /already done/);
    const { service } = await import('../../src/cli/context.js').then((m) => m.createContext(w.root));
    const evidence = (await service.view('2025.4.0')).state.steps.get('staging.upgrade.scale-down')?.evidence;
    assert.deepEqual(evidence?.['replicasBefore'], { pqs: 1, 'daml-http-json': 1, 'lendos-portal': 2, 'signing-portal': 2 });
  });

  it('while the stages run: a second run and a single stage rerun are refused, no Job is touched, and status says where it runs', async () => {
    await w.completeBefore('staging.upgrade.run');
    const first = w.spawn('run', 'staging.upgrade.run', '--yes');
    await w.waitForEvent('staging.upgrade.stage.upload-dars', 'step.started');
    const jobs = await waitFor('the upload-dars Job', async () => ((await w.jobUids())['upload-dars'] ? w.jobUids() : undefined));
    const second = await w.lendos('run', 'staging.upgrade.run', '--yes');
    assert.equal(second.code, 1);
    assert.match(second.stderr, REFUSED);
    const stage = await w.lendos('run', 'staging.upgrade.stage.upload-dars', '--yes');
    assert.equal(stage.code, 1);
    assert.match(stage.stderr, /upload-dars \(staging\.upgrade\.stage\.upload-dars, part of staging\.upgrade\.run\) is already running/);
    const status = await w.lendos('status');
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, new RegExp(`Run the seven upgrade stages — running in lendos CLI \\(pid ${first.pid}\\) on \\S+ by Rehearsal Engineer`));
    assert.doesNotMatch(status.stderr, /interrupted/, 'a run still going is not reconciled');
    assert.deepEqual(await w.jobUids(), jobs, 'no Job deleted or recreated');
    const done = await first.exited;
    assert.equal(done.code, 0, done.stdout + done.stderr);
  });
});

describe('a killed run is found gone (built CLI, rehearsal world)', function () {
  this.timeout(240_000);
  let w: CliWorld;
  before(async () => {
    w = await CliWorld.start(overlapping());
    await w.completeBefore('staging.upgrade.scale-down');
    assert.equal((await w.lendos('run', 'staging.upgrade.scale-down', '--yes')).code, 0);
    await w.completeBefore('staging.upgrade.run');
  });
  after(async () => w?.close());

  it('SIGKILL mid-stage: status records the interruption, naming the process; the next run takes the lock and resumes', async () => {
    const killed = w.spawn('run', 'staging.upgrade.run', '--yes');
    await w.waitForEvent('staging.upgrade.stage.upload-dars', 'step.started');
    killed.child.kill('SIGKILL');
    await killed.exited;
    assert.deepEqual(w.lockFiles(), ['staging.upgrade.run.lock'], 'a killed run leaves its lock behind');
    const status = await w.lendos('status', '--json');
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stderr, /recorded as interrupted \(their runs are gone\): staging\.upgrade\.run, staging\.upgrade\.stage\.upload-dars/);
    const steps = (JSON.parse(status.stdout) as { steps: { id: string; status: string; message: string }[] }).steps;
    const runStep = steps.find((s) => s.id === 'staging.upgrade.run');
    assert.equal(runStep?.status, 'cancelled');
    assert.match(runStep?.message ?? '', new RegExp(`Interrupted: its run \\(lendos CLI \\(pid ${killed.pid}\\) on \\S+\\) is gone before it finished`));
    const resumed = await w.lendos('run', 'staging.upgrade.run', '--yes');
    assert.equal(resumed.code, 0, resumed.stdout + resumed.stderr);
    assert.deepEqual(w.lockFiles(), []);
  });
});
