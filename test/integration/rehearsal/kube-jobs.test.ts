import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import * as k8s from '@kubernetes/client-node';
import { afterEach, describe, it } from 'mocha';
import { Resources } from '../../../rehearsal/src/kube/index.js';
import { scenario, stageJob, startFixture, waitFor, type KubeFixture } from './kube-fixture.js';

const namespace = 'lendos-portal';

function condition(job: k8s.V1Job, type: string): k8s.V1JobCondition | undefined {
  return job.status?.conditions?.find((c) => c.type === type && c.status === 'True');
}

async function finished(batch: k8s.BatchV1Api, name: string): Promise<k8s.V1Job> {
  return waitFor(`job ${name} to finish`, async () => {
    const job = await batch.readNamespacedJob({ name, namespace });
    return (condition(job, 'Complete') || condition(job, 'Failed')) && job;
  });
}

async function stagePods(core: k8s.CoreV1Api, stage: string): Promise<k8s.V1Pod[]> {
  return (await core.listNamespacedPod({ namespace, labelSelector: `io.lendos.app/upgrade-stage=${stage}` })).items;
}

describe('rehearsal kube: upgrade stage Jobs', function () {
  let fixture: KubeFixture | undefined;

  afterEach(async function () {
    await fixture?.close();
    fixture = undefined;
  });

  it('runs a parallel stage in labelled pods and completes', async function () {
    fixture = await startFixture();
    const batch = fixture.kc.makeApiClient(k8s.BatchV1Api);
    const core = fixture.kc.makeApiClient(k8s.CoreV1Api);
    const created = await batch.createNamespacedJob({ namespace, body: stageJob('upgrade', { parallelism: 3 }) });
    assert.equal(created.spec?.selector?.matchLabels?.['batch.kubernetes.io/controller-uid'], created.metadata?.uid);
    const job = await finished(batch, 'daml-upgrade-0-1-93-upgrade');
    assert.ok(condition(job, 'Complete'));
    assert.equal(job.status?.succeeded, 3);
    assert.ok(job.status?.completionTime);
    const pods = await stagePods(core, 'upgrade');
    assert.equal(pods.length, 3);
    for (const pod of pods) {
      assert.equal(pod.metadata?.labels?.['batch.kubernetes.io/job-name'], 'daml-upgrade-0-1-93-upgrade');
      assert.equal(pod.metadata?.labels?.['job-name'], 'daml-upgrade-0-1-93-upgrade');
      assert.equal(pod.metadata?.labels?.['io.lendos.app/current-version'], '0.1.93');
      assert.equal(pod.status?.phase, 'Succeeded');
    }
    const shards = pods.map((p) => fixture!.cluster.logs(namespace, p.metadata?.name ?? '').find((l) => /shard \d\/3:/.test(l)) ?? '');
    assert.deepEqual(shards.map((l) => /shard (\d)\/3/.exec(l)?.[1]).sort(), ['1', '2', '3']);
    const listed = await batch.listNamespacedJob({ namespace, labelSelector: 'io.lendos.app/current-version' });
    assert.deepEqual(listed.items.map((j) => j.metadata?.name), ['daml-upgrade-0-1-93-upgrade']);
  });

  it('fails the first run of a stage-fails stage, and a re-created Job succeeds', async function () {
    fixture = await startFixture({ scenario: scenario([{ kind: 'stage-fails', stage: 'upgrade-consent', message: 'consent refused by bank-b' }]) });
    const batch = fixture.kc.makeApiClient(k8s.BatchV1Api);
    const core = fixture.kc.makeApiClient(k8s.CoreV1Api);
    const name = 'daml-upgrade-0-1-93-upgrade-consent';
    await batch.createNamespacedJob({ namespace, body: stageJob('upgrade-consent') });
    const failed = await finished(batch, name);
    assert.equal(condition(failed, 'Failed')?.reason, 'BackoffLimitExceeded');
    assert.equal(failed.status?.failed, 1);
    const [pod] = await stagePods(core, 'upgrade-consent');
    assert.equal(pod?.status?.phase, 'Failed');
    assert.equal(pod?.status?.containerStatuses?.[0]?.state?.terminated?.exitCode, 1);
    assert.ok(fixture.cluster.logs(namespace, pod?.metadata?.name ?? '').some((l) => l.includes('ERROR UpgradeRunner - Stage upgrade-consent failed: consent refused by bank-b')));
    await batch.deleteNamespacedJob({ name, namespace, propagationPolicy: 'Background' });
    await waitFor('the failed pod to go', async () => (await stagePods(core, 'upgrade-consent')).length === 0);
    await batch.createNamespacedJob({ namespace, body: stageJob('upgrade-consent') });
    assert.ok(condition(await finished(batch, name), 'Complete'));
  });

  it('retries a failing OnFailure pod in place, so previous logs exist, until the backoff limit', async function () {
    fixture = await startFixture({ scenario: scenario([{ kind: 'stage-fails', stage: 'cleanup-coordinator' }]) });
    const batch = fixture.kc.makeApiClient(k8s.BatchV1Api);
    const body = stageJob('cleanup-coordinator', { backoffLimit: 1 });
    body.spec!.template.spec!.restartPolicy = 'OnFailure';
    await batch.createNamespacedJob({ namespace, body });
    const pod = await waitFor('a restarted container', () =>
      fixture!.cluster.store.list(Resources.pods, namespace).find((p) => (p['status'] as k8s.V1PodStatus).containerStatuses?.[0]?.restartCount === 1));
    const stream = new PassThrough();
    let previous = '';
    stream.on('data', (chunk: Buffer) => (previous += chunk.toString()));
    await new k8s.Log(fixture.kc).log(namespace, pod.metadata.name, 'upgrade', stream, { previous: true });
    await waitFor('previous log', () => previous.includes('failed'));
    const failed = await finished(batch, 'daml-upgrade-0-1-93-cleanup-coordinator');
    assert.equal(condition(failed, 'Failed')?.reason, 'BackoffLimitExceeded');
  });

  it('keeps pods of a job-never-starts stage Pending and Unschedulable', async function () {
    fixture = await startFixture({ scenario: scenario([{ kind: 'job-never-starts', stage: 'initialize-upgraders' }]) });
    const batch = fixture.kc.makeApiClient(k8s.BatchV1Api);
    const core = fixture.kc.makeApiClient(k8s.CoreV1Api);
    await batch.createNamespacedJob({ namespace, body: stageJob('initialize-upgraders', { parallelism: 3 }) });
    const pods = await waitFor('three pods', async () => {
      const items = await stagePods(core, 'initialize-upgraders');
      return items.length === 3 && items;
    });
    for (const pod of pods) {
      assert.equal(pod.status?.phase, 'Pending');
      assert.equal(pod.spec?.nodeName, undefined);
      const scheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
      assert.equal(scheduled?.status, 'False');
      assert.equal(scheduled?.reason, 'Unschedulable');
    }
    const job = await batch.readNamespacedJob({ name: 'daml-upgrade-0-1-93-initialize-upgraders', namespace });
    assert.equal(job.status?.active, 3);
    assert.equal(job.status?.conditions, undefined);
  });

  it('orphans pods on propagationPolicy Orphan and waits for them on Foreground', async function () {
    fixture = await startFixture();
    const batch = fixture.kc.makeApiClient(k8s.BatchV1Api);
    const core = fixture.kc.makeApiClient(k8s.CoreV1Api);
    await batch.createNamespacedJob({ namespace, body: stageJob('upload-dars') });
    await finished(batch, 'daml-upgrade-0-1-93-upload-dars');
    await batch.deleteNamespacedJob({ name: 'daml-upgrade-0-1-93-upload-dars', namespace, propagationPolicy: 'Orphan' });
    const [orphan] = await stagePods(core, 'upload-dars');
    assert.ok(orphan, 'the pod outlives its Job');
    assert.deepEqual(orphan.metadata?.ownerReferences ?? [], []);
    await batch.createNamespacedJob({ namespace, body: stageJob('upgrade', { parallelism: 2 }) });
    await waitFor('running upgrade pods', async () => (await stagePods(core, 'upgrade')).filter((p) => p.status?.phase === 'Running').length === 2);
    // The DELETE's own answer is the Job as it stands, terminating; a read after it could already miss it.
    const response = await fetch(`${fixture.cluster.httpUrl}/apis/batch/v1/namespaces/${namespace}/jobs/daml-upgrade-0-1-93-upgrade`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${fixture.cluster.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ propagationPolicy: 'Foreground' }),
    });
    assert.equal(response.status, 200);
    const terminating = (await response.json()) as k8s.V1Job;
    assert.equal(terminating.kind, 'Job');
    assert.ok(terminating.metadata?.deletionTimestamp);
    assert.deepEqual(terminating.metadata?.finalizers, ['foregroundDeletion']);
    await waitFor('the Job to go after its pods', async () => (await batch.listNamespacedJob({ namespace })).items.length === 0);
    assert.equal((await stagePods(core, 'upgrade')).length, 0);
  });
});

describe('rehearsal kube: api-errors fault', function () {
  let fixture: KubeFixture | undefined;

  afterEach(async function () {
    await fixture?.close();
    fixture = undefined;
  });

  async function statuses(count: number): Promise<{ status: number; retryAfter: string | null; reason?: string }[]> {
    const results = [];
    for (let i = 0; i < count; i += 1) {
      const response = await fetch(`${fixture!.cluster.httpUrl}/apis/batch/v1/namespaces/${namespace}/jobs`, {
        headers: { authorization: `Bearer ${fixture!.cluster.token}` },
      });
      const body = (await response.json()) as { reason?: string };
      results.push({ status: response.status, retryAfter: response.headers.get('retry-after'), reason: response.status === 200 ? undefined : body.reason });
    }
    return results;
  }

  it('fails every Nth request with the scenario status and a Status body', async function () {
    fixture = await startFixture({ scenario: scenario([{ kind: 'api-errors', service: 'kube', status: 500, every: 3 }]) });
    const results = await statuses(6);
    assert.deepEqual(results.map((r) => r.status), [200, 200, 500, 200, 200, 500]);
    assert.equal(results[2]?.reason, 'InternalError');
  });

  it('throttles with 429 and Retry-After', async function () {
    fixture = await startFixture({ scenario: scenario([{ kind: 'api-errors', service: 'kube', status: 429, every: 2 }]) });
    const results = await statuses(2);
    assert.equal(results[1]?.status, 429);
    assert.equal(results[1]?.retryAfter, '1');
    assert.equal(results[1]?.reason, 'TooManyRequests');
  });
});
