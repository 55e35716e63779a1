import assert from 'node:assert/strict';
import {
  CreateDBClusterSnapshotCommand,
  CreateDBInstanceCommand,
  DeleteDBClusterSnapshotCommand,
  DescribeDBClustersCommand,
  DescribeDBClusterSnapshotsCommand,
  DescribeDBInstancesCommand,
  ModifyDBClusterCommand,
  RDSClient,
  RestoreDBClusterFromSnapshotCommand,
  waitUntilDBClusterAvailable,
  waitUntilDBClusterSnapshotAvailable,
  waitUntilDBInstanceAvailable,
  type CreateDBClusterSnapshotCommandInput,
} from '@aws-sdk/client-rds';
import { after, before, describe, it } from 'mocha';
import type { Scenario } from '../../../rehearsal/src/contracts.js';
import { createClock } from '../../../rehearsal/src/clock.js';
import {
  createEcrRegistry,
  signRequest,
  startAwsServer,
  type AwsServer,
} from '../../../rehearsal/src/aws/index.js';

const credentials = { accessKeyId: 'AKIAREHEARSAL0000002', secretAccessKey: 'rehearsal-rds-secret' };
const STAGING = 'canton-0-1-54';
const PRODUCTION = 'canton-20241104-0324';
const WAIT = { maxWaitTime: 60, minDelay: 1, maxDelay: 1 };

function scenario(): Scenario {
  // Snapshot 25 min, restore 30 min of world time: 1.5 s and 1.8 s at this scale.
  const durations = {
    podReady: 1,
    podTerminate: 1,
    stage: 1,
    snapshot: 1_500_000,
    restore: 1_800_000,
    argoSync: 1,
    mainBuild: 1,
  };
  return { name: 'rds-test', description: '', seed: 7, timeScale: 0.001, durations, faults: [] };
}

async function startWorld() {
  const world = scenario();
  const clock = createClock(world);
  const server = await startAwsServer({
    clock,
    scenario: world,
    credentials,
    ecr: createEcrRegistry(clock, world),
  });
  const client = new RDSClient({ endpoint: server.url, region: 'us-east-1', credentials });
  return { server, client };
}

async function stop({ server, client }: { server: AwsServer; client: RDSClient }): Promise<void> {
  client.destroy();
  await server.close();
}

async function snapshotOf(client: RDSClient, id: string) {
  const { DBClusterSnapshots = [] } = await client.send(
    new DescribeDBClusterSnapshotsCommand({ DBClusterSnapshotIdentifier: id }),
  );
  return DBClusterSnapshots[0];
}

/** An awsQuery form POST signed for RDS, for inputs the SDK would never send. */
async function rawRdsCall(server: AwsServer, body: string): Promise<{ status: number; text: string }> {
  const url = new URL(server.url);
  const headers = signRequest(
    { method: 'POST', url, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body },
    credentials,
    'us-east-1',
    'rds',
  );
  const response = await fetch(url, { method: 'POST', headers, body });
  return { status: response.status, text: await response.text() };
}

describe('rehearsal AWS: RDS through @aws-sdk/client-rds', () => {
  let world: Awaited<ReturnType<typeof startWorld>>;
  before(async () => {
    world = await startWorld();
  });
  after(() => stop(world));

  it('describes the two Canton Aurora clusters, available, each with a writer and a reader', async () => {
    const { DBClusters = [] } = await world.client.send(new DescribeDBClustersCommand({}));
    assert.deepEqual(DBClusters.map((c) => c.DBClusterIdentifier).sort(), [STAGING, PRODUCTION]);
    for (const cluster of DBClusters) {
      assert.equal(cluster.Engine, 'aurora-postgresql');
      assert.equal(cluster.Status, 'available');
      assert.deepEqual(
        cluster.DBClusterMembers?.map((m) => m.IsClusterWriter),
        [true, false],
      );
      assert.ok(cluster.ClusterCreateTime instanceof Date);
    }
    await assert.rejects(
      world.client.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'canton-nope' })),
      {
        name: 'DBClusterNotFoundFault',
        message: 'DBCluster canton-nope not found.',
      },
    );
  });

  it('takes a snapshot that is creating, then available through waitUntilDBClusterSnapshotAvailable', async () => {
    const id = 'canton-upgrade-2025-4-0-20250301-1412';
    const created = await world.client.send(
      new CreateDBClusterSnapshotCommand({ DBClusterIdentifier: STAGING, DBClusterSnapshotIdentifier: id }),
    );
    assert.equal(created.DBClusterSnapshot?.Status, 'creating');
    assert.equal(created.DBClusterSnapshot?.SnapshotType, 'manual');
    const result = await waitUntilDBClusterSnapshotAvailable(
      { client: world.client, ...WAIT },
      { DBClusterSnapshotIdentifier: id },
    );
    assert.equal(result.state, 'SUCCESS');
    const snapshot = await snapshotOf(world.client, id);
    assert.deepEqual(
      [snapshot?.Status, snapshot?.PercentProgress, snapshot?.DBClusterIdentifier],
      ['available', 100, STAGING],
    );
  });

  it('refuses a taken snapshot id, an unknown cluster and an id with dots, with the real faults', async () => {
    const input = {
      DBClusterIdentifier: PRODUCTION,
      DBClusterSnapshotIdentifier: 'canton-upgrade-2025-4-0-20250302-0900',
    };
    await world.client.send(new CreateDBClusterSnapshotCommand(input));
    await assert.rejects(world.client.send(new CreateDBClusterSnapshotCommand(input)), {
      name: 'DBClusterSnapshotAlreadyExistsFault',
    });
    await assert.rejects(
      world.client.send(
        new CreateDBClusterSnapshotCommand({
          ...input,
          DBClusterIdentifier: 'canton-9',
          DBClusterSnapshotIdentifier: 'x1',
        }),
      ),
      { name: 'DBClusterNotFoundFault' },
    );
    await assert.rejects(
      world.client.send(
        new CreateDBClusterSnapshotCommand({
          ...input,
          DBClusterSnapshotIdentifier: 'canton-upgrade-2025.4.0',
        }),
      ),
      (error: Error) =>
        error.name === 'InvalidParameterValue' && /not a valid identifier/.test(error.message),
    );
    const missing = {
      DBClusterSnapshotIdentifier: 'no-cluster-given',
    } as CreateDBClusterSnapshotCommandInput;
    await assert.rejects(world.client.send(new CreateDBClusterSnapshotCommand(missing)), {
      name: 'MissingParameter',
      message: 'The request must contain the parameter DBClusterIdentifier',
    });
  });

  it('lists snapshots by cluster and answers DBClusterSnapshotNotFoundFault for an unknown id', async () => {
    const { DBClusterSnapshots = [] } = await world.client.send(
      new DescribeDBClusterSnapshotsCommand({ DBClusterIdentifier: PRODUCTION }),
    );
    assert.ok(DBClusterSnapshots.length >= 8, 'automated dailies and the last release snapshot');
    assert.ok(DBClusterSnapshots.every((s) => s.DBClusterIdentifier === PRODUCTION));
    assert.ok(DBClusterSnapshots.some((s) => s.SnapshotType === 'automated'));
    await assert.rejects(snapshotOf(world.client, 'canton-upgrade-1999-1-0'), {
      name: 'DBClusterSnapshotNotFoundFault',
    });
  });

  it('deletes a manual snapshot once it is available', async () => {
    const id = 'to-be-deleted';
    await world.client.send(
      new CreateDBClusterSnapshotCommand({ DBClusterIdentifier: STAGING, DBClusterSnapshotIdentifier: id }),
    );
    await assert.rejects(
      world.client.send(new DeleteDBClusterSnapshotCommand({ DBClusterSnapshotIdentifier: id })),
      {
        name: 'InvalidDBClusterSnapshotStateFault',
      },
    );
    await waitUntilDBClusterSnapshotAvailable(
      { client: world.client, ...WAIT },
      { DBClusterSnapshotIdentifier: id },
    );
    await world.client.send(new DeleteDBClusterSnapshotCommand({ DBClusterSnapshotIdentifier: id }));
    await assert.rejects(snapshotOf(world.client, id), { name: 'DBClusterSnapshotNotFoundFault' });
  });

  it('restores only to a new identifier: rename away, restore (no instances), then CreateDBInstance', async () => {
    const snapshotId = 'canton-upgrade-2025-4-0-20250303-1000';
    await world.client.send(
      new CreateDBClusterSnapshotCommand({
        DBClusterIdentifier: STAGING,
        DBClusterSnapshotIdentifier: snapshotId,
      }),
    );
    await waitUntilDBClusterSnapshotAvailable(
      { client: world.client, ...WAIT },
      { DBClusterSnapshotIdentifier: snapshotId },
    );
    const restore = {
      DBClusterIdentifier: STAGING,
      SnapshotIdentifier: snapshotId,
      Engine: 'aurora-postgresql',
    };
    await assert.rejects(world.client.send(new RestoreDBClusterFromSnapshotCommand(restore)), {
      name: 'DBClusterAlreadyExistsFault',
    });

    const renamed = await world.client.send(
      new ModifyDBClusterCommand({
        DBClusterIdentifier: STAGING,
        NewDBClusterIdentifier: `${STAGING}-broken`,
        ApplyImmediately: true,
      }),
    );
    assert.equal(renamed.DBCluster?.DBClusterIdentifier, `${STAGING}-broken`);
    const restored = await world.client.send(new RestoreDBClusterFromSnapshotCommand(restore));
    assert.equal(restored.DBCluster?.Status, 'creating');
    assert.deepEqual(restored.DBCluster?.DBClusterMembers, []);
    await waitUntilDBClusterAvailable({ client: world.client, ...WAIT }, { DBClusterIdentifier: STAGING });

    const instance = await world.client.send(
      new CreateDBInstanceCommand({
        DBInstanceIdentifier: `${STAGING}-restored-1`,
        DBInstanceClass: 'db.r6g.large',
        Engine: 'aurora-postgresql',
        DBClusterIdentifier: STAGING,
      }),
    );
    assert.equal(instance.DBInstance?.DBInstanceStatus, 'creating');
    await waitUntilDBInstanceAvailable(
      { client: world.client, ...WAIT },
      { DBInstanceIdentifier: `${STAGING}-restored-1` },
    );
    const { DBInstances = [] } = await world.client.send(
      new DescribeDBInstancesCommand({ Filters: [{ Name: 'db-cluster-id', Values: [STAGING] }] }),
    );
    assert.deepEqual(
      DBInstances.map((i) => [i.DBInstanceIdentifier, i.DBInstanceStatus]),
      [[`${STAGING}-restored-1`, 'available']],
    );
    const { DBClusters = [] } = await world.client.send(
      new DescribeDBClustersCommand({ DBClusterIdentifier: `${STAGING}-broken` }),
    );
    assert.equal(
      DBClusters[0]?.DBClusterMembers?.length,
      2,
      'the old instances stay with the renamed cluster',
    );
    assert.deepEqual(world.server.rds.clusters().find((c) => c.identifier === STAGING)?.members, [
      `${STAGING}-restored-1`,
    ]);
  });

  it('answers InvalidAction, MissingAction and NoSuchVersion to bad forms', async () => {
    const unknown = await rawRdsCall(world.server, 'Action=DropEverything&Version=2014-10-31');
    assert.equal(unknown.status, 400);
    assert.match(unknown.text, /<Code>InvalidAction<\/Code>/);
    assert.match(
      unknown.text,
      /^<ErrorResponse xmlns="http:\/\/rds.amazonaws.com\/doc\/2014-10-31\/"><Error><Type>Sender<\/Type>/,
    );
    assert.match((await rawRdsCall(world.server, '%%%&&=')).text, /<Code>MissingAction<\/Code>/);
    assert.match(
      (await rawRdsCall(world.server, 'Action=DescribeDBClusters&Version=2099-01-01')).text,
      /<Code>NoSuchVersion<\/Code>/,
    );
  });
});
