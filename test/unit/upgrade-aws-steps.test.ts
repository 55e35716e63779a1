import assert from 'node:assert/strict';
import { systemClock } from '../../src/adapters/clock.js';
import { credentialFailure } from '../../src/adapters/aws/credentials.js';
import { rdsFailure } from '../../src/adapters/aws/rds.js';
import { pqsOptionsFor } from '../../src/adapters/pqs/lazy.js';
import { describeTarget, pqsFailure } from '../../src/adapters/pqs/pg-pqs.js';
import { CalVer } from '../../src/core/calver.js';
import { defaultConfig } from '../../src/core/config/defaults.js';
import { UserError } from '../../src/core/errors.js';
import type { EventData, StepStatus } from '../../src/core/journal/types.js';
import { buildRunbook } from '../../src/core/runbook/index.js';
import type { StepContext } from '../../src/engine/step-types.js';
import type { DbClusterSnapshot, Pqs, Rds, UpgradePorts } from '../../src/ports.js';
import { checkPrerequisites } from '../../src/steps/upgrade/prerequisites.js';
import { takeSnapshot } from '../../src/steps/upgrade/snapshot.js';

const VERSION = '2025.4.0';
const snapshot = (id: string, status: string, extra: Partial<DbClusterSnapshot> = {}): DbClusterSnapshot => ({
  id,
  arn: `arn:aws:rds:us-east-1:620134885217:cluster-snapshot:${id}`,
  cluster: 'canton-0-1-54',
  status,
  percentProgress: status === 'available' ? 100 : 40,
  ...extra,
});

/** An in-memory RDS whose snapshots become available after `polls` describes. */
class FakeRds implements Rds {
  created: string[] = [];
  describes = 0;
  constructor(public snapshots: DbClusterSnapshot[], private readonly polls = 1, private readonly flaky = false) {}
  async describeCluster() {
    return { id: 'canton-0-1-54', status: 'available', engine: 'aurora-postgresql', engineVersion: '15.4', arn: 'arn:cluster', securityGroupIds: [], deletionProtection: false, members: [] };
  }
  renameCluster(): never {
    throw new Error('not used by these steps');
  }
  restoreCluster(): never {
    throw new Error('not used by these steps');
  }
  createInstance(): never {
    throw new Error('not used by these steps');
  }
  async describeInstance() {
    return undefined;
  }
  async createClusterSnapshot(cluster: string, id: string) {
    this.created.push(id);
    const made = snapshot(id, 'creating', { cluster, percentProgress: 0 });
    this.snapshots.push(made);
    return made;
  }
  async describeSnapshot(id: string) {
    this.describes += 1;
    if (this.flaky && this.describes === 1) throw new Error('socket hang up');
    const found = this.snapshots.find((s) => s.id === id);
    if (found && this.describes >= this.polls) return { ...found, status: 'available', percentProgress: 100 };
    return found;
  }
  async listSnapshots() {
    return [...this.snapshots];
  }
}

interface Fakes {
  rds?: Rds;
  pqs?: () => Promise<Pqs>;
  evidence?: Record<string, EventData>;
  status?: Record<string, StepStatus>;
}

function context(stepId: string, fakes: Fakes) {
  const step = buildRunbook(VERSION, defaultConfig()).steps.find((s) => s.id === stepId);
  assert.ok(step);
  const events: { type: 'progress' | 'record'; message?: string; data?: EventData }[] = [];
  const lines: string[] = [];
  const ports = {
    workspaceRoot: '/work/lendos',
    rds: async () => fakes.rds ?? new FakeRds([]),
    identity: async () => ({ callerIdentity: async () => ({ account: '620134885217', arn: 'arn:aws:sts::620134885217:assumed-role/x/ada', userId: 'AROA:ada' }) }),
    pqs: fakes.pqs ?? (async () => assert.fail('PQS is not asked')),
    kube: async () => ({
      clusterInfo: async () => ({ context: 'lendos-stg/SREOperatorAccess', server: 'https://k8s', cluster: 'stg', kubeconfig: ['/home/ada/.kube/config'] }),
      clusterUid: async () => '0b7d4b8e-2f6a-4c1e-9d3b-5a6f7e8d9c0b',
      namespaceExists: async () => true,
    }),
    recordIdentity: async (environment: string, identity: Record<string, string>) => {
      events.push({ type: 'record', data: { recordedIdentity: { environment, ...identity } } });
      return '/work/lendos/.lendos/config.yaml';
    },
    ecr: async () => ({ describeImages: async () => { throw new Error('ECR answered 500'); } }),
    git: { revParse: async () => undefined },
    actor: async () => 'Ada <ada@example.com>',
  } as unknown as UpgradePorts;
  const ctx: StepContext<UpgradePorts> = {
    step,
    version: CalVer.parse(VERSION),
    config: defaultConfig(),
    clock: systemClock,
    run: { id: 'r-test', pid: 1, host: 'ada-codespace', shell: 'cli', actor: 'Ada <ada@example.com>', since: '2025-11-10T10:00:00.000Z' },
    isLive: async () => false,
    recordFirst: async (data) => {
      events.push({ type: 'record', data });
      return data;
    },
    evidenceOf: (id) => fakes.evidence?.[id] ?? {},
    log: { info: (l) => lines.push(l), warn: (l) => lines.push(`warn: ${l}`), error: (l) => lines.push(`error: ${l}`), output: () => undefined },
    progress: async (message, data) => void events.push({ type: 'progress', message, data }),
    record: async (data) => void events.push({ type: 'record', data }),
    prompt: { confirm: async () => true, confirmTyped: async () => true, form: async () => undefined },
    signal: new AbortController().signal,
    ports,
    statusOf: (id) => fakes.status?.[id] ?? 'pending',
    child: () => assert.fail('no children'),
  };
  return { ctx, events, lines };
}

describe('upgrade: snapshot step (fake RDS)', function () {
  this.timeout(10_000);
  const ours = 'canton-upgrade-2025-4-0-20251110-1432';

  it('adopts only an available snapshot of this release, not the last release’s or the automated ones', async () => {
    const rds = new FakeRds([snapshot('rds:canton-0-1-54-2025-11-09-07-04', 'available'), snapshot('canton-upgrade-2025-3-0-20251001-1412', 'available')]);
    assert.deepEqual(await takeSnapshot.observe(context('staging.upgrade.snapshot', { rds }).ctx), { done: false });
    rds.snapshots.push(snapshot(ours, 'available', { createdAt: '2025-11-10T14:32:00.000Z' }));
    const seen = await takeSnapshot.observe(context('staging.upgrade.snapshot', { rds }).ctx);
    assert.deepEqual(seen, {
      done: true,
      summary: `Snapshot ${ours} of canton-0-1-54 is available`,
      evidence: { snapshotId: ours, snapshotArn: snapshot(ours, 'x').arn, cluster: 'canton-0-1-54', snapshotStatus: 'available', snapshotCreatedAt: '2025-11-10T14:32:00.000Z' },
    });
  });

  it('resumes waiting for one being created instead of taking a second, through a passing network error', async () => {
    const rds = new FakeRds([snapshot(ours, 'creating')], 2, true);
    const { ctx, events, lines } = context('staging.upgrade.snapshot', { rds });
    const plan = await takeSnapshot.prepare?.(ctx);
    assert.equal(plan?.kind, 'resume');
    const outcome = await takeSnapshot.run(ctx, plan!);
    assert.deepEqual(rds.created, []);
    assert.equal(outcome.evidence['snapshotId'], ours);
    assert.equal(typeof outcome.evidence['resumedAt'], 'string');
    assert.ok(lines.some((l) => /^warn: Could not read .* \(socket hang up\); trying again\.$/.test(l)), lines.join('\n'));
    assert.deepEqual(events.filter((e) => e.type === 'progress').map((e) => e.message), ['snapshot 40%']);
  });

  it('takes a new snapshot when the only one of this release failed, saying so', async () => {
    const rds = new FakeRds([snapshot('canton-upgrade-2025-4-0-20251110-1200', 'failed')]);
    const { ctx, lines, events } = context('staging.upgrade.snapshot', { rds });
    const plan = await takeSnapshot.prepare?.(ctx);
    assert.equal(plan?.kind, 'create');
    assert.ok(lines.includes('warn: An earlier snapshot of this release, canton-upgrade-2025-4-0-20251110-1200, failed; taking a new one.'));
    await takeSnapshot.run(ctx, plan!);
    assert.equal(rds.created.length, 1);
    assert.match(rds.created[0] ?? '', /^canton-upgrade-2025-4-0-\d{8}-\d{4}$/);
    const planned = events.findIndex((e) => e.type === 'record' && e.data?.['plannedSnapshot'] === rds.created[0]);
    assert.ok(planned >= 0, 'the name is journalled before the create call');
    assert.deepEqual(events.find((e) => e.data?.['recordedIdentity'])?.data, { recordedIdentity: { environment: 'staging', account: '620134885217' } }, 'a first change records the account');
  });

  it('refuses an environment without a Canton cluster, naming the setting', async () => {
    const { ctx } = context('staging.upgrade.snapshot', {});
    const config = defaultConfig();
    const bare = { ...ctx, config: { ...config, environments: { ...config.environments, staging: { ...config.environments.staging, cantonCluster: null } } } };
    await assert.rejects(takeSnapshot.observe(bare), /Staging has no Canton Aurora cluster configured: set lendos\.environments\.staging\.cantonCluster\./);
  });
});

describe('upgrade: prerequisites step (fakes)', () => {
  it('keeps the counts taken before the snapshot, and turns an unexpected error into that check’s failure', async () => {
    const counts = { 'lendos-model:LendOS.Loan:Loan': 65 };
    const { ctx, lines } = context('staging.upgrade.prerequisites', {
      evidence: {
        'staging.upgrade.prerequisites': { pqsCounts: counts, pqsCountsAt: '2025-11-10T14:00:00.000Z' },
        'prep.upgrade-images': { images: [{ tag: 'v0.1.93.0.1.92.1-init', digest: 'sha256:a' }, { tag: 'v0.1.93.0.1.92.1-runner', digest: 'sha256:b' }] },
      },
      status: { 'staging.values-tags': 'succeeded', 'staging.upgrade.snapshot': 'succeeded' },
    });
    const error = await checkPrerequisites.run(ctx, undefined).then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof UserError);
    assert.equal(error.message.split('\n')[0], '3 of 8 prerequisites failed:');
    assert.match(error.message, /- values-tags: \/work\/lendos-eks-workloads is not a clone of lendos-eks-workloads: the values-tags on its main cannot be read\. Next: Clone it there/);
    assert.match(error.message, /- upgrade images: ECR answered 500\. Next: Fix the cause, then run this step again\./);
    assert.match(error.message, /- workloads repo: \/work\/lendos-eks-workloads is not a clone of lendos-eks-workloads\./);
    assert.ok(lines.includes('✓ PQS counts: kept the counts taken at 2025-11-10T14:00:00.000Z (the procedure is past the snapshot)'), lines.join('\n'));
  });
});

describe('upgrade: adapters’ error mapping and PQS connection', () => {
  it('maps credential trouble to a UserError naming the profile, or the default chain and the setting', () => {
    const expired = Object.assign(new Error('The security token included in the request is expired'), { name: 'ExpiredToken' });
    assert.match(credentialFailure(expired, { profile: 'lendos-stg/SREOperatorAccess', setting: 'lendos.environments.staging.awsProfile' })?.message ?? '', /^AWS credentials for profile "lendos-stg\/SREOperatorAccess" are missing or expired \(ExpiredToken: /);
    assert.match(credentialFailure(expired, { profile: null, setting: 'lendos.environments.staging.awsProfile' })?.message ?? '', /default chain \(no profile set\).*Set lendos\.environments\.staging\.awsProfile/);
    assert.equal(credentialFailure(new Error('socket hang up'), { profile: null, setting: 's' }), undefined);
    const denied = Object.assign(new Error('not authorized to perform rds:CreateDBClusterSnapshot'), { name: 'AccessDenied' });
    const options = { region: 'us-east-1', profile: 'lendos-stg/SREOperatorAccess', setting: 'lendos.environments.staging.awsProfile' };
    const mapped = rdsFailure(denied, options, 'snapshot cluster canton-0-1-54');
    assert.ok(mapped instanceof UserError && mapped.reason === 'aws-access-denied');
    assert.match(mapped.message, /^profile "lendos-stg\/SREOperatorAccess" may not snapshot cluster canton-0-1-54: not authorized/);
  });

  it('finds PQS in the rehearsal world (its Secret, else world.json), else the setting, the variable, the Secret; else says what to set', async () => {
    const staging = defaultConfig().environments.staging;
    const world = { pqs: { staging: { url: 'postgres://pqs:pw@127.0.0.1:5/pqs_staging' } } };
    const secrets = (data?: Record<string, string>, fail?: Error) => {
      const asked: string[] = [];
      const read = async (context: string, namespace: string, name: string) => {
        asked.push(`${context} ${namespace}/${name}`);
        if (fail) throw fail;
        return data;
      };
      return { asked, read };
    };
    const inCluster = secrets({ connection: 'postgres://pqs:pw@127.0.0.1:6/pqs_staging' });
    const fromWorld = await pqsOptionsFor({ ...staging, pqs: { ...staging.pqs, connection: 'postgres://real/pqs' } }, world, inCluster.read);
    assert.equal(fromWorld.connection, 'postgres://pqs:pw@127.0.0.1:6/pqs_staging', 'a rehearsal never uses the real setting');
    assert.match(fromWorld.source, /^Secret pqs\/pqs-postgres key "connection" in lendos-stg\/SREOperatorAccess \(the rehearsal world's cluster\)$/);
    assert.deepEqual(inCluster.asked, ['lendos-stg/SREOperatorAccess pqs/pqs-postgres']);
    assert.equal((await pqsOptionsFor(staging, world, secrets().read)).connection, world.pqs.staging.url);
    await assert.rejects(pqsOptionsFor(staging, {}, secrets().read), (e: unknown) => e instanceof UserError && e.reason === 'not-configured' && /runs without PQS/.test(e.message));

    const none = secrets();
    assert.deepEqual(await pqsOptionsFor({ ...staging, pqs: { ...staging.pqs, connection: 'postgres://db/pqs' } }, undefined, none.read, {}), {
      connection: 'postgres://db/pqs',
      source: 'setting lendos.environments.staging.pqs.connection',
    });
    assert.equal((await pqsOptionsFor(staging, undefined, none.read, { LENDOS_PQS_URL_STAGING: 'postgres://var/pqs' })).connection, 'postgres://var/pqs');
    assert.deepEqual(none.asked, [], 'the Secret is read only when nothing closer says where PQS is');
    assert.equal((await pqsOptionsFor(staging, undefined, inCluster.read, {})).connection, 'postgres://pqs:pw@127.0.0.1:6/pqs_staging');
    await assert.rejects(pqsOptionsFor(staging, undefined, none.read, {}), /^UserError: PQS connection not configured: set lendos\.environments\.staging\.pqs\.connection, or create the Secret pqs\/pqs-postgres in lendos-stg\/SREOperatorAccess\.$/);
    await assert.rejects(pqsOptionsFor(staging, undefined, secrets({ url: 'x', password: 'y' }).read, {}), /has no key "connection" \(its keys: url, password\): set lendos\.environments\.staging\.pqs\.secret\.key/);
    const forbidden = secrets(undefined, new Error('forbidden: may not get secrets in pqs'));
    await assert.rejects(pqsOptionsFor(staging, undefined, forbidden.read, {}), (e: unknown) => e instanceof UserError && e.reason === 'pqs-secret-unreadable' && /forbidden.*Set lendos\.environments\.staging\.pqs\.connection instead/.test(e.message));
  });

  it('never quotes the PQS password', () => {
    const connection = 'postgres://pqs:s3cret@db.internal:6432/pqs';
    assert.equal(describeTarget(connection), 'db.internal:6432/pqs');
    const refused = Object.assign(new Error(`connect ECONNREFUSED for ${connection}`), { code: 'ECONNREFUSED' });
    const error = pqsFailure(refused, { connection, source: 'setting x' });
    assert.ok(error instanceof UserError && error.reason === 'pqs-unreachable');
    assert.ok(!error.message.includes('s3cret'), error.message);
  });
});
