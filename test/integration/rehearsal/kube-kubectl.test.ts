import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import * as k8s from '@kubernetes/client-node';
import { after, before, describe, it } from 'mocha';
import { kubectlPath } from '../../../scripts/tools.mjs';
import { Resources, writeKubeconfig } from '../../../rehearsal/src/kube/index.js';
import { scenario, stageJob, startFixture, waitFor, type KubeFixture } from './kube-fixture.js';

const run = promisify(execFile);

describe('rehearsal kube: the runbook through the real kubectl', function () {
  let fixture: KubeFixture;
  let kubectl: string;
  let context: string;

  before(async function () {
    this.timeout(180_000);
    kubectl = await kubectlPath();
    fixture = await startFixture({ scenario: scenario([], { stage: 200_000 }) });
    context = `--context=${fixture.context}`;
  });

  after(async function () {
    await fixture.close();
  });

  /** HOME in the fixture folder keeps kubectl's discovery cache and default kubeconfig out of the user's. */
  const env = () => ({ ...process.env, KUBECONFIG: fixture.kubeconfig, HOME: fixture.dir });

  async function kube(...args: string[]): Promise<string> {
    const { stdout } = await run(kubectl, args, { env: env(), timeout: 60_000 });
    return stdout;
  }

  it('scales the services down as in 3.1.1 and shows the pods and deployments', async function () {
    assert.equal((await kube('scale', 'deployment', 'lendos-portal', '--replicas=0', context, '-n', 'lendos-portal')).trim(), 'deployment.apps/lendos-portal scaled');
    const deployment = fixture.cluster.store.get(Resources.deployments, 'lendos-portal', 'lendos-portal');
    assert.equal((deployment?.['spec'] as { replicas: number }).replicas, 0);
    await waitFor('frontend pods gone', () => fixture.cluster.store.list(Resources.pods, 'lendos-portal').length === 1);
    const pods = (await kube('get', 'pods', context, '-n', 'lendos-portal')).trim().split('\n');
    assert.match(pods[0] ?? '', /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
    assert.equal(pods.length, 2);
    assert.match(pods[1] ?? '', /^lendos-portal-backend-[a-z0-9]{10}-[a-z0-9]{5}\s+1\/1\s+Running\s+0\s+\d+d$/);
    const deployments = (await kube('get', 'deployments', context, '-n', 'lendos-portal')).trim().split('\n');
    assert.match(deployments[0] ?? '', /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE$/);
    assert.ok(deployments.some((l) => /^lendos-portal\s+0\/0\s+0\s+0\s+/.test(l)));
    assert.ok(deployments.some((l) => /^lendos-portal-backend\s+1\/1\s+1\s+1\s+/.test(l)));
  });

  it('restarts Canton as in 3.1.2: delete by label, then wait for ready', async function () {
    const deleted = await kube('delete', 'pod', '-l', 'app=canton-participant', context, '-n', 'canton-participant');
    assert.match(deleted.trim(), /^pod "canton-participant-[a-z0-9]{10}-[a-z0-9]{5}" deleted$/);
    const waited = await kube('wait', '--for=condition=ready', 'pod', '-l', 'app=canton-participant', context, '-n', 'canton-participant', '--timeout=60s');
    assert.match(waited.trim(), /^pod\/canton-participant-[a-z0-9]{10}-[a-z0-9]{5} condition met$/);
    const name = /pod "([^"]+)"/.exec(deleted)?.[1];
    assert.ok(!waited.includes(name ?? '?'), 'the ready pod is the replacement');
  });

  it('follows a stage log with -l --follow and watches the Jobs as in 3.2', async function () {
    const watcher = spawn(kubectl, ['get', 'jobs', context, '-n', 'lendos-portal', '-l', 'io.lendos.app/current-version', '--watch'], { env: env() });
    let watched = '';
    watcher.stdout.on('data', (chunk: Buffer) => (watched += chunk.toString()));
    const exited = new Promise((resolve) => watcher.on('exit', resolve));
    try {
      await fixture.kc.makeApiClient(k8s.BatchV1Api).createNamespacedJob({ namespace: 'lendos-portal', body: stageJob('upload-dars') });
      await waitFor('the stage pod to run', () => fixture.cluster.store.list(Resources.pods, 'lendos-portal')
        .some((p) => p.metadata.labels?.['io.lendos.app/upgrade-stage'] === 'upload-dars' && (p['status'] as { phase: string }).phase === 'Running'));
      const logs = await kube('logs', context, '-n', 'lendos-portal', '-l', 'io.lendos.app/upgrade-stage=upload-dars', '--follow');
      const lines = logs.trim().split('\n');
      assert.match(lines[0] ?? '', /Starting stage upload-dars/);
      assert.match(lines[lines.length - 1] ?? '', /Stage upload-dars done/);
      await waitFor('the watch to show the completed Job', () => /daml-upgrade-0-1-93-upload-dars\s+1\/1\s/.test(watched));
    } finally {
      watcher.kill();
      await exited;
    }
    const rows = watched.trim().split('\n');
    assert.match(rows[0] ?? '', /^NAME\s+COMPLETIONS\s+DURATION\s+AGE$/);
    assert.ok(rows.some((l) => /^daml-upgrade-0-1-93-upload-dars\s+0\/1\s/.test(l)), 'the running Job was printed before it completed');
  });

  it('reads backend logs through the deployment as in 3.3.3', async function () {
    const logs = await kube('logs', 'deployment/lendos-portal-backend', context, '-n', 'lendos-portal', '--tail=100');
    assert.match(logs, /Connected to ledger participant1/);
    assert.match(logs, /Loaded DARs: lendos-main-0\.1\.92\.dar/);
  });

  it('prints Argo CD applications with their sync and health columns', async function () {
    const apps = (await kube('get', 'applications', context, '-n', 'argocd')).trim().split('\n');
    assert.match(apps[0] ?? '', /^NAME\s+SYNC STATUS\s+HEALTH STATUS$/);
    assert.ok(apps.some((l) => /^signing-portal\s+Synced\s+Healthy$/.test(l)));
  });

  it('reports a wrong token the way kubectl does', async function () {
    const bad = `${fixture.dir}/bad-kubeconfig`;
    await writeKubeconfig(bad, [{ context: fixture.context, url: fixture.cluster.url, token: 'wrong' }]);
    const failure = await run(kubectl, ['get', 'pods', context, '-n', 'pqs'], { env: { ...env(), KUBECONFIG: bad } }).catch((e: { stderr: string; code: number }) => e);
    assert.ok('code' in failure && failure.code !== 0);
    assert.match(failure.stderr, /You must be logged in to the server \(Unauthorized\)/);
  });
});
