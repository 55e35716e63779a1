/**
 * Section 3.4's rollback by RDS restore through the built CLI, on a world whose production upgrade fails for good after
 * its contracts were migrated: stop, choose the snapshot, rename the broken cluster away, restore (a new cluster, then
 * its instance), revert the values-tags PR, sync Argo CD, scale up and validate — the environment ends on the previous
 * version, the old cluster kept under its new name. Bad inputs change nothing.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { environmentAwsOptions, lazyRds } from '../../src/adapters/aws/lazy.js';
import { defaultConfig } from '../../src/core/config/defaults.js';
import { withRehearsal } from '../../src/core/config/environment.js';
import { CliWorld, VERSION } from './cli-world.js';
import { asAda } from './helpers.js';
import { atFastPace } from './rehearsal/world-helpers.js';
import { checkedPrerequisites, pqsCount, releaseValuesTags } from './rollback-setup.js';

const CLUSTER = 'canton-20241104-0324';
const ASIDE = `${CLUSTER}-failed-2025-4-0`;
const PROD = ['--yes', '--confirm-environment', 'bxci'];

const pqsVersions = (url: string) => pqsCount(url, 'package_version');

describe('rollback by RDS restore (built CLI, a production upgrade that fails for good)', function () {
  this.timeout(300_000);
  let w: CliWorld;
  let pqsUrl: string;
  let pqsBefore: Record<string, number>;

  const lendos = (...args: string[]) => w.lendos(...args);
  const runOk = async (step: string, ...extra: string[]) => {
    const done = await lendos('run', step, ...PROD, ...extra);
    assert.equal(done.code, 0, `${step}: ${done.stdout}${done.stderr}`);
    return done;
  };
  const workloads = () => w.test.world.description.workspace.workloads;
  const git = (...args: string[]) => execFileSync('git', args, { cwd: workloads(), env: asAda(), encoding: 'utf8' }).trim();

  before(async () => {
    w = await CliWorld.start('production-upgrade-fails');
    const pqs = w.test.world.description.pqs?.production?.url;
    assert.ok(pqs, 'the world runs PQS');
    pqsUrl = pqs;
    await w.completeBefore('production.values-tags');
    const { createContext } = await import('../../src/cli/context.js');
    await releaseValuesTags((await createContext(w.root)).service, VERSION, workloads());
  });
  after(async () => w?.close());

  it('the upgrade fails for good after migrating the contracts', async () => {
    const { createContext } = await import('../../src/cli/context.js');
    await checkedPrerequisites((await createContext(w.root)).service, VERSION, pqsUrl);
    pqsBefore = await pqsVersions(pqsUrl);
    await runOk('production.upgrade.scale-down');
    await runOk('production.upgrade.canton-restart');
    await runOk('production.upgrade.snapshot');
    const failed = await lendos('run', 'production.upgrade.run', ...PROD);
    assert.equal(failed.code, 1, failed.stdout + failed.stderr);
    assert.match(failed.stdout + failed.stderr, /cleanup-upgraders/);
    const now = await pqsVersions(pqsUrl);
    assert.ok((now['0.1.93'] ?? 0) > 0, `contracts moved to 0.1.93: ${JSON.stringify(now)}`);
  });

  it('diagnoses the failed stage read-only: its Job, its pods\' last lines, events, and what to do', async () => {
    const diagnosis = await lendos('diagnose', 'production.upgrade.run');
    assert.equal(diagnosis.code, 0, diagnosis.stderr);
    const text = diagnosis.stdout;
    assert.match(text, /^# Production \\\(BXCI\\\)\\: an upgrade stage failed/m);
    assert.match(text, /## Job of stage cleanup\\-upgraders/);
    assert.match(text, /Failed=True \(BackoffLimitExceeded\)/);
    assert.match(text, /UPGRADER_PARTY_HAS_ACTIVE_CONTRACTS/);
    assert.match(text, /## Events/);
    assert.match(text, /`lendos run production\.upgrade\.stage\.cleanup-upgraders`/);
    assert.match(text, /`lendos start 2025\.4\.1 --hotfix-of 2025\.4\.0`/);
    assert.match(text, /`lendos run production\.rollback\.stop-services`/);
    const nothing = await lendos('diagnose', 'production.upgrade.snapshot');
    assert.equal(nothing.code, 1);
    assert.match(nothing.stderr, /production\.upgrade\.snapshot has not failed, or is not a step of the upgrade/);
  });

  it('stops everything; refuses a snapshot that does not exist, changing nothing', async () => {
    await runOk('production.rollback.stop-services');
    assert.equal(await w.replicas('lendos-portal', 'lendos-portal', 'production'), 0);
    const bad = await lendos('run', 'production.rollback.choose-snapshot', ...PROD, '--set', 'snapshot=canton-upgrade-2025-4-0-19990101-0000');
    assert.notEqual(bad.code, 0);
    assert.match(bad.stdout + bad.stderr, /not an available snapshot of canton-20241104-0324: use one of canton-upgrade-2025-4-0-/);
    assert.equal((await w.events('production.rollback.choose-snapshot')).length, 0);
  });

  it('restores under the original identifier and keeps the old cluster renamed', async () => {
    const chosen = await runOk('production.rollback.choose-snapshot');
    assert.match(chosen.stdout, /canton-upgrade-2025-4-0-\d{8}-\d{4}/);
    await runOk('production.rollback.rename-cluster');
    // A crash while RDS restores: the rerun adopts the restore under way, restoring nothing twice.
    const first = w.spawn('run', 'production.rollback.restore-cluster', ...PROD);
    await w.waitForEvent('production.rollback.restore-cluster', 'step.progress', 120_000);
    first.child.kill('SIGKILL');
    await first.exited;
    const again = await runOk('production.rollback.restore-cluster');
    assert.match(again.stdout + again.stderr, /Recorded as interrupted \(their runs are gone\): production\.rollback\.restore-cluster/);
    assert.match(again.stdout + again.stderr, /already being restored from canton-upgrade-2025-4-0-\d{8}-\d{4}; not restoring again/);
    const clusters = w.test.world.aws.rds.clusters().filter((c) => c.account === '739451022368');
    const restored = clusters.find((c) => c.identifier === CLUSTER);
    const kept = clusters.find((c) => c.identifier === ASIDE);
    assert.equal(restored?.status, 'available');
    assert.deepEqual(restored?.members, [`${CLUSTER}-restored-1`, `${CLUSTER}-restored-2`], 'as many instances as the old cluster had');
    assert.equal(clusters.length, 2, 'one restored cluster, one kept: nothing restored twice');
    assert.equal(kept?.status, 'available', 'the old cluster is kept');
    assert.ok((kept?.members.length ?? 0) > 0, 'with its instances');
    assert.deepEqual(await pqsVersions(pqsUrl), pqsBefore, 'the ledger is back where the snapshot was');
  });

  it('reverts the values-tags PR, syncs, scales up and validates the previous version', async () => {
    const reverted = await runOk('production.rollback.revert-values-tags');
    assert.match(reverted.stdout, /revert PR #\d+ merged/);
    git('pull', '-q', '--ff-only', 'origin', 'main');
    const file = readFileSync(path.join(workloads(), 'values-tags-production.yaml'), 'utf8');
    assert.match(file, /tag: v0\.0\.812/);
    assert.match(file, /tag: v0\.0\.806/);
    await runOk('production.rollback.argocd-sync');
    await runOk('production.rollback.scale-up');
    assert.equal(await w.replicas('lendos-portal', 'lendos-portal', 'production'), 2);
    const valid = await runOk('production.rollback.validate');
    assert.match(valid.stdout, /PQS versions\s+PQS\s+ok\s+none at 0\.1\.93/);
    assert.match(valid.stdout, /DARs of 0\.1\.92/);
    const report = await lendos('report');
    const escaped = (text: string) => text.replace(/[-:]/g, (c) => `\\${c}`);
    assert.match(report.stdout, /\| 3\.4 \| Restore the snapshot \| succeeded \(2 runs\) \|/);
    assert.ok(report.stdout.includes(`old cluster kept as ${escaped(ASIDE)}`), report.stdout);
    assert.match(report.stdout, /\| 3\.4 \| Validate the previous version \| succeeded \|/);
  });

  it('fixes forward: the next hotfix only, linked in both journals, said by status and the report', async () => {
    const wrong = await lendos('start', '2025.4.2', '--hotfix-of', VERSION);
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /The hotfix of 2025\.4\.0 is 2025\.4\.1 \(the next hotfix number\), not 2025\.4\.2\. Nothing was started\./);
    const started = await lendos('start', '2025.4.1', '--hotfix-of', VERSION);
    assert.equal(started.code, 0, started.stderr);
    assert.match(started.stdout, /Started hotfix release 2025\.4\.1, fixing 2025\.4\.0 forward/);
    assert.match((await lendos('status')).stdout, /Hotfix release: fixes 2025\.4\.0 forward\./);
    assert.match((await lendos('status', '--release', VERSION)).stdout, /Fixed forward by hotfix release 2025\.4\.1/);
    assert.match((await lendos('report', '--release', VERSION)).stdout, /Fixed forward by hotfix release 2025\\\.4\\\.1\./);
    const again = await lendos('start', '2025.4.1', '--hotfix-of', VERSION);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already fixed forward by 2025\.4\.1/);
  });
});

describe('rollback by RDS restore: a rename, a restore and a revert that go wrong', function () {
  this.timeout(240_000);
  let w: CliWorld;
  const automated = (cluster: string) => w.test.world.aws.rds.snapshots().find((s) => s.type === 'automated' && s.clusterIdentifier === cluster)?.identifier ?? '';

  before(async () => {
    w = await CliWorld.start({ ...atFastPace('fast'), name: 'restore-fails', faults: [{ kind: 'restore-fails' }] });
    await w.completeBefore('staging.rollback.stop-services');
  });
  after(async () => w?.close());

  it('restarts the backends that show no DARs of the new version, and waits for their new pods', async () => {
    const core = w.kc('staging').makeApiClient((await import('@kubernetes/client-node')).CoreV1Api);
    const podsOf = async () =>
      (await core.listNamespacedPod({ namespace: 'lendos-portal' })).items.map((p) => p.metadata?.name ?? '').filter((name) => name.startsWith('lendos-portal-backend-'));
    const before = await podsOf();
    const done = await w.lendos('run', 'staging.recovery.restart-backends', '--yes');
    assert.equal(done.code, 0, done.stdout + done.stderr);
    assert.match(done.stdout, /kubectl rollout restart deployment lendos-portal-backend -n lendos-portal --context lendos-stg\/SREOperatorAccess/);
    assert.match(done.stdout, /Restarted lendos-portal-backend, signing-portal-backend; their new pods are Ready/);
    const after = await podsOf();
    assert.ok(after.length > 0 && after.every((name) => !before.includes(name)), `new pods: ${before.join(',')} → ${after.join(',')}`);
  });

  it('refuses to rename over a cluster that has the name already, changing nothing', async () => {
    for (const step of ['staging.rollback.stop-services', 'staging.rollback.choose-snapshot']) {
      const done = await w.lendos('run', step, '--yes', ...(step.endsWith('snapshot') ? ['--set', `snapshot=${automated('canton-0-1-54')}`] : []));
      assert.equal(done.code, 0, done.stdout + done.stderr);
    }
    const config = withRehearsal(defaultConfig(), w.test.world.description);
    const rds = await lazyRds(() => environmentAwsOptions(config.environments.staging, 'rds', w.test.world.description.aws))();
    await rds.restoreCluster({ cluster: 'canton-0-1-54-failed-2025-4-0', snapshot: automated('canton-0-1-54'), engine: 'aurora-postgresql', engineVersion: '15.4', securityGroupIds: [], deletionProtection: false, tags: {} });
    const refused = await w.lendos('run', 'staging.rollback.rename-cluster', '--yes');
    assert.equal(refused.code, 1);
    assert.match(refused.stdout + refused.stderr, /RDS already has a cluster named canton-0-1-54-failed-2025-4-0 besides canton-0-1-54 .* Nothing was changed\./);
    assert.ok(w.test.world.aws.rds.clusters().some((c) => c.identifier === 'canton-0-1-54' && c.status === 'available'), 'the cluster keeps its name');
  });

  it('a restore that fails says so, keeps the renamed cluster and says how to go on', async () => {
    for (const step of ['production.rollback.stop-services', 'production.rollback.choose-snapshot', 'production.rollback.rename-cluster']) {
      const extra = step.endsWith('snapshot') ? ['--set', `snapshot=${automated('canton-20241104-0324')}`] : [];
      const done = await w.lendos('run', step, ...PROD, ...extra);
      assert.equal(done.code, 0, done.stdout + done.stderr);
    }
    const failed = await w.lendos('run', 'production.rollback.restore-cluster', ...PROD);
    assert.equal(failed.code, 1);
    assert.match(failed.stdout + failed.stderr, /RDS reports instance canton-20241104-0324-restored-1 as "incompatible-restore": the restore failed\. The old cluster is kept as canton-20241104-0324-failed-2025-4-0\./);
    assert.ok(w.test.world.aws.rds.clusters().some((c) => c.identifier === 'canton-20241104-0324-failed-2025-4-0' && c.status === 'available'));
  });

  it('a revert that would undo someone else’s tag on main is refused, naming it, writing nothing', async () => {
    const { createContext } = await import('../../src/cli/context.js');
    const { service } = await createContext(w.root);
    // The release set v0.0.813; main holds v0.0.812 again, changed since by someone else.
    await service.appendEvent({
      release: VERSION,
      step: 'staging.values-tags',
      type: 'step.evidence',
      data: { changes: [{ service: 'lendos-portal-backend', from: 'v0.0.811', to: 'v0.0.813', line: 0 }] },
    });
    for (const step of ['staging.rollback.rename-cluster', 'staging.rollback.restore-cluster']) await service.markDone(VERSION, step, { force: true, note: 'done by hand (test)' });
    const refused = await w.lendos('run', 'staging.rollback.revert-values-tags', '--yes');
    assert.equal(refused.code, 1);
    assert.match(refused.stdout + refused.stderr, /values-tags-staging\.yaml changed on main since the release's PR: lendos-portal-backend is v0\.0\.812 \(the release set v0\.0\.813\)\. .*Nothing was written\./);
    const branches = execFileSync('git', ['ls-remote', '--heads', 'origin'], { cwd: w.test.world.description.workspace.workloads, encoding: 'utf8' });
    assert.doesNotMatch(branches, /-revert/);
  });
});
