import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import * as k8s from '@kubernetes/client-node';
import { after, before, describe, it } from 'mocha';
import { Resources } from '../../../rehearsal/src/kube/index.js';
import { apiErrorCode, isReady, scenario, stageJob, startFixture, waitFor, type KubeFixture } from './kube-fixture.js';

/** Collects a log stream; `phases` records the pod's phase each time a chunk arrived. */
function collect(stream: PassThrough, onChunk: () => void = () => {}) {
  let text = '';
  let ended = false;
  stream.on('data', (chunk: Buffer) => {
    text += chunk.toString();
    onChunk();
  });
  stream.on('end', () => (ended = true));
  return { text: () => text, lines: () => text.split('\n').filter(Boolean), ended: () => ended };
}

async function readLog(kc: k8s.KubeConfig, namespace: string, pod: string, container: string, options: k8s.LogOptions) {
  const stream = new PassThrough();
  const output = collect(stream);
  await new k8s.Log(kc).log(namespace, pod, container, stream, options);
  await waitFor('the log response to end', () => output.ended());
  return output.lines();
}

describe('rehearsal kube: pod logs', function () {
  let fixture: KubeFixture;
  let core: k8s.CoreV1Api;
  let batch: k8s.BatchV1Api;
  let podName = '';

  before(async function () {
    fixture = await startFixture({ scenario: scenario([], { stage: 300_000 }) });
    core = fixture.kc.makeApiClient(k8s.CoreV1Api);
    batch = fixture.kc.makeApiClient(k8s.BatchV1Api);
  });

  after(async function () {
    await fixture.close();
  });

  it('follows a stage pod live until its container exits', async function () {
    await batch.createNamespacedJob({ namespace: 'lendos-portal', body: stageJob('upload-dars') });
    const pod = await waitFor('the upload-dars pod to run', async () => {
      const pods = await core.listNamespacedPod({ namespace: 'lendos-portal', labelSelector: 'io.lendos.app/upgrade-stage=upload-dars' });
      return pods.items[0]?.status?.phase === 'Running' && pods.items[0];
    });
    podName = pod.metadata?.name ?? '';
    const phases: string[] = [];
    const stream = new PassThrough();
    const output = collect(stream, () => {
      const live = fixture.cluster.store.get(Resources.pods, 'lendos-portal', podName);
      phases.push(String((live?.['status'] as { phase?: string } | undefined)?.phase));
    });
    await new k8s.Log(fixture.kc).log('lendos-portal', podName, 'upgrade', stream, { follow: true });
    await waitFor('the followed stream to end', () => output.ended());
    const lines = output.lines();
    assert.match(lines[0] ?? '', /Starting stage upload-dars \(target version 0\.1\.93\)/);
    assert.ok(lines.some((l) => l.includes('Connecting to participant at canton-participant.canton-participant.svc.cluster.local:5011')));
    assert.ok(lines.some((l) => /Uploading DAR lendos-main-0\.1\.93\.dar/.test(l)));
    assert.match(lines[lines.length - 1] ?? '', /Stage upload-dars done/);
    assert.ok(phases.length > 2, 'lines arrived in several chunks');
    assert.equal(phases[0], 'Running', 'the first lines arrived while the container was running');
    const job = await waitFor('the Job to complete', async () => {
      const j = await batch.readNamespacedJob({ name: 'daml-upgrade-0-1-93-upload-dars', namespace: 'lendos-portal' });
      return j.status?.conditions?.some((c) => c.type === 'Complete' && c.status === 'True') && j;
    });
    assert.equal(job.status?.succeeded, 1);
  });

  it('honours tailLines, timestamps and sinceTime on a finished container', async function () {
    const all = await readLog(fixture.kc, 'lendos-portal', podName, 'upgrade', { timestamps: true });
    assert.ok(all.length > 5);
    for (const line of all) assert.match(line, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z /);
    const tail = await readLog(fixture.kc, 'lendos-portal', podName, 'upgrade', { tailLines: 2 });
    assert.equal(tail.length, 2);
    assert.match(tail[1] ?? '', /^INFO {2}UpgradeRunner - Stage upload-dars done$/);
    const middle = all[Math.floor(all.length / 2)] ?? '';
    const sinceTime = middle.slice(0, middle.indexOf(' '));
    const recent = await readLog(fixture.kc, 'lendos-portal', podName, 'upgrade', { timestamps: true, sinceTime });
    assert.ok(recent.length < all.length && recent.length > 0);
    assert.ok(recent.every((l) => l.slice(0, l.indexOf(' ')) >= sinceTime));
  });

  it('refuses previous logs of a container that never restarted, and unknown containers', async function () {
    const stream = new PassThrough();
    assert.equal(await apiErrorCode(new k8s.Log(fixture.kc).log('lendos-portal', podName, 'upgrade', stream, { previous: true })), 400);
    assert.equal(await apiErrorCode(new k8s.Log(fixture.kc).log('lendos-portal', podName, 'nope', stream, {})), 400);
    assert.equal(await apiErrorCode(new k8s.Log(fixture.kc).log('lendos-portal', 'no-such-pod', 'upgrade', stream, {})), 404);
  });

  it('shows the ledger connection and the DARs of the last upload-dars Job in backend logs', async function () {
    const [seeded] = fixture.cluster.store.list(Resources.pods, 'lendos-portal').filter((p) => p.metadata.labels?.['app'] === 'lendos-portal-backend');
    const before = fixture.cluster.logs('lendos-portal', seeded?.metadata.name ?? '');
    assert.ok(before.some((l) => l.includes('Loaded DARs: lendos-main-0.1.92.dar')));
    await core.deleteNamespacedPod({ name: seeded?.metadata.name ?? '', namespace: 'lendos-portal' });
    const restarted = await waitFor('a restarted backend', async () => {
      const pods = (await core.listNamespacedPod({ namespace: 'lendos-portal', labelSelector: 'app=lendos-portal-backend' })).items;
      return pods.length === 1 && pods[0]?.metadata?.name !== seeded?.metadata.name && isReady(pods[0]!) && pods[0];
    });
    const lines = await waitFor('the DARs line', async () => {
      const log = await readLog(fixture.kc, 'lendos-portal', restarted.metadata?.name ?? '', 'lendos-portal-backend', { tailLines: 100 });
      return log.some((l) => l.includes('Loaded DARs')) && log;
    });
    assert.ok(lines.some((l) => l.includes('Connected to ledger participant1')));
    assert.ok(lines.some((l) => l.includes('Loaded DARs: lendos-main-0.1.93.dar')));
  });
});

describe('rehearsal kube: logs of a container not started yet', function () {
  let fixture: KubeFixture;
  before(async function () {
    fixture = await startFixture({ scenario: scenario([], { podReady: 100_000_000 }) });
  });
  after(async function () {
    await fixture.close();
  });

  it('answers 400 "waiting to start" like the kubelet', async function () {
    const core = fixture.kc.makeApiClient(k8s.CoreV1Api);
    await fixture.kc.makeApiClient(k8s.AppsV1Api).patchNamespacedDeploymentScale(
      { name: 'pqs', namespace: 'pqs', body: { spec: { replicas: 2 } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    const pending = await waitFor('a pending pqs pod', async () => (await core.listNamespacedPod({ namespace: 'pqs' })).items.find((p) => p.status?.phase === 'Pending'));
    const response = await fetch(`${fixture.cluster.httpUrl}/api/v1/namespaces/pqs/pods/${pending.metadata?.name}/log`, {
      headers: { authorization: `Bearer ${fixture.cluster.token}` },
    });
    assert.equal(response.status, 400);
    const status = (await response.json()) as { message: string; reason: string };
    assert.equal(status.reason, 'BadRequest');
    assert.match(status.message, /is waiting to start: ContainerCreating/);
  });
});
