import type { ClusterContext } from './context.js';
import { deleteJob } from './controllers/job-status.js';
import { parseJson } from './http.js';
import { resourceTypes, type ResourceType } from './resources.js';
import { Resources } from './store.js';
import { badRequest, conflict, isRecord, KubeError, notFound, type KubeObject } from './types.js';

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: string;
  preconditions?: { uid?: string; resourceVersion?: string };
}

const policies = ['Orphan', 'Background', 'Foreground'];
const protectedNamespaces = ['default', 'kube-system', 'kube-public'];

/** DeleteOptions from the body (client-node sends them there) and the query (kubectl sends them there). */
export function deleteOptions(body: string, query: URLSearchParams): DeleteOptions {
  const parsed = body.trim() === '' ? {} : parseJson(body);
  if (!isRecord(parsed)) throw badRequest('DeleteOptions must be an object');
  const options: DeleteOptions = {};
  const grace = parsed['gracePeriodSeconds'] ?? (query.get('gracePeriodSeconds') === null ? undefined : Number(query.get('gracePeriodSeconds')));
  if (grace !== undefined) {
    if (typeof grace !== 'number' || !Number.isInteger(grace) || grace < 0) throw badRequest('gracePeriodSeconds must be a non-negative integer');
    options.gracePeriodSeconds = grace;
  }
  const policy = parsed['propagationPolicy'] ?? query.get('propagationPolicy') ?? undefined;
  if (policy !== undefined) {
    if (typeof policy !== 'string' || !policies.includes(policy)) {
      throw new KubeError(422, 'Invalid', `DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "${String(policy)}": supported values: "Foreground", "Background", "Orphan"`);
    }
    options.propagationPolicy = policy;
  }
  if (isRecord(parsed['preconditions'])) options.preconditions = parsed['preconditions'] as DeleteOptions['preconditions'];
  return options;
}

function checkPreconditions(type: ResourceType, object: KubeObject, preconditions: DeleteOptions['preconditions']): void {
  if (preconditions?.uid && preconditions.uid !== object.metadata.uid) {
    throw new KubeError(409, 'Conflict', `Precondition failed: UID in precondition: ${preconditions.uid}, UID in object meta: ${object.metadata.uid}`);
  }
  if (preconditions?.resourceVersion && preconditions.resourceVersion !== object.metadata.resourceVersion) {
    throw conflict(type.plural, type.group, object.metadata.name);
  }
}

export function successStatus(type: ResourceType, object: KubeObject): Record<string, unknown> {
  return {
    kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success',
    details: { name: object.metadata.name, group: type.group || undefined, kind: type.plural, uid: object.metadata.uid },
  };
}

function deleteNamespace(context: ClusterContext, namespace: KubeObject): KubeObject {
  const name = namespace.metadata.name;
  if (protectedNamespaces.includes(name)) {
    throw new KubeError(403, 'Forbidden', `namespaces "${name}" is forbidden: this namespace may not be deleted`, { name, kind: 'namespaces' });
  }
  if (namespace.metadata.deletionTimestamp) return namespace;
  const terminating = context.store.mutate(Resources.namespaces, undefined, name, (ns) => {
    ns.metadata.deletionTimestamp = context.clock.now().toISOString();
    ns['status'] = { phase: 'Terminating' };
  });
  for (const key of resourceTypes.filter((t) => t.namespaced).map((t) => t.key)) {
    for (const object of context.store.list(key, name)) {
      if (key === Resources.pods) context.pods.delete(name, object.metadata.name, 0);
      else context.store.remove(key, name, object.metadata.name);
    }
  }
  context.lifecycle.after(context.scenario.durations.podTerminate, () => {
    if (context.store.get(Resources.namespaces, undefined, name)) context.store.remove(Resources.namespaces, undefined, name);
  });
  return terminating ?? namespace;
}

/** Deletes one object as its kind's registry does; returns the response body. */
export function deleteObject(context: ClusterContext, type: ResourceType, namespace: string | undefined, name: string, options: DeleteOptions): Record<string, unknown> {
  const object = context.store.get(type.key, namespace, name);
  if (!object) throw notFound(type.plural, type.group, name);
  checkPreconditions(type, object, options.preconditions);
  switch (type.key) {
    case Resources.pods:
      return context.pods.delete(namespace ?? 'default', name, options.gracePeriodSeconds);
    case Resources.namespaces:
      return deleteNamespace(context, object);
    case Resources.jobs:
      return deleteJob(context, namespace ?? 'default', object, options.propagationPolicy ?? 'Orphan') ?? successStatus(type, object);
    case Resources.deployments:
      if (options.propagationPolicy === 'Orphan') orphanReplicaSets(context, object);
      context.store.remove(type.key, namespace, name);
      return successStatus(type, object);
    default:
      context.store.remove(type.key, namespace, name);
      return successStatus(type, object);
  }
}

function orphanReplicaSets(context: ClusterContext, deployment: KubeObject): void {
  for (const rs of context.store.list(Resources.replicaSets, deployment.metadata.namespace)) {
    if (!rs.metadata.ownerReferences?.some((o) => o.uid === deployment.metadata.uid)) continue;
    context.store.mutate(Resources.replicaSets, rs.metadata.namespace, rs.metadata.name, (r) => {
      r.metadata.ownerReferences = r.metadata.ownerReferences?.filter((o) => o.uid !== deployment.metadata.uid);
    });
  }
}
