import type { IncomingMessage, ServerResponse } from 'node:http';
import { asObject } from './admission.js';
import type { ClusterContext } from './context.js';
import { matchLabelsOf } from './controllers/deployments.js';
import { parseJson, parseObjectBody, readBody, sendJson } from './http.js';
import { applyPatch, patchTypeOf } from './patch.js';
import { resourceByKey } from './resources.js';
import { formatMatchLabels } from './selectors.js';
import { Resources } from './store.js';
import { badRequest, conflict, isRecord, KubeError, notFound, type KubeObject } from './types.js';

/** The autoscaling/v1 Scale view of a deployment. */
function scaleOf(deployment: KubeObject): KubeObject {
  const spec = isRecord(deployment['spec']) ? deployment['spec'] : {};
  const status = isRecord(deployment['status']) ? deployment['status'] : {};
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: deployment.metadata.name,
      namespace: deployment.metadata.namespace,
      uid: deployment.metadata.uid,
      resourceVersion: deployment.metadata.resourceVersion,
      creationTimestamp: deployment.metadata.creationTimestamp,
    },
    spec: { replicas: typeof spec['replicas'] === 'number' ? spec['replicas'] : 1 },
    status: { replicas: typeof status['replicas'] === 'number' ? status['replicas'] : 0, selector: formatMatchLabels(matchLabelsOf(deployment)) },
  };
}

function replicasOf(scale: KubeObject, name: string): number {
  const replicas = isRecord(scale['spec']) ? scale['spec']['replicas'] : undefined;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
    throw new KubeError(422, 'Invalid', `Scale.autoscaling "${name}" is invalid: spec.replicas: Invalid value: ${JSON.stringify(replicas ?? null)}: must be greater than or equal to 0`, {
      name, group: 'autoscaling', kind: 'Scale',
    });
  }
  return replicas;
}

async function requestedScale(request: IncomingMessage, current: KubeObject): Promise<KubeObject> {
  const deployments = resourceByKey(Resources.deployments);
  const scaleType = { ...deployments, kind: 'Scale', group: 'autoscaling', version: 'v1' };
  if (request.method === 'PUT') return asObject(parseObjectBody(request, await readBody(request)), scaleType);
  const patchType = patchTypeOf(request.headers['content-type'], false);
  return asObject(applyPatch(patchType, current, parseJson(await readBody(request))), scaleType);
}

/** GET/PUT/PATCH deployments/{name}/scale. */
export async function serveScale(
  context: ClusterContext,
  request: IncomingMessage,
  response: ServerResponse,
  target: { namespace: string; name: string },
): Promise<void> {
  const deployment = context.store.get(Resources.deployments, target.namespace, target.name);
  if (!deployment) throw notFound('deployments', 'apps', target.name);
  const method = request.method ?? 'GET';
  if (method === 'GET') return sendJson(response, 200, scaleOf(deployment));
  if (method !== 'PUT' && method !== 'PATCH') {
    throw new KubeError(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource (${method})`);
  }
  const wanted = await requestedScale(request, scaleOf(deployment));
  if (wanted.metadata.name !== undefined && wanted.metadata.name !== target.name) {
    throw badRequest(`the name of the object (${String(wanted.metadata.name)}) does not match the name on the URL (${target.name})`);
  }
  const expected = wanted.metadata.resourceVersion;
  if (expected && expected !== deployment.metadata.resourceVersion) throw conflict('deployments', 'apps', target.name);
  const replicas = replicasOf(wanted, target.name);
  const updated = context.store.mutate(Resources.deployments, target.namespace, target.name, (d) => {
    d['spec'] = { ...(isRecord(d['spec']) ? d['spec'] : {}), replicas };
  });
  sendJson(response, 200, scaleOf(updated ?? deployment));
}
