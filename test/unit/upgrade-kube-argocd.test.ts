import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import type { ArgoApplicationInfo } from '../../src/ports.js';
import { owningApplications, suspendedAutomation, syncState } from '../../src/steps/upgrade/argocd.js';

function app(name: string, fields: Partial<ArgoApplicationInfo> = {}): ArgoApplicationInfo {
  return { name, namespace: 'argocd', operationPending: false, resources: [], ...fields };
}

describe('upgrade kube: Argo CD around the upgrade', function () {
  it('finds the Applications managing the scaled deployments, by their resources or destination', function () {
    const apps = [
      app('lendos-portal', { destinationNamespace: 'lendos-portal', resources: [{ kind: 'Deployment', namespace: 'lendos-portal', name: 'lendos-portal' }] }),
      app('signing-portal', { destinationNamespace: 'signing-portal' }),
      app('monitoring', { destinationNamespace: 'monitoring', resources: [{ kind: 'Deployment', namespace: 'monitoring', name: 'grafana' }] }),
    ];
    const owners = owningApplications(apps, [
      { namespace: 'lendos-portal', deployment: 'lendos-portal' },
      { namespace: 'signing-portal', deployment: 'signing-portal' },
      { namespace: 'pqs', deployment: 'pqs' },
    ]);
    assert.deepEqual(owners.map((a) => a.name), ['lendos-portal', 'signing-portal']);
  });

  it('reads back the suspended automation kept in evidence, ignoring anything else', function () {
    assert.deepEqual(suspendedAutomation({ suspendedAutomation: { 'lendos-portal': { prune: true, selfHeal: true }, bad: 3 } }), { 'lendos-portal': { prune: true, selfHeal: true } });
    assert.deepEqual(suspendedAutomation({}), {});
  });

  it('tells our sync running, failed, settling or synced', function () {
    const ours = 'lendos-release/2025.4.0';
    assert.equal(syncState(app('a', { operationPending: true, operationBy: ours }), ours), 'running');
    assert.equal(syncState(app('a', { operationPhase: 'Succeeded', operationBy: 'admin', syncStatus: 'Synced', health: 'Healthy' }), ours), 'running', 'an older sync is not ours');
    assert.equal(syncState(app('a', { operationPhase: 'Failed', operationBy: ours }), ours), 'failed');
    assert.equal(syncState(app('a', { operationPhase: 'Succeeded', operationBy: ours, syncStatus: 'Synced', health: 'Progressing' }), ours), 'settling');
    assert.equal(syncState(app('a', { operationPhase: 'Succeeded', operationBy: ours, syncStatus: 'Synced', health: 'Healthy' }), ours), 'synced');
  });
});
