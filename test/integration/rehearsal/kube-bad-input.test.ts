import assert from 'node:assert/strict';
import * as k8s from '@kubernetes/client-node';
import { after, before, describe, it } from 'mocha';
import { bodyOf, startFixture, type KubeFixture } from './kube-fixture.js';

interface Status {
  kind: string;
  status: string;
  reason: string;
  message: string;
  code: number;
}

describe('rehearsal kube: bad input gets the real API errors, never a crash', function () {
  let fixture: KubeFixture;

  before(async function () {
    fixture = await startFixture();
  });

  after(async function () {
    assert.deepEqual(fixture.cluster.stats().failures, []);
    await fixture.close();
  });

  async function request(path: string, init: { method?: string; body?: string; contentType?: string; token?: string | null } = {}) {
    const headers: Record<string, string> = {};
    if (init.token !== null) headers['authorization'] = `Bearer ${init.token ?? fixture.cluster.token}`;
    if (init.contentType) headers['content-type'] = init.contentType;
    const response = await fetch(`${fixture.cluster.httpUrl}${path}`, { method: init.method ?? 'GET', headers, body: init.body });
    const status = (await response.json()) as Status;
    return { code: response.status, status };
  }

  function assertStatus(result: { code: number; status: Status }, code: number, reason: string): void {
    assert.equal(result.code, code);
    assert.equal(result.status.kind, 'Status');
    assert.equal(result.status.status, 'Failure');
    assert.equal(result.status.code, code);
    assert.equal(result.status.reason, reason);
  }

  it('answers 401 with a Status body without a token or with a wrong one', async function () {
    assertStatus(await request('/api/v1/namespaces', { token: null }), 401, 'Unauthorized');
    assertStatus(await request('/api/v1/namespaces', { token: 'nope' }), 401, 'Unauthorized');
    const version = await fetch(`${fixture.cluster.httpUrl}/version`);
    assert.equal(version.status, 200, '/version stays public like on EKS');
  });

  it('rejects malformed JSON and YAML bodies with 400', async function () {
    const path = '/apis/batch/v1/namespaces/lendos-portal/jobs';
    assertStatus(await request(path, { method: 'POST', body: '{"metadata": {', contentType: 'application/json' }), 400, 'BadRequest');
    assertStatus(await request(path, { method: 'POST', body: 'metadata: [unclosed', contentType: 'application/yaml' }), 400, 'BadRequest');
    assertStatus(await request(path, { method: 'POST', body: '{"kind":"Pod","apiVersion":"v1"}', contentType: 'application/json' }), 400, 'BadRequest');
    assertStatus(await request(path, { method: 'POST', body: '{}', contentType: 'text/csv' }), 415, 'UnsupportedMediaType');
  });

  it('answers 404 for unknown resources, groups and objects', async function () {
    assertStatus(await request('/api/v1/namespaces/pqs/widgets'), 404, 'NotFound');
    assertStatus(await request('/apis/example.com/v1/things'), 404, 'NotFound');
    const missing = await request('/apis/apps/v1/namespaces/pqs/deployments/nope');
    assertStatus(missing, 404, 'NotFound');
    assert.equal(missing.status.message, 'deployments.apps "nope" not found');
  });

  it('rejects bad label and field selectors with 400', async function () {
    const core = fixture.kc.makeApiClient(k8s.CoreV1Api);
    for (const labelSelector of ['app in (a', 'app=in valid', '=value', 'app notin ()']) {
      const error = await core.listNamespacedPod({ namespace: 'pqs', labelSelector }).catch((e: unknown) => e);
      assert.ok(error instanceof k8s.ApiException, labelSelector);
      assert.equal(error.code, 400, labelSelector);
      assert.equal(bodyOf(error)['reason'], 'BadRequest');
    }
    assertStatus(await request('/api/v1/namespaces/pqs/pods?fieldSelector=spec.containers%3Dx'), 400, 'BadRequest');
    assertStatus(await request('/api/v1/namespaces/pqs/pods?watch=true&resourceVersion=abc'), 400, 'BadRequest');
  });

  it('rejects a patch of the wrong content type with 415, and strategic merge on custom resources', async function () {
    const apps = fixture.kc.makeApiClient(k8s.AppsV1Api);
    const error = await apps.patchNamespacedDeploymentScale(
      { name: 'pqs', namespace: 'pqs', body: { spec: { replicas: 0 } } },
      k8s.setHeaderOptions('Content-Type', 'application/json'),
    ).catch((e: unknown) => e);
    assert.ok(error instanceof k8s.ApiException);
    assert.equal(error.code, 415);
    assert.equal(bodyOf(error)['reason'], 'UnsupportedMediaType');
    const custom = await request('/apis/argoproj.io/v1alpha1/namespaces/argocd/applications/lendos-portal', {
      method: 'PATCH', body: '{"operation":{"sync":{}}}', contentType: 'application/strategic-merge-patch+json',
    });
    assertStatus(custom, 415, 'UnsupportedMediaType');
    assert.match(custom.status.message, /application\/merge-patch\+json/);
  });

  it('rejects invalid objects and failed json-patch tests with 422', async function () {
    assertStatus(await request('/apis/apps/v1/namespaces/pqs/deployments/pqs/scale', {
      method: 'PUT', body: '{"spec":{"replicas":-1}}', contentType: 'application/json',
    }), 422, 'Invalid');
    assertStatus(await request('/apis/apps/v1/namespaces/pqs/deployments/pqs', {
      method: 'PATCH', body: '[{"op":"test","path":"/spec/replicas","value":99}]', contentType: 'application/json-patch+json',
    }), 422, 'Invalid');
    assertStatus(await request('/apis/coordination.k8s.io/v1/namespaces/default/leases', {
      method: 'POST', body: '{"metadata":{"name":"Not_A_Name"}}', contentType: 'application/json',
    }), 422, 'Invalid');
    assertStatus(await request('/apis/batch/v1/namespaces/lendos-portal/jobs', {
      method: 'POST', contentType: 'application/json',
      body: JSON.stringify({ metadata: { name: 'no-policy' }, spec: { template: { spec: { containers: [{ name: 'c', image: 'i' }] } } } }),
    }), 422, 'Invalid');
  });

  it('forbids what the real API forbids and refuses unsupported methods', async function () {
    assertStatus(await request('/api/v1/namespaces/kube-system', { method: 'DELETE' }), 403, 'Forbidden');
    assertStatus(await request('/api/v1/namespaces', { method: 'DELETE' }), 405, 'MethodNotAllowed');
    assertStatus(await request('/api/v1/namespaces/pqs/pods', { method: 'PUT', body: '{}', contentType: 'application/json' }), 405, 'MethodNotAllowed');
  });

  it('is still serving after all of it', async function () {
    const namespaces = await fixture.kc.makeApiClient(k8s.CoreV1Api).listNamespace();
    assert.ok(namespaces.items.length >= 7);
  });
});
