import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
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
} from '@aws-sdk/client-rds';
import { after, before, describe, it } from 'mocha';
import { createClock } from '../../../rehearsal/src/clock.js';
import {
  ACCOUNTS,
  createEcrRegistry,
  startAwsServer,
  writeAwsConfig,
  type AwsServer,
} from '../../../rehearsal/src/aws/index.js';
import { instantScenario } from './scenario-fixture.js';

const run = promisify(execFile);

const credentials = { accessKeyId: 'AKIAREHEARSAL0000009', secretAccessKey: 'rehearsal-rds-accounts-secret' };
const STAGING = 'canton-0-1-54';
const PRODUCTION = 'canton-20241104-0324';
const SNAPSHOT = 'canton-upgrade-2025-4-0-20261126-1748';
const PROFILES = {
  staging: 'lendos-stg/SREOperatorAccess',
  production: 'bxci-prod/SREOperatorAccess',
  artifacts: 'artifacts-prod/SREOperatorAccess',
  world: 'default',
} as const;

type Caller = keyof typeof PROFILES;
type Clients = Record<Caller, RDSClient>;

const arn = (account: string, kind: string, name: string): string =>
  `arn:aws:rds:us-east-1:${account}:${kind}:${name}`;

async function startWorld(): Promise<AwsServer> {
  const scenario = instantScenario('rds-accounts', 13);
  const clock = createClock(scenario);
  return startAwsServer({ clock, scenario, credentials, ecr: createEcrRegistry(clock, scenario) });
}

/** An SDK client signing with the world's key of the caller's profile (what `fromIni` would load). */
function clientOf(server: AwsServer, caller: Caller, region = 'us-east-1'): RDSClient {
  const identity = server.identities.find((candidate) => candidate.profile === PROFILES[caller]);
  assert.ok(identity, `the world has a key for ${PROFILES[caller]}`);
  const key = { accessKeyId: identity.accessKeyId, secretAccessKey: credentials.secretAccessKey };
  return new RDSClient({ endpoint: server.url, region, credentials: key });
}

/** What the caller is told when a call fails: code, message and HTTP status. */
async function failureOf(
  call: Promise<unknown>,
): Promise<{ name: string; message: string; status?: number }> {
  try {
    await call;
  } catch (error) {
    const failure = error as Error & { $metadata?: { httpStatusCode?: number } };
    return { name: failure.name, message: failure.message, status: failure.$metadata?.httpStatusCode };
  }
  assert.fail('the call succeeded');
}

async function snapshotsNamed(client: RDSClient, id: string) {
  const { DBClusterSnapshots = [] } = await client.send(
    new DescribeDBClusterSnapshotsCommand({ DBClusterSnapshotIdentifier: id }),
  );
  return DBClusterSnapshots;
}

const takeSnapshot = (client: RDSClient, cluster: string, id: string) =>
  client.send(
    new CreateDBClusterSnapshotCommand({ DBClusterIdentifier: cluster, DBClusterSnapshotIdentifier: id }),
  );

const clusterIds = async (client: RDSClient, identifier?: string) =>
  (
    (await client.send(new DescribeDBClustersCommand({ DBClusterIdentifier: identifier }))).DBClusters ?? []
  ).map((c) => c.DBClusterIdentifier);

describe('rehearsal AWS: RDS per AWS account, through @aws-sdk/client-rds', () => {
  let server: AwsServer;
  let rds: Clients;
  before(async () => {
    server = await startWorld();
    const callers = ['staging', 'production', 'artifacts', 'world'] as const;
    rds = Object.fromEntries(callers.map((caller) => [caller, clientOf(server, caller)])) as Clients;
  });
  after(async () => {
    Object.values(rds).forEach((client) => client.destroy());
    await server.close();
  });

  it('shows each profile only its own account’s clusters, instances and snapshots, with that account in every ARN', async () => {
    const own = [
      ['staging', STAGING, ACCOUNTS.staging],
      ['production', PRODUCTION, ACCOUNTS.production],
    ] as const;
    for (const [caller, cluster, account] of own) {
      const { DBClusters = [] } = await rds[caller].send(new DescribeDBClustersCommand({}));
      assert.deepEqual(
        DBClusters.map((c) => c.DBClusterArn),
        [arn(account, 'cluster', cluster)],
      );
      const { DBInstances = [] } = await rds[caller].send(new DescribeDBInstancesCommand({}));
      assert.deepEqual(
        DBInstances.map((i) => i.DBInstanceArn),
        [1, 2].map((n) => arn(account, 'db', `${cluster}-instance-${n}`)),
      );
      const { DBClusterSnapshots = [] } = await rds[caller].send(new DescribeDBClusterSnapshotsCommand({}));
      assert.ok(DBClusterSnapshots.length >= 8, 'seven automated dailies and the last release’s snapshot');
      const foreign = DBClusterSnapshots.filter(
        (s) =>
          s.DBClusterIdentifier !== cluster ||
          !s.DBClusterSnapshotArn?.startsWith(arn(account, 'cluster-snapshot', '')),
      );
      assert.deepEqual(foreign, []);
    }
    assert.deepEqual(await clusterIds(rds.artifacts), []);
    assert.deepEqual(
      (await rds.artifacts.send(new DescribeDBClusterSnapshotsCommand({}))).DBClusterSnapshots,
      [],
    );
  });

  it('takes the same snapshot name in staging and production in the same minute, each in its own account', async () => {
    const staging = await takeSnapshot(rds.staging, STAGING, SNAPSHOT);
    const production = await takeSnapshot(rds.production, PRODUCTION, SNAPSHOT);
    assert.equal(
      staging.DBClusterSnapshot?.DBClusterSnapshotArn,
      arn(ACCOUNTS.staging, 'cluster-snapshot', SNAPSHOT),
    );
    assert.equal(
      production.DBClusterSnapshot?.DBClusterSnapshotArn,
      arn(ACCOUNTS.production, 'cluster-snapshot', SNAPSHOT),
    );
    assert.deepEqual(
      (await snapshotsNamed(rds.staging, SNAPSHOT)).map((s) => s.DBClusterIdentifier),
      [STAGING],
    );
    assert.deepEqual(
      (await snapshotsNamed(rds.production, SNAPSHOT)).map((s) => s.DBClusterIdentifier),
      [PRODUCTION],
    );
    const inWorld = server.rds.snapshots().filter((s) => s.identifier === SNAPSHOT);
    assert.deepEqual(inWorld.map((s) => [s.account, s.clusterIdentifier]).sort(), [
      [ACCOUNTS.staging, STAGING],
      [ACCOUNTS.production, PRODUCTION],
    ]);
    await assert.rejects(takeSnapshot(rds.staging, STAGING, SNAPSHOT), {
      name: 'DBClusterSnapshotAlreadyExistsFault',
    });

    await rds.staging.send(new DeleteDBClusterSnapshotCommand({ DBClusterSnapshotIdentifier: SNAPSHOT }));
    await assert.rejects(snapshotsNamed(rds.staging, SNAPSHOT), { name: 'DBClusterSnapshotNotFoundFault' });
    assert.deepEqual(
      (await snapshotsNamed(rds.production, SNAPSHOT)).map((s) => s.Status),
      ['available'],
    );
  });

  it('answers another account’s cluster, snapshot and instance exactly as it answers missing ones', async () => {
    const missing = await failureOf(clusterIds(rds.staging, 'canton-0-9-99'));
    assert.deepEqual([missing.name, missing.status], ['DBClusterNotFoundFault', 404]);
    assert.deepEqual(await failureOf(clusterIds(rds.staging, PRODUCTION)), {
      ...missing,
      message: `DBCluster ${PRODUCTION} not found.`,
    });
    const notFound = { name: 'DBClusterNotFoundFault' };
    await assert.rejects(clusterIds(rds.staging, arn(ACCOUNTS.production, 'cluster', PRODUCTION)), notFound);
    await assert.rejects(takeSnapshot(rds.staging, PRODUCTION, 'reach-across'), notFound);
    const rename = {
      DBClusterIdentifier: PRODUCTION,
      NewDBClusterIdentifier: `${PRODUCTION}-broken`,
      ApplyImmediately: true,
    };
    await assert.rejects(rds.staging.send(new ModifyDBClusterCommand(rename)), notFound);
    const instance = {
      DBInstanceIdentifier: 'reach-across-1',
      DBInstanceClass: 'db.r6g.large',
      Engine: 'aurora-postgresql',
    };
    await assert.rejects(
      rds.staging.send(new CreateDBInstanceCommand({ ...instance, DBClusterIdentifier: PRODUCTION })),
      notFound,
    );

    const manual = await rds.production.send(
      new DescribeDBClusterSnapshotsCommand({ SnapshotType: 'manual' }),
    );
    const release = manual.DBClusterSnapshots?.[0];
    const releaseId = release?.DBClusterSnapshotIdentifier ?? '';
    assert.match(releaseId, /^canton-upgrade-2025-3-0-/);
    const snapshotNotFound = { name: 'DBClusterSnapshotNotFoundFault' };
    await assert.rejects(snapshotsNamed(rds.staging, releaseId), snapshotNotFound);
    await assert.rejects(snapshotsNamed(rds.staging, release?.DBClusterSnapshotArn ?? ''), snapshotNotFound);
    await assert.rejects(
      rds.staging.send(new DeleteDBClusterSnapshotCommand({ DBClusterSnapshotIdentifier: releaseId })),
      snapshotNotFound,
    );
    const restore = {
      DBClusterIdentifier: 'canton-stolen',
      SnapshotIdentifier: releaseId,
      Engine: 'aurora-postgresql',
    };
    await assert.rejects(
      rds.staging.send(new RestoreDBClusterFromSnapshotCommand(restore)),
      snapshotNotFound,
    );
    const foreignInstance = await failureOf(
      rds.staging.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: `${PRODUCTION}-instance-1` })),
    );
    assert.deepEqual([foreignInstance.name, foreignInstance.status], ['DBInstanceNotFoundFault', 404]);
    const byCluster = await rds.staging.send(
      new DescribeDBClusterSnapshotsCommand({ DBClusterIdentifier: PRODUCTION }),
    );
    assert.deepEqual(byCluster.DBClusterSnapshots, []);
    assert.deepEqual(
      server.rds
        .clusters()
        .map((c) => c.identifier)
        .sort(),
      [STAGING, PRODUCTION],
      'nothing changed',
    );
  });

  it('keeps cluster and instance identifiers per account: production restores a cluster under staging’s name', async () => {
    await takeSnapshot(rds.production, PRODUCTION, 'canton-restore-source');
    const restore = {
      DBClusterIdentifier: STAGING,
      SnapshotIdentifier: 'canton-restore-source',
      Engine: 'aurora-postgresql',
    };
    const restored = await rds.production.send(new RestoreDBClusterFromSnapshotCommand(restore));
    assert.equal(restored.DBCluster?.DBClusterArn, arn(ACCOUNTS.production, 'cluster', STAGING));
    const instance = `${STAGING}-instance-1`;
    const create = {
      DBInstanceIdentifier: instance,
      DBInstanceClass: 'db.r6g.xlarge',
      Engine: 'aurora-postgresql',
      DBClusterIdentifier: STAGING,
    };
    await rds.production.send(new CreateDBInstanceCommand(create));

    const members = async (client: RDSClient) => {
      const { DBClusters = [] } = await client.send(
        new DescribeDBClustersCommand({ DBClusterIdentifier: STAGING }),
      );
      return DBClusters[0]?.DBClusterMembers?.map((m) => m.DBInstanceIdentifier);
    };
    assert.deepEqual(await members(rds.staging), [instance, `${STAGING}-instance-2`]);
    assert.deepEqual(await members(rds.production), [instance]);
    const { DBInstances = [] } = await rds.production.send(
      new DescribeDBInstancesCommand({ DBInstanceIdentifier: instance }),
    );
    assert.deepEqual(
      DBInstances.map((i) => [i.DBInstanceArn, i.DBInstanceClass]),
      [[arn(ACCOUNTS.production, 'db', instance), 'db.r6g.xlarge']],
    );
    assert.deepEqual(await clusterIds(rds.staging), [STAGING]);
  });

  it('lets the world’s own key see every account, and asks for an ARN when a name is in two', async () => {
    const byArn = await snapshotsNamed(rds.world, arn(ACCOUNTS.production, 'cluster-snapshot', SNAPSHOT));
    assert.deepEqual(
      byArn.map((s) => s.DBClusterIdentifier),
      [PRODUCTION],
    );
    await takeSnapshot(rds.staging, STAGING, 'canton-upgrade-twin');
    await takeSnapshot(rds.production, PRODUCTION, 'canton-upgrade-twin');
    const ambiguous = await failureOf(snapshotsNamed(rds.world, 'canton-upgrade-twin'));
    assert.equal(ambiguous.name, 'InvalidParameterCombination');
    assert.match(
      ambiguous.message,
      new RegExp(`exists in accounts ${ACCOUNTS.staging} and ${ACCOUNTS.production}`),
    );
    const { DBClusters = [] } = await rds.world.send(new DescribeDBClustersCommand({}));
    assert.deepEqual(
      new Set(DBClusters.map((c) => c.DBClusterArn?.split(':')[4])),
      new Set([ACCOUNTS.staging, ACCOUNTS.production]),
    );
  });

  it('reaches nothing in a region where the world has no RDS, as a wrongly set region would', async () => {
    const elsewhere = clientOf(server, 'staging', 'eu-west-1');
    try {
      assert.deepEqual(await clusterIds(elsewhere), []);
      await assert.rejects(clusterIds(elsewhere, STAGING), { name: 'DBClusterNotFoundFault' });
    } finally {
      elsewhere.destroy();
    }
  });

  it('through the real aws CLI v2: the staging profile lists staging’s cluster only, production’s is not found', async function () {
    this.timeout(120_000);
    const home = mkdtempSync(join(tmpdir(), 'rehearsal-rds-accounts-'));
    try {
      const files = writeAwsConfig(join(home, '.aws'), credentials, 'us-east-1');
      const env = {
        ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_'))),
        HOME: home,
        AWS_CONFIG_FILE: files.configFile,
        AWS_SHARED_CREDENTIALS_FILE: files.credentialsFile,
        AWS_PROFILE: PROFILES.staging,
        AWS_EC2_METADATA_DISABLED: 'true',
      };
      const aws = (...args: string[]) =>
        run('/usr/bin/aws', ['rds', ...args, '--endpoint-url', server.url], { env });
      const listed = await aws(
        'describe-db-clusters',
        '--query',
        'DBClusters[].DBClusterIdentifier',
        '--output',
        'text',
      );
      assert.equal(listed.stdout.trim(), STAGING);
      const expected = `An error occurred (DBClusterNotFoundFault) when calling the DescribeDBClusters operation: DBCluster ${PRODUCTION} not found.`;
      await assert.rejects(
        aws('describe-db-clusters', '--db-cluster-identifier', PRODUCTION),
        (error: Error & { stderr: string }) => error.stderr.includes(expected),
      );
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
