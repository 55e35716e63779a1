import os from 'node:os';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { after, afterEach, describe, it } from 'mocha';
import { UPGRADE_STAGES } from '../../src/core/runbook/types.js';
import { loadScenario } from '../../rehearsal/src/index.js';
import { CHART_DIR, UPGRADE_SCRIPT } from '../../src/steps/upgrade/upgrade-script.js';
import { KubeProcedureWorld, StageSinks } from './upgrade-kube-harness.js';
import { atFastPace, waitFor } from './rehearsal/world-helpers.js';

async function jobUids(world: KubeProcedureWorld): Promise<Record<string, string>> {
  const jobs = await world.kc().makeApiClient(k8s.BatchV1Api).listNamespacedJob({ namespace: 'lendos-portal', labelSelector: 'io.lendos.app/current-version=0.1.93' });
  return Object.fromEntries(jobs.items.map((j) => [j.metadata?.labels?.['io.lendos.app/upgrade-stage'] ?? '', j.metadata?.uid ?? '']));
}

async function toTheStages(world: KubeProcedureWorld): Promise<void> {
  await world.completeBefore('staging.upgrade.scale-down');
  const down = await world.run('staging.upgrade.scale-down');
  assert.equal(down.result.status, 'succeeded', down.result.summary);
  await world.service.skip('2025.4.0', 'staging.upgrade.canton-restart');
  await world.markDone('staging.upgrade.snapshot');
}

async function automated(world: KubeProcedureWorld, app: string): Promise<unknown> {
  const object = (await world.kc().makeApiClient(k8s.CustomObjectsApi).getNamespacedCustomObject({
    group: 'argoproj.io', version: 'v1alpha1', namespace: 'argocd', plural: 'applications', name: app,
  })) as { spec: { syncPolicy?: { automated?: unknown } } };
  return object.spec.syncPolicy?.automated;
}

describe('upgrade procedure, Kubernetes side: faults on the rehearsal world', function () {
  this.timeout(180_000);
  let world: KubeProcedureWorld | undefined;
  afterEach(async function () {
    await world?.close();
    world = undefined;
  });

  it('stage-fails-once: the run stops at the failed stage with its last lines; the stage step reruns just it; the run then finishes', async function () {
    world = await KubeProcedureWorld.start(atFastPace('stage-fails-once'));
    await toTheStages(world);
    const stages = new StageSinks();
    const first = await world.run('staging.upgrade.run', { stages });
    assert.equal(first.result.status, 'failed');
    // The log's ERROR line first (why), then the Job's condition (that it gave up), then the last lines.
    assert.match(first.result.summary, /^Stage upgrade failed: io\.grpc\.StatusRuntimeException: DEADLINE_EXCEEDED: .* \(Job daml-upgrade-0-1-93-upgrade: .*\(BackoffLimitExceeded\)\)\./);
    assert.match(first.result.summary, /Last log lines:\n/, 'the last log lines are in the message');
    const failedStage = await world.state('staging.upgrade.stage.upgrade');
    assert.match(String(failedStage.evidence.cause), /^Stage upgrade failed: io\.grpc\.StatusRuntimeException: DEADLINE_EXCEEDED/);
    assert.match(first.result.summary, /LendOS: Run Upgrade Stage" → upgrade \(step staging\.upgrade\.stage\.upgrade, run-upgrade\.sh --stage upgrade\)/);
    assert.equal((await world.state('staging.upgrade.stage.upgrade')).status, 'failed');
    // The same lines, read straight from the failed Job's pods (what a failure nobody followed in time falls back to).
    const tails = await (await world.ports.kube()).tailPodLogs('lendos-stg/SREOperatorAccess', 'lendos-portal', 'batch.kubernetes.io/job-name=daml-upgrade-0-1-93-upgrade', 8);
    assert.ok(tails.length > 0 && tails.every((pod) => pod.lines.length > 0 && pod.lines.length <= 8), JSON.stringify(tails));
    assert.match(JSON.stringify(tails), /DEADLINE_EXCEEDED/);
    assert.equal((await world.state('staging.upgrade.stage.upgrade-consent')).status, 'succeeded');
    const before = await jobUids(world);

    const rerun = await world.run('staging.upgrade.stage.upgrade', { stages });
    assert.equal(rerun.result.status, 'succeeded', rerun.result.summary);
    assert.match(rerun.log.text(), /--stage upgrade/);
    const afterRerun = await jobUids(world);
    assert.notEqual(afterRerun['upgrade'], before['upgrade'], 'the failed Job was replaced');
    assert.equal(afterRerun['upload-dars'], before['upload-dars'], 'earlier stages untouched');

    const rest = await world.run('staging.upgrade.run', { stages });
    assert.equal(rest.result.status, 'succeeded', rest.result.summary);
    const final = await jobUids(world);
    for (const stage of ['upload-dars', 'init-upgrade-coordinator', 'initialize-upgraders', 'upgrade-consent', 'upgrade']) {
      assert.equal(final[stage], afterRerun[stage], `${stage} was not run again`);
    }
    for (const stage of UPGRADE_STAGES) assert.equal((await world.state(`staging.upgrade.stage.${stage}`)).status, 'succeeded', stage);
  });

  it('selfheal: suspends automated sync before scaling down (recording it), so nothing comes back; scale-up restores it', async function () {
    world = await KubeProcedureWorld.start(atFastPace('selfheal'));
    assert.deepEqual(await automated(world, 'lendos-portal'), { prune: true, selfHeal: true });
    await toTheStages(world);
    const evidence = (await world.state('staging.upgrade.scale-down')).evidence;
    assert.deepEqual(evidence['suspendedAutomation'], { 'lendos-portal': { prune: true, selfHeal: true } });
    assert.equal(await automated(world, 'lendos-portal'), undefined);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(await world.replicas('lendos-portal', 'lendos-portal'), 0, 'not undone by self-heal');
    await world.completeBefore('staging.upgrade.argocd-sync');
    assert.equal((await world.run('staging.upgrade.argocd-sync')).result.status, 'succeeded');
    const up = await world.run('staging.upgrade.scale-up');
    assert.equal(up.result.status, 'succeeded', up.result.summary);
    assert.deepEqual(await automated(world, 'lendos-portal'), { prune: true, selfHeal: true });
    assert.match(up.result.summary, /automated sync restored on lendos-portal/);
  });

  it('flaky-network: dropped watches and API 500s still end in a scaled-down, upgraded, synced and scaled-up staging, each log line once', async function () {
    world = await KubeProcedureWorld.start(atFastPace('flaky-network'));
    await toTheStages(world);
    const stages = new StageSinks();
    const run = await world.run('staging.upgrade.run', { stages });
    assert.equal(run.result.status, 'succeeded', `${run.result.summary}\n${run.log.text()}`);
    for (const stage of UPGRADE_STAGES) {
      const done = stages.lines(stage).filter((l) => l.includes(`Stage ${stage} done`));
      const pods = stage === 'initialize-upgraders' || stage === 'upgrade' || stage === 'cleanup-upgraders' ? 3 : 1;
      assert.equal(done.length, pods, `${stage}: every pod's last line exactly once`);
      const lines = stages.lines(stage);
      assert.equal(new Set(lines).size, lines.length, `${stage}: no line twice`);
    }
    await world.completeBefore('staging.upgrade.argocd-sync');
    assert.equal((await world.run('staging.upgrade.argocd-sync')).result.status, 'succeeded');
    const up = await world.run('staging.upgrade.scale-up');
    assert.equal(up.result.status, 'succeeded', up.result.summary);
    assert.equal(await world.replicas('signing-portal', 'signing-portal'), 2);
  });

  it('a crash mid-stage: the cancelled run leaves the Job running and says so; a new engine resumes without re-running finished stages', async function () {
    const fast = loadScenario('fast');
    world = await KubeProcedureWorld.start({ ...fast, durations: { ...fast.durations, stages: { 'initialize-upgraders': 1_200_000 } } });
    await toTheStages(world);
    const crash = new AbortController();
    const running = world.run('staging.upgrade.run', { signal: crash.signal });
    const w = world;
    await waitFor('initialize-upgraders running', async () => ((await w.state('staging.upgrade.stage.initialize-upgraders')).status === 'running' ? true : undefined));
    crash.abort();
    const cancelled = await running;
    assert.equal(cancelled.result.status, 'cancelled');
    assert.match(cancelled.result.summary, /the Job daml-upgrade-0-1-93-initialize-upgraders of stage initialize-upgraders keeps running/);
    assert.equal((await world.state('staging.upgrade.stage.initialize-upgraders')).status, 'cancelled');
    const before = await jobUids(world);

    world.restart();
    assert.deepEqual(await world.runner.reconcile('2025.4.0', { prompt: { confirm: async () => true, confirmTyped: async () => true, form: async () => undefined }, log: { info() {}, warn() {}, error() {}, output() {} }, signal: new AbortController().signal }), []);
    const resumed = await world.run('staging.upgrade.run');
    assert.equal(resumed.result.status, 'succeeded', resumed.result.summary);
    assert.match(resumed.log.text(), /Already complete, not run again: upload-dars, init-upgrade-coordinator/);
    assert.match(resumed.log.text(), /The Job of stage initialize-upgraders is running: waiting for it, not starting it again/);
    const final = await jobUids(world);
    for (const stage of ['upload-dars', 'init-upgrade-coordinator', 'initialize-upgraders']) assert.equal(final[stage], before[stage], `${stage} not re-run`);
    const starts = (await world.events('staging.upgrade.stage.upload-dars')).filter((e) => e.type === 'step.started');
    assert.equal(starts.length, 1, 'upload-dars journalled as started once');
  });

  it('a crash that leaves run-upgrade.sh running: the next run follows that script instead of starting a second one', async function () {
    const fast = loadScenario('fast');
    world = await KubeProcedureWorld.start({ ...fast, durations: { ...fast.durations, stages: { 'initialize-upgraders': 600_000 } } });
    await toTheStages(world);
    // What the window had done before it died: the step started, the script spawned (detached, so it outlives a crash).
    const root = world.test.world.description.workspace.lendos;
    const chart = path.resolve(root, world.config.repositories.workloadsPath, CHART_DIR);
    const env = { ...process.env, ...world.ports.scriptEnv, KUBECONFIG: world.test.world.description.kubeconfig, KUBE_CONTEXT: 'lendos-stg/SREOperatorAccess' };
    const orphan = spawn(path.join(chart, UPGRADE_SCRIPT), ['--from', '0.1.92', '--to', '0.1.93', 'staging'], { cwd: chart, env, detached: true, stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => orphan.once('exit', (code) => resolve(code)));
    try {
      await world.service.appendEvent({ release: '2025.4.0', step: 'staging.upgrade.run', type: 'step.started' });
      await world.service.appendEvent({ release: '2025.4.0', step: 'staging.upgrade.run', type: 'step.evidence', data: { upgradeScript: { pid: orphan.pid ?? 0, host: os.hostname(), args: [] } } });
      const w = world;
      await waitFor('the orphan at initialize-upgraders', async () => ((await jobUids(w))['initialize-upgraders'] ? true : undefined));
      world.restart();
      const resumed = await world.run('staging.upgrade.run');
      assert.equal(resumed.result.status, 'succeeded', resumed.result.summary);
      assert.match(resumed.log.text(), new RegExp(`run-upgrade\\.sh started before the interruption is still running \\(pid ${orphan.pid}\\): following its Jobs instead of starting another`));
      assert.match(resumed.log.text(), /has ended; going on from what its Jobs show/);
      assert.equal(await exited, 0, 'the earlier script finished its own run undisturbed');
      assert.doesNotMatch(resumed.log.text(), /\$ cd .*run-upgrade\.sh --from/, 'no second script was started');
      for (const stage of UPGRADE_STAGES) assert.equal((await world.state(`staging.upgrade.stage.${stage}`)).status, 'succeeded', stage);
    } finally {
      if (orphan.exitCode === null) process.kill(-(orphan.pid ?? 0), 'SIGKILL');
    }
  });

  it('a Job that never starts: the stage says why its pods wait; a cancel stops waiting and leaves the Job', async function () {
    const fast = loadScenario('fast');
    world = await KubeProcedureWorld.start({ ...fast, faults: [{ kind: 'job-never-starts', stage: 'upload-dars' }] });
    await toTheStages(world);
    const stop = new AbortController();
    const stages = new StageSinks();
    const running = world.run('staging.upgrade.run', { signal: stop.signal, stages });
    const w = world;
    const stuck = await waitFor('the stuck pods reported', async () => {
      const events = await w.events('staging.upgrade.stage.upload-dars');
      return events.find((e) => e.type === 'step.progress' && e.message?.startsWith('Pods not starting'));
    });
    assert.match(stuck.message ?? '', /daml-upgrade-0-1-93-upload-dars-\w+: 0\/3 nodes are available: 3 Insufficient cpu/);
    // The stage log is batched (flushed every 50 ms), so the line may land just after the journal's progress event.
    await waitFor('said in the stage log too', async () => stages.lines('upload-dars').find((l) => l.startsWith('Pod not starting — ')));
    stop.abort();
    const { result } = await running;
    assert.equal(result.status, 'cancelled');
    assert.match(result.summary, /Stopped waiting; the Job daml-upgrade-0-1-93-upload-dars of stage upload-dars keeps running/);
    const jobs = await jobUids(world);
    assert.ok(jobs['upload-dars'], 'the Job is still there');
  });

  it('a context missing from the kubeconfig: a clear message naming it and the file, and nothing changes', async function () {
    world = await KubeProcedureWorld.start('fast', (config) => ({
      ...config,
      environments: { ...config.environments, staging: { ...config.environments.staging, kubeContext: 'lendos-stg/Missing' } },
    }));
    await world.completeBefore('staging.upgrade.scale-down');
    const { result } = await world.run('staging.upgrade.scale-down');
    assert.equal(result.status, 'failed');
    assert.match(result.summary, /The kube context "lendos-stg\/Missing" is not in \/.*\/kubeconfig \(it has lendos-stg\/SREOperatorAccess, bxci-prod\/SREOperatorAccess, lendos-dev\/SREOperatorAccess\)/);
    assert.match(result.summary, /aws eks update-kubeconfig/);
    assert.equal(await world.replicas('pqs', 'pqs'), 1);
  });

  it('a stale lock is taken over only after a confirmation', async function () {
    world = await KubeProcedureWorld.start('fast');
    const old = new k8s.V1MicroTime(new Date(Date.now() - 10 * 60_000).toISOString());
    await world.kc().makeApiClient(k8s.CoordinationV1Api).createNamespacedLease({
      namespace: 'lendos-portal',
      body: { metadata: { name: 'lendos-release-upgrade' }, spec: { holderIdentity: 'Bob Ops @ bob-laptop', leaseDurationSeconds: 60, acquireTime: old, renewTime: old } },
    });
    await world.completeBefore('staging.upgrade.scale-down');
    // Yes to the scale-down itself, no to taking the lock over.
    const declined = await world.run('staging.upgrade.scale-down', { confirm: (message) => !message.includes('Take the lock over') });
    assert.equal(declined.result.status, 'cancelled');
    assert.match(declined.prompt.confirms[1]?.message ?? '', /held by Bob Ops @ bob-laptop .*last renewed 10 min ago.*Take the lock over\?/);
    assert.deepEqual((await world.events('staging.upgrade.scale-down')).filter((e) => e.type !== 'step.evidence').map((e) => e.type), ['step.started', 'step.cancelled']);
    assert.equal(await world.replicas('pqs', 'pqs'), 1, 'nothing changed');
    const taken = await world.run('staging.upgrade.scale-down', { confirm: true });
    assert.equal(taken.result.status, 'succeeded', taken.result.summary);
  });

  after(async function () {
    await world?.close();
  });
});
