import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'mocha';
import pg from 'pg';
import { createAwsIdentity, createRds } from '../../src/adapters/aws/index.js';
import { environmentAwsOptions } from '../../src/adapters/aws/lazy.js';
import { FetchHttpProbe } from '../../src/adapters/http-probe.js';
import { createPqs } from '../../src/adapters/pqs/index.js';
import { createKube } from '../../src/adapters/kube/index.js';
import { pqsOptionsFor } from '../../src/adapters/pqs/lazy.js';
import { UserError } from '../../src/core/errors.js';
import { applyUpgrade } from '../../rehearsal/src/pqs/index.js';
import { atFastPace, startTestWorld, type TestWorld } from './rehearsal/world-helpers.js';
import { testConfig } from './upgrade-aws-harness.js';

function rejectsWith(reason: string, pattern: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof UserError, `a UserError, not ${String(error)}`);
    assert.equal(error.reason, reason);
    assert.match(error.message, pattern);
    return true;
  };
}

describe('RDS and STS adapters against the rehearsal world', function () {
  this.timeout(60_000);
  let t: TestWorld;
  const config = testConfig();
  before(async () => {
    t = await startTestWorld('fast');
  });
  after(async () => t?.cleanup());
  const rds = (env: 'staging' | 'production' = 'staging') => createRds(environmentAwsOptions(config.environments[env], 'rds', t.world.description.aws));

  it('describes the Canton cluster, and answers undefined for one that does not exist', async () => {
    const cluster = await rds().describeCluster('canton-0-1-54');
    const { id, status, engine, arn, members, securityGroupIds, deletionProtection } = cluster ?? ({} as NonNullable<typeof cluster>);
    assert.deepEqual({ id, status, engine, arn }, { id: 'canton-0-1-54', status: 'available', engine: 'aurora-postgresql', arn: 'arn:aws:rds:us-east-1:620134885217:cluster:canton-0-1-54' });
    // What a restore under the identifier must repeat: engine version, groups, and the instances, writer first.
    assert.match(cluster?.engineVersion ?? '', /^\d+\.\d+/);
    assert.ok(cluster?.subnetGroup && cluster.parameterGroup, JSON.stringify(cluster));
    assert.ok(securityGroupIds.length > 0 && typeof deletionProtection === 'boolean');
    assert.ok(members.length > 0 && members[0]?.writer === true, JSON.stringify(members));
    const writer = await rds().describeInstance(members[0]?.id ?? '');
    assert.equal(writer?.cluster, 'canton-0-1-54');
    assert.match(writer?.instanceClass ?? '', /^db\./);
    assert.equal(await rds().describeInstance('canton-9-9-99-instance-1'), undefined);
    assert.equal(await rds().describeCluster('canton-9-9-99'), undefined);
    assert.equal(await rds().describeSnapshot('canton-upgrade-2025-4-0-20990101-0000'), undefined);
  });

  it('lists a cluster’s snapshots newest first, creates one with tags and describes it', async () => {
    const before = await rds('production').listSnapshots('canton-20241104-0324');
    assert.equal(before.length, 8);
    const times = before.map((s) => s.createdAt ?? '');
    assert.deepEqual(times, [...times].sort().reverse());
    const created = await rds('production').createClusterSnapshot('canton-20241104-0324', 'canton-upgrade-2025-4-0-20250101-0000', { 'lendos:release': '2025.4.0' });
    assert.equal(created.status, 'creating');
    assert.equal(created.cluster, 'canton-20241104-0324');
    assert.equal(created.arn, 'arn:aws:rds:us-east-1:739451022368:cluster-snapshot:canton-upgrade-2025-4-0-20250101-0000');
    const listed = await rds('production').listSnapshots('canton-20241104-0324');
    assert.equal(listed[0]?.id, 'canton-upgrade-2025-4-0-20250101-0000');
    const described = await rds('production').describeSnapshot('canton-upgrade-2025-4-0-20250101-0000');
    assert.equal(described?.arn, created.arn);
    assert.ok(described && described.percentProgress >= 0 && described.percentProgress <= 100);
    await assert.rejects(
      rds('production').createClusterSnapshot('canton-20241104-0324', 'canton-upgrade-2025-4-0-20250101-0000'),
      rejectsWith('snapshot-exists', /already has a snapshot with that name/),
    );
  });

  it('tells each environment’s account apart through STS', async () => {
    const identity = (env: 'staging' | 'production') => createAwsIdentity(environmentAwsOptions(config.environments[env], 'sts', t.world.description.aws)).callerIdentity();
    assert.equal((await identity('staging')).account, '620134885217');
    assert.equal((await identity('production')).account, '739451022368');
  });

  it('names the profile and how to log in when the profile has no credentials', async () => {
    const env = { ...config.environments.staging, awsProfile: 'nobody/SREOperatorAccess' };
    const options = environmentAwsOptions(env, 'rds', t.world.description.aws);
    await assert.rejects(
      createRds(options).describeCluster('canton-0-1-54'),
      rejectsWith('aws-credentials', /^AWS credentials for profile "nobody\/SREOperatorAccess" are missing or expired \(CredentialsProviderError: .*aws sso login --profile nobody\/SREOperatorAccess.*setting lendos\.environments\.staging\.awsProfile/s),
    );
    await assert.rejects(createAwsIdentity({ ...options, endpoint: t.world.description.aws.stsEndpoint }).callerIdentity(), rejectsWith('aws-credentials', /profile "nobody\/SREOperatorAccess"/));
  });
});

describe('RDS adapter with expired credentials', function () {
  this.timeout(60_000);
  let t: TestWorld;
  before(async () => {
    t = await startTestWorld(atFastPace('expired-credentials'));
  });
  after(async () => t?.cleanup());

  it('maps ExpiredToken to what to do', async () => {
    const options = environmentAwsOptions(testConfig().environments.staging, 'rds', t.world.description.aws);
    await assert.rejects(createRds(options).listSnapshots('canton-0-1-54'), rejectsWith('aws-credentials', /^AWS credentials for profile "lendos-stg\/SREOperatorAccess" are missing or expired \(ExpiredToken: The security token included in the request is expired\)/));
  });
});

describe('PQS adapter against the world’s real PostgreSQL', function () {
  this.timeout(60_000);
  let t: TestWorld;
  let url = '';
  before(async () => {
    t = await startTestWorld('fast');
    assert.ok(t.world.pqs, 'the world has no PQS: install the Debian package "postgresql" (PostgreSQL binaries are missing)');
    url = t.world.pqs.urls.staging;
  });
  after(async () => t?.cleanup());
  const pqs = (connection = url) => createPqs({ connection, source: 'test connection' });

  it('counts the active contracts of every template in PQS’s catalog', async () => {
    const kube = createKube({ kubeconfig: t.world.description.kubeconfig });
    const options = await pqsOptionsFor(testConfig().environments.staging, t.world.description, (...at) => kube.readSecret(...at));
    assert.match(options.source, /^Secret pqs\/pqs-postgres key "connection" in lendos-stg\/SREOperatorAccess/, 'found through the cluster, as in a real environment');
    const client = pqs(options.connection);
    try {
      const counts = await client.contractCounts();
      assert.deepEqual(counts, t.world.pqs?.seeded.staging);
      assert.equal(Object.keys(counts).length, 6);
      assert.deepEqual(await client.contractCounts(['LendOS.Loan:Loan']), { 'LendOS.Loan:Loan': counts['lendos-model:LendOS.Loan:Loan'] });
    } finally {
      await client.close();
    }
  });

  it('counts the same after the upgrade stage moved every contract to the new package version', async () => {
    const before = await pqs().contractCounts();
    const moved = await applyUpgrade(url, '0.1.93');
    assert.equal(moved.moved, Object.values(before).reduce((a, b) => a + b, 0));
    assert.equal((await applyUpgrade(url, '0.1.93')).moved, 0);
    const client = pqs();
    try {
      assert.deepEqual(await client.contractCounts(), before);
    } finally {
      await client.close();
    }
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    try {
      const { rows } = await db.query("select package_version, count(*)::int as n from active('LendOS.Loan:Loan') group by 1");
      assert.deepEqual(rows, [{ package_version: '0.1.93', n: before['lendos-model:LendOS.Loan:Loan'] }]);
    } finally {
      await db.end();
    }
  });

  it('says what is wrong: unknown template, wrong password, not PQS’s database, nothing listening', async () => {
    await assert.rejects(pqs().contractCounts(['LendOS.Loan:Mortgage']), rejectsWith('pqs-template', /Template or interface LendOS\.Loan:Mortgage is not known to PQS/));
    const target = new URL(url);
    const wrong = new URL(url);
    wrong.password = 'not-the-password';
    await assert.rejects(pqs(wrong.toString()).contractCounts(), (error: unknown) => {
      rejectsWith('pqs-auth', new RegExp(`^PQS at 127\\.0\\.0\\.1:${target.port}/pqs_staging refused the login .*check the user and password in the test connection`))(error);
      assert.ok(!(error as Error).message.includes('not-the-password'), 'the password is not quoted');
      return true;
    });
    const other = new URL(url);
    other.pathname = '/postgres';
    await assert.rejects(pqs(other.toString()).contractCounts(), rejectsWith('pqs-schema', /has no PQS catalog or active\(\) function/));
    const free = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const { port } = s.address() as AddressInfo;
        s.close(() => resolve(port));
      });
    });
    const closed = new URL(url);
    closed.port = String(free);
    await assert.rejects(pqs(closed.toString()).contractCounts(), rejectsWith('pqs-unreachable', /^PQS is unreachable at 127\.0\.0\.1:\d+\/pqs_staging \(.*ECONNREFUSED/));
  });
});

describe('HTTP probe', function () {
  let server: Server;
  let base = '';
  before(async () => {
    server = createServer((req, res) => {
      if (req.url === '/moved') res.writeHead(302, { location: '/ok' }).end();
      else if (req.url === '/ok') res.writeHead(200, { 'content-type': 'text/plain' }).end('up');
      else if (req.url === '/broken') res.writeHead(503).end('down');
      // '/silent' never answers: the probe's timeout must end it.
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('answers the status after following redirects, a timeout or the network error', async () => {
    const probe = new FetchHttpProbe();
    assert.deepEqual(await probe.get(`${base}/moved`, 2000), { status: 200 });
    assert.deepEqual(await probe.get(`${base}/broken`, 2000), { status: 503 });
    assert.deepEqual(await probe.get(`${base}/silent`, 200), { error: `no answer from ${base}/silent within 200 ms` });
    server.closeAllConnections();
    const closed = await new Promise<string>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const { port } = s.address() as AddressInfo;
        s.close(() => resolve(`http://127.0.0.1:${port}/`));
      });
    });
    const refused = await probe.get(closed, 2000);
    assert.ok('error' in refused && /ECONNREFUSED/.test(refused.error), JSON.stringify(refused));
  });
});
