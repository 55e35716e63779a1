/**
 * What crosses the shipped bundles: errors thrown in one lazily loaded bundle (kube, aws, steps) and recognised in
 * another (the steps, the CLI's runner). Run through the built CLI — each bundle its own module graph, as shipped —
 * these paths used to fail: a Lease's 409 was not retried, a snapshot of the same name was not adopted, a cancel
 * showed a generic message, a declined takeover was journalled as a failure.
 */
import assert from 'node:assert/strict';
import { CreateDBClusterSnapshotCommand, DescribeDBClusterSnapshotsCommand, RDSClient } from '@aws-sdk/client-rds';
import { fromIni } from '@aws-sdk/credential-providers';
import * as k8s from '@kubernetes/client-node';
import { afterEach, describe, it } from 'mocha';
import { loadScenario } from '../../rehearsal/src/index.js';
import { CliWorld, VERSION } from './cli-world.js';
import { atFastPace } from './rehearsal/world-helpers.js';

function rds(w: CliWorld, profile: string): RDSClient {
  const { aws } = w.test.world.description;
  return new RDSClient({ region: aws.region, endpoint: aws.rdsEndpoint, credentials: fromIni({ profile, filepath: aws.credentialsFile, configFilepath: aws.configFile }) });
}

describe('errors across the shipped bundles (built CLI, rehearsal world)', function () {
  this.timeout(180_000);
  let w: CliWorld | undefined;
  afterEach(async () => {
    await w?.close();
    w = undefined;
  });

  it("a Lease write answered 409 (someone renewed it meanwhile) is read again and taken: KubeConflict from the kube bundle", async () => {
    w = await CliWorld.start(loadScenario('lease-contended'));
    await w.completeBefore('staging.upgrade.scale-down');
    assert.equal((await w.lendos('run', 'staging.upgrade.scale-down', '--yes')).code, 0);
    await w.completeBefore('staging.upgrade.canton-restart');
    // The next step replaces the Lease the scale-down's run left: that write meets the contention.
    const restart = await w.lendos('run', 'staging.upgrade.canton-restart', '--yes');
    assert.equal(restart.code, 0, restart.stdout + restart.stderr);
    // Said only when the write's KubeConflict is recognised as one; before, the step failed with the raw 409.
    assert.match(restart.stdout, /The upgrade lock changed while it was being taken; reading it again\./);
    assert.match((await w.lease())?.spec?.holderIdentity ?? '', /^Rehearsal Engineer .* \(cli pid \d+, run r-[0-9a-f]{8}\)$/);
  });

  it('a snapshot that already exists under the chosen name is waited for, not failed: UserError.reason from the aws bundle', async () => {
    w = await CliWorld.start('fast');
    await w.completeBefore('staging.upgrade.snapshot');
    const name = 'canton-upgrade-by-another-window';
    // Another window chose and created it between this run's look and its create call.
    await rds(w, 'lendos-stg/SREOperatorAccess').send(new CreateDBClusterSnapshotCommand({ DBClusterIdentifier: 'canton-0-1-54', DBClusterSnapshotIdentifier: name }));
    const { service } = await import('../../src/cli/context.js').then((m) => m.createContext(w!.root));
    await service.appendEvent({ release: VERSION, step: 'staging.upgrade.snapshot', type: 'step.evidence', data: { plannedSnapshot: name } });
    const snapshot = await w.lendos('run', 'staging.upgrade.snapshot', '--yes');
    assert.equal(snapshot.code, 0, snapshot.stdout + snapshot.stderr);
    assert.match(snapshot.stdout, new RegExp(`${name} already exists \\(\\w+\\); waiting for it instead of taking another`));
    const all = await rds(w, 'lendos-stg/SREOperatorAccess').send(new DescribeDBClusterSnapshotsCommand({ DBClusterIdentifier: 'canton-0-1-54', SnapshotType: 'manual' }));
    const ids = (all.DBClusterSnapshots ?? []).map((s) => [s.DBClusterSnapshotIdentifier, s.Status]);
    assert.deepEqual(ids.filter(([id]) => id === name), [[name, 'available']]);
    assert.deepEqual(ids.filter(([id]) => id?.startsWith('canton-upgrade-2025-4-0-')), [], 'no second snapshot under a new name');
  });

  it("a cancel (SIGINT) while waiting for the snapshot says what keeps going: Cancelled from the steps bundle", async () => {
    w = await CliWorld.start(atFastPace('slow-snapshot'));
    await w.completeBefore('staging.upgrade.snapshot');
    const live = w.spawn('run', 'staging.upgrade.snapshot', '--yes');
    await w.waitForEvent('staging.upgrade.snapshot', 'step.progress');
    live.child.kill('SIGINT');
    const ended = await live.exited;
    assert.equal(ended.code, 1, ended.stdout + ended.stderr);
    const last = (await w.events('staging.upgrade.snapshot')).at(-1);
    assert.equal(last?.type, 'step.cancelled');
    assert.match(last?.message ?? '', /^Stopped waiting for canton-upgrade-2025-4-0-\d{8}-\d{4}; RDS goes on creating it\. Run this step again to keep waiting: it will not take a second snapshot\.$/);
  });

  it('a declined takeover of a stale lock in production is a cancel, not a failure, and leaves the lock: Declined from the steps bundle', async () => {
    w = await CliWorld.start('fast');
    await w.completeBefore('production.upgrade.validate');
    const old = new k8s.V1MicroTime(new Date(Date.now() - 10 * 60_000).toISOString());
    const holder = 'Bob Ops <bob@example.com> @ bob-laptop (editor pid 77, run r-b0b00001)';
    await w.kc('production').makeApiClient(k8s.CoordinationV1Api).createNamespacedLease({
      namespace: 'lendos-portal',
      body: { metadata: { name: 'lendos-release-upgrade' }, spec: { holderIdentity: holder, leaseDurationSeconds: 60, acquireTime: old, renewTime: old } },
    });
    const yesOnly = await w.lendos('run', 'production.upgrade.validate', '--yes');
    assert.equal(yesOnly.code, 1);
    assert.match(yesOnly.stderr, /Type "bxci" to take it over\. Pass --confirm-environment bxci to confirm \(--yes is not enough here\)/);
    const events = await w.events('production.upgrade.validate');
    assert.deepEqual(events.filter((e) => e.type !== 'step.evidence' && e.type !== 'step.progress').map((e) => e.type), ['step.started', 'step.cancelled']);
    assert.match(events.at(-1)?.message ?? '', /held by Bob Ops .* not taken over\. Nothing was changed\./);
    assert.equal((await w.lease('production'))?.spec?.holderIdentity, holder, 'the lock is still Bob’s');
  });

});
