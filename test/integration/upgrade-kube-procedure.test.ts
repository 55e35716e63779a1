import assert from 'node:assert/strict';
import * as k8s from '@kubernetes/client-node';
import { after, before, describe, it } from 'mocha';
import { UPGRADE_STAGES } from '../../src/core/runbook/types.js';
import { KubeProcedureWorld, StageSinks, TO, startFrontend } from './upgrade-kube-harness.js';

const LEASE = { name: 'lendos-release-upgrade', namespace: 'lendos-portal' };

async function lease(world: KubeProcedureWorld, cluster: 'staging' | 'production' = 'staging'): Promise<k8s.V1Lease | undefined> {
  try {
    return await world.kc(cluster).makeApiClient(k8s.CoordinationV1Api).readNamespacedLease(LEASE);
  } catch {
    return undefined;
  }
}

describe('upgrade procedure, Kubernetes side: staging end to end on the rehearsal world (fast)', function () {
  this.timeout(180_000);
  let world: KubeProcedureWorld;
  let frontend: Awaited<ReturnType<typeof startFrontend>>;
  const stages = new StageSinks();

  before(async function () {
    frontend = await startFrontend();
    world = await KubeProcedureWorld.start('fast', (config) => ({
      ...config,
      environments: { ...config.environments, staging: { ...config.environments.staging, urls: [frontend.url] } },
    }));
    await world.completeBefore('staging.upgrade.scale-down');
  });

  after(async function () {
    await world?.close();
    await frontend?.close();
  });

  it('scales down: records the replicas, scales to 0, counts the pods down, takes the lock', async function () {
    const { result, log } = await world.run('staging.upgrade.scale-down');
    assert.equal(result.status, 'succeeded', result.summary);
    const state = await world.state('staging.upgrade.scale-down');
    assert.deepEqual(state.evidence['replicasBefore'], { pqs: 1, 'daml-http-json': 1, 'lendos-portal': 2, 'signing-portal': 2 });
    for (const [namespace, deployment] of [['pqs', 'pqs'], ['daml-http-json', 'daml-http-json'], ['lendos-portal', 'lendos-portal'], ['signing-portal', 'signing-portal']] as const) {
      assert.equal(await world.replicas(namespace, deployment), 0, deployment);
    }
    const progress = (await world.events('staging.upgrade.scale-down')).filter((e) => e.type === 'step.progress').map((e) => e.message);
    assert.ok(progress.some((m) => /\d+ pods? left/.test(m ?? '')), `a count-down: ${progress.join(' | ')}`);
    assert.equal(progress[progress.length - 1], 'All pods gone');
    assert.match(log.text(), /kube context lendos-stg\/SREOperatorAccess → cluster server https:\/\/127\.0\.0\.1:\d+/);
    // The holder names the person, this machine, the process and the run, as the journal's step.started does.
    const started = (await world.events('staging.upgrade.scale-down')).find((e) => e.type === 'step.started')?.data?.['run'] as { id: string; pid: number; host: string };
    assert.equal((await lease(world))?.spec?.holderIdentity, `Rehearsal Engineer <engineer@rehearsal.lendos.io> @ ${started.host} (editor pid ${process.pid}, run ${started.id})`);
    assert.equal(started.pid, process.pid);
  });

  it('restarts Canton: deletes the participant and domain pods and waits until the new ones are Ready', async function () {
    const core = world.kc().makeApiClient(k8s.CoreV1Api);
    const before = (await core.listNamespacedPod({ namespace: 'canton-participant' })).items.map((p) => p.metadata?.name);
    const { result } = await world.run('staging.upgrade.canton-restart');
    assert.equal(result.status, 'succeeded', result.summary);
    const after = (await core.listNamespacedPod({ namespace: 'canton-participant' })).items;
    assert.ok(after.length >= 1 && after.every((p) => !before.includes(p.metadata?.name)), 'the participant pod was replaced');
    assert.ok(after.every((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')));
  });

  it('runs the seven stages with each stage journalled on its own step and its logs in its own sink', async function () {
    await world.markDone('staging.upgrade.snapshot');
    const { result, log } = await world.run('staging.upgrade.run', { stages });
    assert.equal(result.status, 'succeeded', `${result.summary}\n${log.text()}`);
    for (const stage of UPGRADE_STAGES) {
      const state = await world.state(`staging.upgrade.stage.${stage}`);
      assert.equal(state.status, 'succeeded', stage);
      assert.equal(state.evidence['job'], `daml-upgrade-0-1-93-${stage}`);
      assert.equal(state.attempts, 1, `${stage} ran once`);
    }
    const upload = stages.lines('upload-dars');
    assert.ok(upload.some((l) => l.includes(`Uploading DAR lendos-main-${TO}.dar`)), 'upload-dars log');
    assert.equal(upload.filter((l) => l.includes('Stage upload-dars done')).length, 1, 'no line twice');
    const upgrade = stages.lines('upgrade');
    assert.ok(upgrade.length > 0 && upgrade.every((l) => /^\[daml-upgrade-0-1-93-upgrade-[a-z0-9]+\] /.test(l)), 'pod-name prefix on a parallel stage');
    assert.equal(upgrade.filter((l) => l.includes('Stage upgrade done')).length, 3, 'each of the three pods finished once');
    assert.match(log.text(), /All 7 stages complete/);
  });

  it('adopts the finished run without running anything again', async function () {
    const { result } = await world.run('staging.upgrade.run');
    assert.deepEqual(result, { status: 'succeeded', summary: `All seven stages of 0.1.92 → ${TO} are complete`, adopted: true });
    const { result: stage } = await world.run('staging.upgrade.stage.upgrade');
    assert.equal(stage.status, 'succeeded');
    assert.equal(stage.status === 'succeeded' && stage.adopted, true, 'a finished stage is adopted, never re-run');
  });

  it('syncs Argo CD with prune and waits for Synced and Healthy', async function () {
    await world.bumpBackendTags('staging');
    const { result } = await world.run('staging.upgrade.argocd-sync');
    assert.equal(result.status, 'succeeded', result.summary);
    const app = (await world.kc().makeApiClient(k8s.CustomObjectsApi).getNamespacedCustomObject({
      group: 'argoproj.io', version: 'v1alpha1', namespace: 'argocd', plural: 'applications', name: 'lendos-portal',
    })) as { status: { operationState: { operation: { initiatedBy: { username: string }; sync: { prune: boolean } } } } };
    assert.equal(app.status.operationState.operation.initiatedBy.username, 'lendos-release/2025.4.0');
    assert.equal(app.status.operationState.operation.sync.prune, true);
  });

  it('scales up to the recorded counts, pqs and daml-http-json first, noticing what Argo CD already scaled', async function () {
    const { result, log } = await world.run('staging.upgrade.scale-up');
    assert.equal(result.status, 'succeeded', result.summary);
    assert.equal(await world.replicas('pqs', 'pqs'), 1);
    assert.equal(await world.replicas('lendos-portal', 'lendos-portal'), 2);
    const text = log.text();
    assert.ok(text.indexOf('deployment pqs ') < text.indexOf('deployment daml-http-json '), 'pqs first');
    assert.match(text, /lendos-portal is already at 2 replica\(s\) — Argo CD's sync scaled it/);
  });

  it('validates pods, backend logs and frontends, reports PQS honestly as not configured, and releases the lock', async function () {
    const { result, log } = await world.run('staging.upgrade.validate');
    assert.equal(result.status, 'succeeded', `${result.summary}\n${log.text()}`);
    const rows = (await world.state('staging.upgrade.validate')).evidence['validation'] as { rows: { check: string; target: string; status: string; detail: string }[] };
    const byCheck = (check: string) => rows.rows.filter((r) => r.check === check);
    assert.equal(byCheck('pods').length, 4);
    assert.ok(byCheck('pods').every((r) => r.status === 'ok'));
    assert.deepEqual(byCheck('backend log').map((r) => r.status), ['ok', 'ok']);
    assert.deepEqual(byCheck('frontend').map((r) => [r.target, r.status]), [[frontend.url, 'ok']]);
    assert.deepEqual(byCheck('PQS counts').map((r) => r.status), ['not checked']);
    assert.match(byCheck('PQS counts')[0]?.detail ?? '', /PQS not configured/);
    assert.match(result.summary, /not checked: PQS counts PQS; upgrade lock released/);
    assert.equal((await lease(world))?.spec?.holderIdentity, undefined, 'the lock is released');
  });

  it('in production, changes nothing without the typed environment name', async function () {
    await world.completeBefore('production.upgrade.scale-down');
    const { result, prompt } = await world.run('production.upgrade.scale-down', { typed: false });
    assert.equal(result.status, 'cancelled');
    assert.equal(prompt.typed.length, 1);
    assert.equal(prompt.typed[0]?.expected, 'bxci');
    assert.match(prompt.typed[0]?.message ?? '', /context bxci-prod\/SREOperatorAccess, server https:\/\/127\.0\.0\.1:\d+, AWS account 739451022368, namespaces pqs, daml-http-json, lendos-portal, signing-portal/);
    assert.equal(await world.replicas('lendos-portal', 'lendos-portal', 'production'), 2);
    assert.equal(await lease(world, 'production'), undefined, 'no lock taken');
  });

  it('refuses a lock held by someone else, naming who and since when, and changes nothing', async function () {
    const now = new k8s.V1MicroTime(new Date().toISOString());
    await world.kc('production').makeApiClient(k8s.CoordinationV1Api).createNamespacedLease({
      namespace: LEASE.namespace,
      body: { metadata: { name: LEASE.name }, spec: { holderIdentity: 'Bob Ops <bob@example.com> @ bob-laptop', leaseDurationSeconds: 60, acquireTime: now, renewTime: now } },
    });
    const { result } = await world.run('production.upgrade.scale-down', { typed: true });
    assert.equal(result.status, 'failed');
    assert.match(result.summary, /held by Bob Ops <bob@example\.com> @ bob-laptop since \d{4}-\d\d-\d\dT/);
    assert.equal(await world.replicas('pqs', 'pqs', 'production'), 1);
  });
});
