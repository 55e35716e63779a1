import assert from 'node:assert/strict';
import {
  CreateDBClusterSnapshotCommand,
  DescribeDBClustersCommand,
  DescribeDBClusterSnapshotsCommand,
  RDSClient,
  waitUntilDBClusterSnapshotAvailable,
} from '@aws-sdk/client-rds';
import { describe, it } from 'mocha';
import type { Fault, Scenario, WorldClock } from '../../../rehearsal/src/contracts.js';
import { createClock } from '../../../rehearsal/src/clock.js';
import { createEcrRegistry, startAwsServer, type AwsServer } from '../../../rehearsal/src/aws/index.js';

const credentials = { accessKeyId: 'AKIAREHEARSAL0000006', secretAccessKey: 'rehearsal-rds-fault-secret' };
const STAGING = 'canton-0-1-54';
const WAIT = { maxWaitTime: 60, minDelay: 1, maxDelay: 1 };
const SNAPSHOT_MS = 1_500_000;

/** A clock the test moves by hand, so that delays are checked without waiting. */
function manualClock(): WorldClock & { advance(ms: number): void } {
  let now = Date.now();
  const { random } = createClock({ timeScale: 1, seed: 1 });
  return { now: () => new Date(now), sleep: async () => undefined, random, advance: (ms) => (now += ms) };
}

async function startWorld(faults: Fault[], clock?: WorldClock, timeScale = 0.001) {
  const durations = {
    podReady: 1,
    podTerminate: 1,
    stage: 1,
    snapshot: SNAPSHOT_MS,
    restore: 1,
    argoSync: 1,
    mainBuild: 1,
  };
  const world: Scenario = { name: 'rds-faults', description: '', seed: 7, timeScale, durations, faults };
  const worldClock = clock ?? createClock(world);
  const server = await startAwsServer({
    clock: worldClock,
    scenario: world,
    credentials,
    ecr: createEcrRegistry(worldClock, world),
  });
  return { server, client: new RDSClient({ endpoint: server.url, region: 'us-east-1', credentials }) };
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

describe('rehearsal AWS: RDS delays and faults', () => {
  it('PercentProgress rises with world time; snapshot-slow stretches the snapshot by its factor', async () => {
    const clock = manualClock();
    const world = await startWorld([{ kind: 'snapshot-slow', factor: 3 }], clock, 1);
    try {
      const id = 'slow-snapshot';
      await world.client.send(
        new CreateDBClusterSnapshotCommand({ DBClusterIdentifier: STAGING, DBClusterSnapshotIdentifier: id }),
      );
      clock.advance(SNAPSHOT_MS * 1.5);
      assert.deepEqual(
        [(await snapshotOf(world.client, id))?.Status, (await snapshotOf(world.client, id))?.PercentProgress],
        ['creating', 50],
      );
      clock.advance(SNAPSHOT_MS * 1.4);
      assert.equal((await snapshotOf(world.client, id))?.Status, 'creating');
      clock.advance(SNAPSHOT_MS * 0.2);
      assert.equal((await snapshotOf(world.client, id))?.Status, 'available');
    } finally {
      await stop(world);
    }
  });

  it('snapshot-fails: the snapshot ends in failed and the waiter gives up', async () => {
    const world = await startWorld([{ kind: 'snapshot-fails' }]);
    try {
      const id = 'doomed-snapshot';
      await world.client.send(
        new CreateDBClusterSnapshotCommand({ DBClusterIdentifier: STAGING, DBClusterSnapshotIdentifier: id }),
      );
      await assert.rejects(
        waitUntilDBClusterSnapshotAvailable(
          { client: world.client, ...WAIT },
          { DBClusterSnapshotIdentifier: id },
        ),
      );
      assert.equal((await snapshotOf(world.client, id))?.Status, 'failed');
    } finally {
      await stop(world);
    }
  });

  it('api-errors answers every 2nd call with a 500 the SDK retries', async () => {
    const world = await startWorld([{ kind: 'api-errors', service: 'rds', status: 500, every: 2 }]);
    try {
      const first = await world.client.send(new DescribeDBClustersCommand({}));
      const second = await world.client.send(new DescribeDBClustersCommand({}));
      assert.equal(first.DBClusters?.length, 2);
      assert.deepEqual([first.$metadata.attempts, second.$metadata.attempts], [1, 2]);
    } finally {
      await stop(world);
    }
  });
});
