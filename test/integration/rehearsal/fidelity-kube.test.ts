/** Fidelity: Kubernetes details the real API server gets right and an emulation easily gets wrong. */
import assert from 'node:assert/strict';
import * as k8s from '@kubernetes/client-node';
import { afterEach, describe, it } from 'mocha';
import { execFileSync } from 'node:child_process';
import { scenario, startFixture, waitFor, type KubeFixture } from './kube-fixture.js';
import { kubeConfig, startTestWorld } from './world-helpers.js';

const mergePatch = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);
const REVISION = 'deployment.kubernetes.io/revision';

describe('rehearsal fidelity: Kubernetes details', function () {
  let fixture: KubeFixture | undefined;

  afterEach(async function () {
    await fixture?.close();
    fixture = undefined;
  });

  it("numbers a Deployment's revisions by its own ReplicaSets only, not another Deployment's of the same prefix", async function () {
    fixture = await startFixture();
    const apps = fixture.kc.makeApiClient(k8s.AppsV1Api);
    const namespace = 'signing-portal';
    const setImage = async (name: string, tag: string) => {
      const current = await apps.readNamespacedDeployment({ name, namespace });
      const image = current.spec?.template.spec?.containers[0]?.image?.replace(/:[^:/]+$/, `:${tag}`);
      const container = current.spec?.template.spec?.containers[0]?.name;
      await apps.patchNamespacedDeployment({ name, namespace, body: { spec: { template: { spec: { containers: [{ name: container, image }] } } } } }, mergePatch);
    };
    const revision = async (name: string) => (await apps.readNamespacedDeployment({ name, namespace })).metadata?.annotations?.[REVISION];
    await setImage('signing-portal-backend', 'v0.0.900');
    await waitFor('the backend at revision 2', async () => (await revision('signing-portal-backend')) === '2');
    await setImage('signing-portal-backend', 'v0.0.901');
    await waitFor('the backend at revision 3', async () => (await revision('signing-portal-backend')) === '3');
    await setImage('signing-portal', 'v0.0.700');
    await waitFor("the frontend's own second revision", async () => (await revision('signing-portal')) === '2');
    const sets = (await apps.listNamespacedReplicaSet({ namespace })).items.filter((rs) => rs.metadata?.ownerReferences?.[0]?.name === 'signing-portal');
    assert.deepEqual(sets.map((rs) => rs.metadata?.annotations?.[REVISION]).sort(), ['1', '2']);
  });

  it("reports the source's commit as an Application's sync revision, after a refresh and after a sync", async function () {
    this.timeout(60_000);
    const t = await startTestWorld('fast');
    try {
      const api = kubeConfig(t.world, 'staging').makeApiClient(k8s.CustomObjectsApi);
      const app = { group: 'argoproj.io', version: 'v1alpha1', namespace: 'argocd', plural: 'applications', name: 'lendos-portal' };
      const main = execFileSync('git', ['--git-dir', t.world.description.remotes.workloads, 'rev-parse', 'main'], { encoding: 'utf8' }).trim();
      type Application = { status?: { sync?: { revision?: string }; operationState?: { phase?: string; syncResult?: { revision?: string } } } };
      const read = async () => (await api.getNamespacedCustomObject(app)) as Application;
      await waitFor('the refreshed revision', async () => (await read()).status?.sync?.revision === main);
      await api.patchNamespacedCustomObject({ ...app, body: { operation: { initiatedBy: { username: 'fidelity' }, sync: { prune: true } } } }, mergePatch);
      const synced = await waitFor('the sync', async () => {
        const current = await read();
        return current.status?.operationState?.phase === 'Succeeded' && current;
      }, 30_000);
      assert.equal(synced.status?.operationState?.syncResult?.revision, main);
      assert.equal(synced.status?.sync?.revision, main);
    } finally {
      await t.cleanup();
    }
  });

  it('leaves a pod whose image ECR lacks (tag-missing-from-ecr) Pending in ImagePullBackOff, with the kubelet’s events', async function () {
    fixture = await startFixture({ scenario: scenario([{ kind: 'tag-missing-from-ecr', repository: 'right-pedal/signing-portal-frontend', tag: 'v0.0.553' }]) });
    const apps = fixture.kc.makeApiClient(k8s.AppsV1Api);
    const core = fixture.kc.makeApiClient(k8s.CoreV1Api);
    const namespace = 'signing-portal';
    const current = await apps.readNamespacedDeployment({ name: 'signing-portal', namespace });
    const container = current.spec?.template.spec?.containers[0];
    const image = String(container?.image).replace(/:[^:/]+$/, ':v0.0.553');
    await apps.patchNamespacedDeployment({ name: 'signing-portal', namespace, body: { spec: { template: { spec: { containers: [{ name: container?.name, image }] } } } } }, mergePatch);
    const pod = await waitFor('a pod in ImagePullBackOff', async () => {
      const pods = (await core.listNamespacedPod({ namespace })).items;
      return pods.find((p) => p.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'ImagePullBackOff');
    });
    assert.equal(pod.status?.phase, 'Pending');
    assert.equal(pod.status?.containerStatuses?.[0]?.state?.waiting?.message, `Back-off pulling image "${image}"`);
    const events = (await core.listNamespacedEvent({ namespace, fieldSelector: `involvedObject.name=${pod.metadata?.name}` })).items.map((e) => `${e.reason}: ${e.message}`);
    assert.ok(events.includes(`Failed: Failed to pull image "${image}": rpc error: code = NotFound desc = failed to pull and unpack image "${image}": failed to resolve reference "${image}": ${image}: not found`), events.join('\n'));
    assert.ok(events.includes('Failed: Error: ErrImagePull') && events.includes(`BackOff: Back-off pulling image "${image}"`) && events.includes('Failed: Error: ImagePullBackOff'), events.join('\n'));
    const others = (await core.listNamespacedPod({ namespace })).items.filter((p) => p.metadata?.name !== pod.metadata?.name && !p.metadata?.deletionTimestamp);
    assert.ok(others.some((p) => p.status?.phase === 'Running'), 'the old pods keep serving while the new one cannot pull');
  });
});
