import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import { atFastPace } from './rehearsal/world-helpers.js';
import { TypedPrompt, UpgradeAwsWorld } from './upgrade-aws-harness.js';

const STEP = 'staging.upgrade.snapshot';
const STAGING_CLUSTER = 'canton-0-1-54';
const STAGING_PROFILE = 'lendos-stg/SREOperatorAccess';
const SNAPSHOT_NAME = /^canton-upgrade-2025-4-0-\d{8}-\d{4}$/;

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('3.1.3 RDS snapshot on the rehearsal world (fast)', function () {
  this.timeout(120_000);
  let w: UpgradeAwsWorld;
  before(async () => {
    w = await UpgradeAwsWorld.start('fast');
    await w.markDependenciesDone(STEP);
  });
  after(async () => w?.cleanup());

  it('creates the snapshot through the API, waits until available and records id, ARN, cluster and timings', async () => {
    const { result, log } = await w.run(STEP);
    assert.equal(result.status, 'succeeded', result.summary);
    const snapshots = await w.releaseSnapshots(STAGING_CLUSTER, STAGING_PROFILE);
    assert.equal(snapshots.length, 1);
    const [snapshot] = snapshots;
    assert.match(snapshot?.DBClusterSnapshotIdentifier ?? '', SNAPSHOT_NAME);
    assert.equal(snapshot?.Status, 'available');
    const evidence = await w.evidence(STEP);
    assert.equal(evidence['snapshotId'], snapshot?.DBClusterSnapshotIdentifier);
    assert.equal(evidence['snapshotArn'], snapshot?.DBClusterSnapshotArn);
    assert.match(String(evidence['snapshotArn']), /^arn:aws:rds:us-east-1:\d{12}:cluster-snapshot:canton-upgrade-2025-4-0-/);
    assert.equal(evidence['cluster'], STAGING_CLUSTER);
    assert.equal(evidence['snapshotStatus'], 'available');
    assert.ok(Date.parse(String(evidence['requestedAt'])) <= Date.parse(String(evidence['availableAt'])));
    assert.equal(typeof evidence['waitedSeconds'], 'number');
    assert.match(result.summary, /^Snapshot canton-upgrade-2025-4-0-\d{8}-\d{4} of canton-0-1-54 is available/);
    assert.match(log.text(), /Creating RDS snapshot canton-upgrade-2025-4-0-\d{8}-\d{4} of canton-0-1-54/);
    const tags = Object.fromEntries((snapshot?.TagList ?? []).map((t) => [t.Key, t.Value]));
    assert.deepEqual(tags, { 'lendos:release': '2025.4.0', 'lendos:actor': 'Ada Release ada@example.com', 'lendos:environment': 'staging' });
  });

  it('adopts the available snapshot on a rerun and takes no second one', async () => {
    const first = await w.evidence(STEP);
    await w.service.reset('2025.4.0', STEP);
    const { result } = await w.run(STEP);
    assert.equal(result.status, 'succeeded');
    assert.equal(result.status === 'succeeded' && result.adopted, true);
    assert.equal((await w.releaseSnapshots(STAGING_CLUSTER, STAGING_PROFILE)).length, 1);
    assert.equal((await w.evidence(STEP))['snapshotId'], first['snapshotId']);
  });

  it('keeps the stages blocked until the snapshot is done', async () => {
    const view = await w.service.view('2025.4.0');
    const run = view.plan.find((p) => p.step.id === 'staging.upgrade.run');
    assert.deepEqual(run?.step.dependsOn, [STEP]);
  });
});

describe('3.1.3 RDS snapshot in production', function () {
  this.timeout(120_000);
  let w: UpgradeAwsWorld;
  // A world of its own: the world's RDS names snapshots per region, not per account, so staging's would collide.
  before(async () => {
    w = await UpgradeAwsWorld.start('fast');
  });
  after(async () => w?.cleanup());

  it('in production, changes nothing unless the environment name is typed, and shows the account it would touch', async () => {
    const step = 'production.upgrade.snapshot';
    await w.markDependenciesDone(step);
    const prompt = new TypedPrompt(false);
    const { result } = await w.run(step, { prompt });
    assert.equal(result.status, 'cancelled', result.summary);
    assert.equal(prompt.typed.length, 1, result.summary);
    assert.equal(prompt.typed[0]?.expected, 'bxci');
    assert.match(prompt.typed[0]?.message ?? '', /canton-20241104-0324 in Production \(BXCI\), AWS account 739451022368/);
    assert.equal((await w.releaseSnapshots('canton-20241104-0324', 'bxci-prod/SREOperatorAccess')).length, 0);
    const confirmed = await w.run(step, { prompt: new TypedPrompt(true) });
    assert.equal(confirmed.result.status, 'succeeded', confirmed.result.summary);
    assert.equal((await w.evidence(step))['account'], '739451022368');
    assert.equal((await w.releaseSnapshots('canton-20241104-0324', 'bxci-prod/SREOperatorAccess')).length, 1);
  });

});

describe('3.1.3 RDS snapshot that takes long (slow-snapshot at fast pace)', function () {
  this.timeout(120_000);
  let w: UpgradeAwsWorld;
  before(async () => {
    w = await UpgradeAwsWorld.start(atFastPace('slow-snapshot'));
    await w.markDependenciesDone(STEP);
  });
  after(async () => w?.cleanup());

  it('cancelling stops the wait, not the snapshot; a new window resumes waiting and takes no second snapshot', async () => {
    const cancel = new AbortController();
    const running = w.run(STEP, { signal: cancel.signal });
    await until('the snapshot to be creating', async () => {
      const found = await w.releaseSnapshots(STAGING_CLUSTER, STAGING_PROFILE);
      return found.length === 1 && found[0]?.Status === 'creating' ? true : undefined;
    });
    await until('a progress line', async () => ((await w.events(STEP)).some((e) => /^snapshot \d+%$/.test(e.message ?? '')) ? true : undefined));
    cancel.abort();
    const { result } = await running;
    assert.equal(result.status, 'cancelled');
    assert.match(result.summary, /^Stopped waiting for canton-upgrade-2025-4-0-\d{8}-\d{4}; RDS goes on creating it\. Run this step again/);
    const stillCreating = await w.releaseSnapshots(STAGING_CLUSTER, STAGING_PROFILE);
    assert.deepEqual(stillCreating.map((s) => s.Status), ['creating']);

    const resumed = await w.run(STEP, { runner: w.runner() });
    assert.equal(resumed.result.status, 'succeeded', resumed.result.summary);
    assert.match(resumed.log.text(), /is still being created \(\d+%\): waiting for it, not taking a second snapshot/);
    const after = await w.releaseSnapshots(STAGING_CLUSTER, STAGING_PROFILE);
    assert.equal(after.length, 1);
    assert.equal(after[0]?.Status, 'available');
    const evidence = await w.evidence(STEP);
    assert.equal(evidence['snapshotId'], after[0]?.DBClusterSnapshotIdentifier);
    assert.equal(typeof evidence['resumedAt'], 'string');
  });
});

describe('3.1.3 RDS snapshot that fails (snapshot-fails)', function () {
  this.timeout(120_000);
  let w: UpgradeAwsWorld;
  before(async () => {
    w = await UpgradeAwsWorld.start(atFastPace('snapshot-fails'));
    await w.markDependenciesDone(STEP);
  });
  after(async () => w?.cleanup());

  it('fails with what RDS said and what to do, keeping the snapshot id as evidence', async () => {
    const { result } = await w.run(STEP);
    assert.equal(result.status, 'failed');
    assert.match(result.summary, /^RDS reports snapshot canton-upgrade-2025-4-0-\d{8}-\d{4} of canton-0-1-54 as "failed"\. Without it there is no rollback point/);
    assert.match(result.summary, /run this step again: it takes a new snapshot\.$/);
    const evidence = await w.evidence(STEP);
    assert.equal(evidence['snapshotStatus'], 'failed');
    assert.match(String(evidence['snapshotId']), SNAPSHOT_NAME);
    const view = await w.service.view('2025.4.0');
    assert.deepEqual(view.plan.find((p) => p.step.id === 'staging.upgrade.run')?.blockedBy, [STEP]);
  });
});

describe('3.1.3 RDS snapshot with expired credentials', function () {
  this.timeout(120_000);
  let w: UpgradeAwsWorld;
  before(async () => {
    w = await UpgradeAwsWorld.start(atFastPace('expired-credentials'));
    await w.markDependenciesDone(STEP);
  });
  after(async () => w?.cleanup());

  it('says which profile to log in with, and takes no snapshot', async () => {
    const { result } = await w.run(STEP);
    assert.equal(result.status, 'failed');
    assert.match(result.summary, /^AWS credentials for profile "lendos-stg\/SREOperatorAccess" are missing or expired \(ExpiredToken: /);
    assert.match(result.summary, /aws sso login --profile lendos-stg\/SREOperatorAccess/);
    assert.match(result.summary, /setting lendos\.environments\.staging\.awsProfile/);
    assert.deepEqual(w.test.world.aws.rds.snapshots().filter((s) => s.identifier.startsWith('canton-upgrade-2025-4-0-')), []);
  });
});
