import assert from 'node:assert/strict';
import * as k8s from '@kubernetes/client-node';
import { after, before, describe, it } from 'mocha';
import { Resources } from '../../../rehearsal/src/kube/index.js';
import { apiErrorCode, bodyOf, isReady, startFixture, waitFor, type KubeFixture } from './kube-fixture.js';

describe('rehearsal kube: client-node against the cluster', function () {
  let fixture: KubeFixture;
  let apps: k8s.AppsV1Api;
  let core: k8s.CoreV1Api;
  let coordination: k8s.CoordinationV1Api;

  before(async function () {
    fixture = await startFixture();
    apps = fixture.kc.makeApiClient(k8s.AppsV1Api);
    core = fixture.kc.makeApiClient(k8s.CoreV1Api);
    coordination = fixture.kc.makeApiClient(k8s.CoordinationV1Api);
  });

  after(async function () {
    await fixture.close();
  });

  it('serves discovery and the seeded namespaces and deployments', async function () {
    const version = await fixture.kc.makeApiClient(k8s.VersionApi).getCode();
    assert.equal(version.major, '1');
    const namespaces = (await core.listNamespace()).items.map((n) => n.metadata?.name);
    for (const name of ['lendos-portal', 'signing-portal', 'pqs', 'daml-http-json', 'canton-participant', 'canton-domain', 'argocd']) {
      assert.ok(namespaces.includes(name), `namespace ${name}`);
    }
    const deployments = await apps.listNamespacedDeployment({ namespace: 'lendos-portal' });
    const replicas = Object.fromEntries(deployments.items.map((d) => [d.metadata?.name, d.spec?.replicas]));
    assert.deepEqual(replicas, { 'lendos-portal': 2, 'lendos-portal-backend': 1 });
    const canton = await apps.readNamespacedDeployment({ name: 'canton-participant', namespace: 'canton-participant' });
    assert.equal(canton.spec?.selector.matchLabels?.['app'], 'canton-participant');
  });

  it('starts with running, ready pods labelled from their deployment', async function () {
    const pods = await core.listNamespacedPod({ namespace: 'signing-portal', labelSelector: 'app=signing-portal' });
    assert.equal(pods.items.length, 2);
    for (const pod of pods.items) {
      assert.equal(pod.status?.phase, 'Running');
      assert.ok(isReady(pod));
      assert.match(pod.metadata?.labels?.['pod-template-hash'] ?? '', /^[a-z0-9]{10}$/);
    }
  });

  it('scales through the scale subresource by replace and by merge patch, and pods follow', async function () {
    const scale = await apps.readNamespacedDeploymentScale({ name: 'pqs', namespace: 'pqs' });
    assert.equal(scale.spec?.replicas, 1);
    assert.equal(scale.status?.selector, 'app=pqs');
    await apps.replaceNamespacedDeploymentScale({ name: 'pqs', namespace: 'pqs', body: { ...scale, spec: { replicas: 0 } } });
    await waitFor('pqs pods gone', async () => (await core.listNamespacedPod({ namespace: 'pqs' })).items.length === 0);
    await apps.patchNamespacedDeploymentScale(
      { name: 'pqs', namespace: 'pqs', body: { spec: { replicas: 2 } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    const ready = await waitFor('two ready pqs pods', async () => {
      const pods = (await core.listNamespacedPod({ namespace: 'pqs' })).items;
      return pods.length === 2 && pods.every(isReady) && pods;
    });
    assert.equal(ready.length, 2);
    const deployment = await waitFor('pqs status', async () => {
      const d = await apps.readNamespacedDeployment({ name: 'pqs', namespace: 'pqs' });
      return d.status?.readyReplicas === 2 && d;
    });
    assert.equal(deployment.spec?.replicas, 2);
  });

  it('accepts json-patch and strategic-merge-patch on the scale and rejects a stale resourceVersion', async function () {
    await apps.patchNamespacedDeploymentScale({
      name: 'daml-http-json', namespace: 'daml-http-json', body: [{ op: 'replace', path: '/spec/replicas', value: 0 }],
    });
    await apps.patchNamespacedDeploymentScale(
      { name: 'daml-http-json', namespace: 'daml-http-json', body: { spec: { replicas: 1 } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch),
    );
    const scale = await apps.readNamespacedDeploymentScale({ name: 'daml-http-json', namespace: 'daml-http-json' });
    assert.equal(scale.spec?.replicas, 1);
    const stale = { ...scale, metadata: { ...scale.metadata, resourceVersion: '1' }, spec: { replicas: 3 } };
    assert.equal(await apiErrorCode(apps.replaceNamespacedDeploymentScale({ name: 'daml-http-json', namespace: 'daml-http-json', body: stale })), 409);
  });

  it('lists pods with set-based, inequality and existence selectors and with field selectors', async function () {
    const all = await core.listPodForAllNamespaces({ labelSelector: 'app in (canton-participant, canton-domain)' });
    assert.deepEqual(all.items.map((p) => p.metadata?.labels?.['app']).sort(), ['canton-domain', 'canton-participant']);
    const notCanton = await core.listNamespacedPod({ namespace: 'lendos-portal', labelSelector: 'app notin (lendos-portal),app!=nothing' });
    assert.deepEqual(notCanton.items.map((p) => p.metadata?.labels?.['app']), ['lendos-portal-backend']);
    assert.equal((await core.listNamespacedPod({ namespace: 'lendos-portal', labelSelector: '!app' })).items.length, 0);
    assert.equal((await core.listNamespacedPod({ namespace: 'lendos-portal', labelSelector: 'app==lendos-portal' })).items.length, 2);
    const first = all.items[0];
    assert.ok(first?.metadata?.name);
    const byName = await core.listPodForAllNamespaces({ fieldSelector: `metadata.name=${first.metadata.name}` });
    assert.deepEqual(byName.items.map((p) => p.metadata?.name), [first.metadata.name]);
    const running = await core.listNamespacedPod({ namespace: 'canton-domain', fieldSelector: 'status.phase=Running' });
    assert.equal(running.items.length, 1);
    assert.equal((await core.listNamespacedPod({ namespace: 'canton-domain', fieldSelector: 'status.phase!=Running' })).items.length, 0);
  });

  it('restarts a deleted Canton pod through its deployment', async function () {
    const before = (await core.listNamespacedPod({ namespace: 'canton-domain', labelSelector: 'app=canton-domain' })).items;
    const name = before[0]?.metadata?.name ?? '';
    const deleted = await core.deleteNamespacedPod({ name, namespace: 'canton-domain' });
    assert.ok(deleted.metadata?.deletionTimestamp, 'graceful deletion marks the pod Terminating');
    const replacement = await waitFor('a new ready canton-domain pod', async () => {
      const pods = (await core.listNamespacedPod({ namespace: 'canton-domain', labelSelector: 'app=canton-domain' })).items;
      return pods.length === 1 && pods[0]?.metadata?.name !== name && isReady(pods[0]!) && pods[0];
    });
    assert.notEqual(replacement.metadata?.name, name);
    assert.equal(await apiErrorCode(core.readNamespacedPod({ name, namespace: 'canton-domain' })), 404);
  });

  it('deletes a collection of pods by label selector', async function () {
    await core.deleteCollectionNamespacedPod({ namespace: 'signing-portal', labelSelector: 'app=signing-portal' });
    const terminating = fixture.cluster.store.list(Resources.pods, 'signing-portal').filter((p) => p.metadata.deletionTimestamp);
    assert.equal(terminating.length, 2);
    await waitFor('signing-portal back to two ready pods', async () => {
      const pods = (await core.listNamespacedPod({ namespace: 'signing-portal', labelSelector: 'app=signing-portal' })).items;
      return pods.length === 2 && pods.every((p) => isReady(p) && !p.metadata?.deletionTimestamp);
    });
  });

  it('guards a Lease: create conflicts when held, replace conflicts on a stale resourceVersion', async function () {
    const body: k8s.V1Lease = { metadata: { name: 'lendos-release' }, spec: { holderIdentity: 'alice', leaseDurationSeconds: 60 } };
    const created = await coordination.createNamespacedLease({ namespace: 'default', body });
    assert.equal(created.spec?.holderIdentity, 'alice');
    const exists = await coordination.createNamespacedLease({ namespace: 'default', body }).catch((e: unknown) => e);
    assert.ok(exists instanceof k8s.ApiException);
    assert.equal(exists.code, 409);
    assert.equal(bodyOf(exists)['reason'], 'AlreadyExists');
    const renewed = await coordination.replaceNamespacedLease({
      name: 'lendos-release', namespace: 'default',
      body: { ...created, spec: { ...created.spec, renewTime: new Date() } },
    });
    assert.notEqual(renewed.metadata?.resourceVersion, created.metadata?.resourceVersion);
    const stale = await coordination.replaceNamespacedLease({
      name: 'lendos-release', namespace: 'default', body: { ...created, spec: { holderIdentity: 'bob' } },
    }).catch((e: unknown) => e);
    assert.ok(stale instanceof k8s.ApiException);
    assert.equal(stale.code, 409);
    assert.equal(bodyOf(stale)['reason'], 'Conflict');
    await coordination.deleteNamespacedLease({ name: 'lendos-release', namespace: 'default' });
    assert.equal(await apiErrorCode(coordination.readNamespacedLease({ name: 'lendos-release', namespace: 'default' })), 404);
  });

  it('records events for what the controllers do', async function () {
    const events = await core.listNamespacedEvent({ namespace: 'canton-domain' });
    assert.ok(events.items.some((e) => e.reason === 'Killing'));
    assert.ok(events.items.some((e) => e.reason === 'Scheduled'));
    assert.ok(fixture.cluster.events > 0);
    assert.deepEqual(fixture.cluster.stats().failures, []);
  });
});
