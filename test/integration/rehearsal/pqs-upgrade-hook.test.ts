import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { after, before, describe, it } from 'mocha';
import pg from 'pg';
import { Resources } from '../../../rehearsal/src/kube/index.js';
import { jobTerminal } from '../../../rehearsal/src/kube/controllers/job-status.js';
import { pqsUnavailable } from '../../../rehearsal/src/pqs/index.js';
import { startWorld, type ClusterName, type World } from '../../../rehearsal/src/index.js';
import { stageJob } from './kube-fixture.js';
import { instantScenario } from './scenario-fixture.js';
import { kubeConfig, run, waitFor, worldEnv } from './world-helpers.js';

/** Template → package version → active contracts, as `active()` shows them. */
type Versions = Record<string, Record<string, number>>;

async function activeVersions(url: string): Promise<Versions> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    const { rows } = await db.query<{ template_fqn: string; package_version: string; n: number }>(
      'select template_fqn, package_version, count(*)::int as n from active() group by 1, 2 order by 1, 2',
    );
    const versions: Versions = {};
    for (const row of rows) versions[row.template_fqn] = { ...versions[row.template_fqn], [row.package_version]: row.n };
    return versions;
  } finally {
    await db.end();
  }
}

/** Every template's seeded count, all at `version`. */
function allAt(seeded: Record<string, number>, version: string): Versions {
  return Object.fromEntries(Object.entries(seeded).map(([template, n]) => [template, { [version]: n }]));
}

const missing = pqsUnavailable();
const suite = missing ? describe.skip : describe;

suite(`rehearsal world: PQS follows the upgrade stage${missing ? ` (skipped: ${missing})` : ''}`, function () {
  this.timeout(120_000);
  const log: string[] = [];
  let world: World;
  let dir: string;

  before(async function () {
    dir = mkdtempSync(path.join(tmpdir(), 'lendos-pqs-hook-'));
    world = await startWorld({ scenario: instantScenario('pqs-upgrade-hook', 13), dir, log: (line) => log.push(line) });
    assert.ok(world.pqs, `the world started without PQS: ${log.join('\n')}`);
  });

  after(async function () {
    await world?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const pqsUrl = (cluster: ClusterName) => world.pqs?.urls[cluster] ?? assert.fail('no PQS');
  const seeded = (cluster: ClusterName) => world.pqs?.seeded[cluster] ?? assert.fail('no PQS');
  const total = (cluster: ClusterName) => Object.values(seeded(cluster)).reduce((a, b) => a + b, 0);

  /** Creates a stage Job in `cluster` as run-upgrade.sh would, and waits until it is Complete or Failed. */
  async function runStage(cluster: ClusterName, stage: string, version: string): Promise<string | undefined> {
    const batch = kubeConfig(world, cluster).makeApiClient(k8s.BatchV1Api);
    const body = stageJob(stage, { version, parallelism: stage === 'upgrade' ? 3 : 1 });
    const name = body.metadata?.name ?? '';
    await batch.deleteNamespacedJob({ name, namespace: 'lendos-portal', propagationPolicy: 'Background' }).catch(() => undefined);
    await batch.createNamespacedJob({ namespace: 'lendos-portal', body });
    return waitFor(`${cluster} Job ${name} to finish`, async () => {
      const job = world.clusters[cluster].store.get(Resources.jobs, 'lendos-portal', name);
      return job && jobTerminal(job);
    });
  }

  it('run-upgrade.sh moves staging’s active contracts to the new version, keeping the counts per template', async function () {
    assert.deepEqual(await activeVersions(pqsUrl('staging')), allAt(seeded('staging'), '0.1.92'));
    const chart = path.join(world.description.workspace.workloads, 'charts/daml-upgrade');
    const result = await run('./run-upgrade.sh', ['--from', '0.1.92', '--to', '0.1.93', 'staging'], { cwd: chart, env: worldEnv(world) });
    assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
    assert.deepEqual(await activeVersions(pqsUrl('staging')), allAt(seeded('staging'), '0.1.93'));
    assert.deepEqual(await activeVersions(pqsUrl('production')), allAt(seeded('production'), '0.1.92'), 'production’s PQS is another database');
    assert.ok(log.includes(`rehearsal: PQS of staging follows the upgrade: ${total('staging')} active contracts moved to lendos-model 0.1.93`), log.join('\n'));
  });

  it('has moved PQS by the time the upgrade Job reads Complete', async function () {
    assert.equal(await runStage('production', 'upgrade', '0.1.93'), 'Complete');
    assert.deepEqual(await activeVersions(pqsUrl('production')), allAt(seeded('production'), '0.1.93'));
  });

  it('moves nothing twice on a rerun, and leaves PQS alone for the other stages', async function () {
    assert.equal(await runStage('staging', 'upgrade', '0.1.93'), 'Complete');
    assert.ok(log.includes('rehearsal: PQS of staging follows the upgrade: 0 active contracts moved to lendos-model 0.1.93'), log.join('\n'));
    assert.equal(await runStage('staging', 'cleanup-upgraders', '0.1.94'), 'Complete');
    assert.deepEqual(await activeVersions(pqsUrl('staging')), allAt(seeded('staging'), '0.1.93'));
  });

  it('logs why PQS did not follow, and still completes the Job, when PQS is down', async function () {
    await world.pqs?.close();
    assert.equal(await runStage('production', 'upgrade', '0.1.94'), 'Complete');
    const failure = log.find((line) => line.startsWith('rehearsal: PQS of production did not follow the upgrade to 0.1.94: '));
    assert.ok(failure, log.join('\n'));
    assert.match(failure, /ECONNREFUSED|connect/);
    assert.deepEqual(world.clusters.production.stats().failures, []);
  });
});
