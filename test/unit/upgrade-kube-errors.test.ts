import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { kubeError, withRetry } from '../../src/adapters/kube/errors.js';
import { UserError } from '../../src/core/errors.js';
import { KubeConflict } from '../../src/ports.js';

const op = { context: 'bxci-prod/SREOperatorAccess', verb: 'patch', resource: 'deployments/scale', namespace: 'pqs', name: 'pqs' };
const apiError = (code: number, body: unknown = {}) => Object.assign(new Error(`HTTP-Code: ${code}`), { code, body });

describe('upgrade kube: API errors a person can act on', function () {
  it('403 names the verb, the resource, the namespace and the context, and how to check', function () {
    const error = kubeError(op, apiError(403, JSON.stringify({ message: 'deployments.apps "pqs" is forbidden' })));
    assert.ok(error instanceof UserError);
    assert.match(error.message, /Your role in context bxci-prod\/SREOperatorAccess lacks "patch" on deployments\/scale in namespace pqs/);
    assert.match(error.message, /kubectl auth can-i patch deployments\/scale -n pqs --context bxci-prod\/SREOperatorAccess/);
  });

  it('404 of a namespace says which namespace is missing', function () {
    const error = kubeError({ ...op, verb: 'create', resource: 'leases' }, apiError(404, { details: { kind: 'namespaces', name: 'lendos-portal' } }));
    assert.match(error.message, /Namespace "lendos-portal" does not exist in context bxci-prod\/SREOperatorAccess/);
  });

  it('409 is a typed conflict, 401 asks to log in, a refused connection names the server', function () {
    assert.ok(kubeError(op, apiError(409)) instanceof KubeConflict);
    assert.match(kubeError(op, apiError(401)).message, /refused your credentials \(401 Unauthorized\).*Log in again/);
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    assert.match(kubeError(op, refused, 'https://10.0.0.1').message, /Cannot reach the API server https:\/\/10\.0\.0\.1 of context bxci-prod\/SREOperatorAccess \(ECONNREFUSED\)/);
  });

  it('retries 5xx and then succeeds; does not retry a 403', async function () {
    let calls = 0;
    const value = await withRetry(op, async () => {
      calls += 1;
      if (calls < 2) throw apiError(500);
      return 'ok';
    });
    assert.deepEqual([value, calls], ['ok', 2]);
    let forbidden = 0;
    await assert.rejects(withRetry(op, async () => {
      forbidden += 1;
      throw apiError(403);
    }), /lacks "patch"/);
    assert.equal(forbidden, 1);
  });
});
