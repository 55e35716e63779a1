import assert from 'node:assert/strict';
import * as k8s from '@kubernetes/client-node';
import { afterEach, describe, it } from 'mocha';
import { Resources } from '../../../rehearsal/src/kube/index.js';
import { scenario, startFixture, values, waitFor, type KubeFixture } from './kube-fixture.js';

interface Application {
  metadata: { name: string };
  spec: { syncPolicy?: { automated?: { selfHeal?: boolean } } };
  operation?: unknown;
  status?: {
    sync?: { status?: string };
    health?: { status?: string };
    operationState?: { phase?: string; message?: string; operation?: { initiatedBy?: { username?: string; automated?: boolean } } };
    summary?: { images?: string[] };
  };
}

const applications = { group: 'argoproj.io', version: 'v1alpha1', namespace: 'argocd', plural: 'applications' };
const mergePatch = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);

function image(fixture: KubeFixture, namespace: string, name: string): string {
  const deployment = fixture.cluster.store.get(Resources.deployments, namespace, name) as unknown as k8s.V1Deployment;
  return deployment.spec?.template.spec?.containers[0]?.image ?? '';
}

async function scale(fixture: KubeFixture, namespace: string, name: string, replicas: number): Promise<void> {
  await fixture.kc.makeApiClient(k8s.AppsV1Api).patchNamespacedDeploymentScale({ name, namespace, body: { spec: { replicas } } }, mergePatch);
}

describe('rehearsal kube: Argo CD applications', function () {
  let fixture: KubeFixture | undefined;

  afterEach(async function () {
    await fixture?.close();
    fixture = undefined;
  });

  it('syncs on an operation patch: Running, images from values-tags, replicas restored, then Synced and Healthy', async function () {
    const tags = { ...values };
    fixture = await startFixture({ valuesTags: async () => ({ ...tags }) });
    const custom = fixture.kc.makeApiClient(k8s.CustomObjectsApi);
    const read = async () => (await custom.getNamespacedCustomObject({ ...applications, name: 'lendos-portal' })) as Application;
    assert.equal(image(fixture, 'lendos-portal', 'lendos-portal-backend'), '381492038457.dkr.ecr.us-east-1.amazonaws.com/right-pedal/lendos-portal-backend:v0.0.812');
    await scale(fixture, 'lendos-portal', 'lendos-portal', 0);
    await waitFor('OutOfSync after a manual scale', async () => (await read()).status?.sync?.status === 'OutOfSync');
    tags['lendos-portal-backend'] = 'v0.0.840';
    tags['lendos-portal-frontend'] = 'v0.0.560';
    const phases = new Set<string>();
    const watch = await new k8s.Watch(fixture.kc).watch('/apis/argoproj.io/v1alpha1/namespaces/argocd/applications', {}, (_type, app: Application) => {
      if (app.metadata.name === 'lendos-portal' && app.status?.operationState?.phase) phases.add(app.status.operationState.phase);
    }, () => {});
    await custom.patchNamespacedCustomObject(
      { ...applications, name: 'lendos-portal', body: { operation: { initiatedBy: { username: 'release-engineer' }, sync: { prune: true, syncStrategy: { hook: {} } } } } },
      mergePatch,
    );
    const synced = await waitFor('Succeeded, Synced and Healthy', async () => {
      const app = await read();
      const done = app.status?.operationState?.phase === 'Succeeded' && app.status.sync?.status === 'Synced' && app.status.health?.status === 'Healthy';
      return done && app.status?.operationState?.operation?.initiatedBy?.username === 'release-engineer' && app;
    });
    watch.abort();
    assert.ok(phases.has('Running'), 'the operation was seen Running');
    assert.equal(synced.operation, undefined, 'the operation field is cleared after completion');
    assert.equal(image(fixture, 'lendos-portal', 'lendos-portal-backend'), '381492038457.dkr.ecr.us-east-1.amazonaws.com/right-pedal/lendos-portal-backend:v0.0.840');
    assert.equal(image(fixture, 'lendos-portal', 'lendos-portal'), '381492038457.dkr.ecr.us-east-1.amazonaws.com/right-pedal/lendos-portal-frontend:v0.0.560');
    assert.ok(synced.status?.summary?.images?.includes('381492038457.dkr.ecr.us-east-1.amazonaws.com/right-pedal/lendos-portal-backend:v0.0.840'));
    const deployment = await fixture.kc.makeApiClient(k8s.AppsV1Api).readNamespacedDeployment({ name: 'lendos-portal', namespace: 'lendos-portal' });
    assert.equal(deployment.spec?.replicas, 2);
    const pods = await fixture.kc.makeApiClient(k8s.CoreV1Api).listNamespacedPod({ namespace: 'lendos-portal', labelSelector: 'app=lendos-portal-backend' });
    assert.ok(pods.items.some((p) => p.spec?.containers[0]?.image?.endsWith(':v0.0.840')), 'the backend rolled to the new image');
  });

  it('reports an Error operation when the values-tags cannot be read', async function () {
    let broken = false;
    fixture = await startFixture({
      valuesTags: async () => {
        if (broken) throw new Error('values-tags-staging.yaml: not found on main');
        return { ...values };
      },
    });
    broken = true;
    const custom = fixture.kc.makeApiClient(k8s.CustomObjectsApi);
    await custom.patchNamespacedCustomObject({ ...applications, name: 'signing-portal', body: { operation: { sync: {} } } }, mergePatch);
    const app = await waitFor('an Error operation', async () => {
      const current = (await custom.getNamespacedCustomObject({ ...applications, name: 'signing-portal' })) as Application;
      return current.status?.operationState?.phase === 'Error' && current;
    });
    assert.match(app.status?.operationState?.message ?? '', /values-tags-staging\.yaml: not found on main/);
  });

  it('self-heals a manual scale of an application with automated selfHeal', async function () {
    fixture = await startFixture({ scenario: scenario([{ kind: 'selfheal', application: 'signing-portal' }]) });
    const custom = fixture.kc.makeApiClient(k8s.CustomObjectsApi);
    const app = (await custom.getNamespacedCustomObject({ ...applications, name: 'signing-portal' })) as Application;
    assert.equal(app.spec.syncPolicy?.automated?.selfHeal, true);
    const other = (await custom.getNamespacedCustomObject({ ...applications, name: 'lendos-portal' })) as Application;
    assert.equal(other.spec.syncPolicy?.automated, undefined);
    const replicas: number[] = [];
    const watch = await new k8s.Watch(fixture.kc).watch('/apis/apps/v1/namespaces/signing-portal/deployments', { fieldSelector: 'metadata.name=signing-portal' },
      (_type, deployment: k8s.V1Deployment) => {
        const value = deployment.spec?.replicas ?? -1;
        if (replicas[replicas.length - 1] !== value) replicas.push(value);
      }, () => {});
    await scale(fixture, 'signing-portal', 'signing-portal', 0);
    await waitFor('replicas put back to 2 after the manual scale to 0', () => replicas.join(',') === '2,0,2');
    watch.abort();
    const healed = await waitFor('an automated operation', async () => {
      const current = (await custom.getNamespacedCustomObject({ ...applications, name: 'signing-portal' })) as Application;
      return current.status?.operationState?.operation?.initiatedBy?.automated === true && current;
    });
    assert.ok(healed.status?.operationState);
  });
});
