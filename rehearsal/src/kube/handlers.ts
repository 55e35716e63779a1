import type { IncomingMessage, ServerResponse } from 'node:http';
import { admitCreate, admitUpdate, asObject } from './admission.js';
import type { ClusterContext } from './context.js';
import { deleteObject, deleteOptions } from './deletion.js';
import { flag, nonNegativeInteger, parseJson, parseObjectBody, readBody, sendJson, tableVersion } from './http.js';
import { contendLease } from './lease-contention.js';
import { serveLogs } from './log-endpoint.js';
import { applyPatch, patchTypeOf } from './patch.js';
import { groupVersion, type ResourceType } from './resources.js';
import { serveScale } from './scale.js';
import { matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector } from './selectors.js';
import { Resources } from './store.js';
import { includeObjectOf, toTable } from './table.js';
import { badRequest, KubeError, notFound, type KubeObject } from './types.js';
import { serveWatch } from './watch.js';

export interface Target {
  type: ResourceType;
  /** Undefined on a cluster-scoped resource, or on a list across all namespaces. */
  namespace?: string;
  name?: string;
  subresource?: string;
  query: URLSearchParams;
}

function methodNotAllowed(method: string): KubeError {
  return new KubeError(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource (${method})`);
}

function requireVerb(type: ResourceType, verb: string, method: string): void {
  if (!type.verbs.includes(verb)) throw methodNotAllowed(method);
}

/** Items of a list omit kind/apiVersion for built-in types, as the real API encodes them; custom resources keep them. */
function listItem(type: ResourceType, object: KubeObject): Record<string, unknown> {
  if (type.custom) return object;
  const { kind: _kind, apiVersion: _apiVersion, ...rest } = object;
  return rest;
}

export function selectObjects(context: ClusterContext, target: Target): KubeObject[] {
  const labels = parseLabelSelector(target.query.get('labelSelector'));
  const fields = parseFieldSelector(target.query.get('fieldSelector'), target.type);
  return context.store
    .list(target.type.key, target.namespace)
    .filter((o) => matchesLabels(labels, o.metadata.labels) && matchesFields(fields, o));
}

function serveList(context: ClusterContext, request: IncomingMessage, response: ServerResponse, target: Target): void {
  const resourceVersion = String(context.store.revision);
  let items = selectObjects(context, target);
  const limit = nonNegativeInteger(target.query, 'limit');
  const offset = Number(Buffer.from(target.query.get('continue') ?? '', 'base64url').toString() || '0');
  if (!Number.isInteger(offset) || offset < 0) throw badRequest('continue key is not valid: malformed continue token');
  const metadata: Record<string, unknown> = { resourceVersion };
  if (offset > 0 || (limit !== undefined && limit > 0)) {
    const end = limit ? offset + limit : items.length;
    if (end < items.length) {
      metadata['continue'] = Buffer.from(String(end)).toString('base64url');
      metadata['remainingItemCount'] = items.length - end;
    }
    items = items.slice(offset, end);
  }
  const version = tableVersion(request);
  if (version) {
    const table = toTable(target.type.key, items, { resourceVersion, include: includeObjectOf(target.query), version, now: context.clock.now() });
    sendJson(response, 200, { ...table, metadata });
    return;
  }
  sendJson(response, 200, {
    kind: `${target.type.kind}List`,
    apiVersion: groupVersion(target.type),
    metadata,
    items: items.map((o) => listItem(target.type, o)),
  });
}

function sendObject(context: ClusterContext, request: IncomingMessage, response: ServerResponse, code: number, type: ResourceType, object: Record<string, unknown>): void {
  const version = tableVersion(request);
  if (version && object['kind'] === type.kind) {
    const kubeObject = object as KubeObject;
    const table = toTable(type.key, [kubeObject], { resourceVersion: kubeObject.metadata.resourceVersion, include: 'Metadata', version, now: context.clock.now() });
    sendJson(response, code, table);
    return;
  }
  sendJson(response, code, object);
}

async function create(context: ClusterContext, request: IncomingMessage, response: ServerResponse, target: Target): Promise<void> {
  const object = asObject(parseObjectBody(request, await readBody(request)), target.type);
  if (target.type.namespaced) {
    const namespace = target.namespace ?? 'default';
    if (object.metadata.namespace !== undefined && object.metadata.namespace !== namespace) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    object.metadata.namespace = namespace;
  }
  admitCreate(context, target.type, object);
  const created = target.type.key === Resources.pods ? context.pods.create(object) : context.store.create(target.type.key, object);
  sendJson(response, 201, created);
}

function existing(context: ClusterContext, target: Target, name: string): KubeObject {
  const object = context.store.get(target.type.key, target.namespace, name);
  if (!object) throw notFound(target.type.plural, target.type.group, name);
  return object;
}

function store(context: ClusterContext, target: Target, name: string, object: KubeObject, subresource?: 'status'): KubeObject {
  if (object.metadata.name !== name) {
    throw badRequest(`the name of the object (${String(object.metadata.name)}) does not match the name on the URL (${name})`);
  }
  const current = existing(context, target, name);
  const next = admitUpdate(target.type, current, { ...object, metadata: { ...object.metadata, namespace: current.metadata.namespace } }, subresource);
  return context.store.update(target.type.key, next);
}

async function update(context: ClusterContext, request: IncomingMessage, target: Target, name: string, subresource?: 'status'): Promise<KubeObject> {
  const object = asObject(parseObjectBody(request, await readBody(request)), target.type);
  return store(context, target, name, object, subresource);
}

async function patch(context: ClusterContext, request: IncomingMessage, target: Target, name: string, subresource?: 'status'): Promise<KubeObject> {
  const type = patchTypeOf(request.headers['content-type'], target.type.custom);
  const body = parseJson(await readBody(request));
  const current = existing(context, target, name);
  const patched = asObject(applyPatch(type, current, body), target.type);
  return store(context, target, name, patched, subresource);
}

async function serveCollection(context: ClusterContext, request: IncomingMessage, response: ServerResponse, target: Target): Promise<void> {
  const method = request.method ?? 'GET';
  if (method === 'GET' && flag(target.query, 'watch')) {
    requireVerb(target.type, 'watch', method);
    return serveWatch(context, request, response, target);
  }
  if (method === 'GET') {
    requireVerb(target.type, 'list', method);
    return serveList(context, request, response, target);
  }
  if (method === 'POST') {
    requireVerb(target.type, 'create', method);
    return create(context, request, response, target);
  }
  if (method === 'DELETE') {
    requireVerb(target.type, 'deletecollection', method);
    const options = deleteOptions(await readBody(request), target.query);
    const deleted = selectObjects(context, target).map((o) => deleteObject(context, target.type, o.metadata.namespace, o.metadata.name, options));
    return sendJson(response, 200, { kind: `${target.type.kind}List`, apiVersion: groupVersion(target.type), metadata: { resourceVersion: String(context.store.revision) }, items: deleted });
  }
  throw methodNotAllowed(method);
}

async function serveItem(context: ClusterContext, request: IncomingMessage, response: ServerResponse, target: Target, name: string): Promise<void> {
  const method = request.method ?? 'GET';
  const type = target.type;
  switch (method) {
    case 'GET':
      requireVerb(type, 'get', method);
      return sendObject(context, request, response, 200, type, existing(context, target, name));
    case 'PUT':
      requireVerb(type, 'update', method);
      if (type.plural === 'leases') contendLease(context, target.namespace, name);
      return sendJson(response, 200, await update(context, request, target, name));
    case 'PATCH':
      requireVerb(type, 'patch', method);
      return sendJson(response, 200, await patch(context, request, target, name));
    case 'DELETE': {
      requireVerb(type, 'delete', method);
      const options = deleteOptions(await readBody(request), target.query);
      return sendJson(response, 200, deleteObject(context, type, target.namespace, name, options));
    }
    default:
      throw methodNotAllowed(method);
  }
}

async function serveStatus(context: ClusterContext, request: IncomingMessage, response: ServerResponse, target: Target, name: string): Promise<void> {
  const method = request.method ?? 'GET';
  if (method === 'GET') return sendJson(response, 200, existing(context, target, name));
  if (method === 'PUT') return sendJson(response, 200, await update(context, request, target, name, 'status'));
  if (method === 'PATCH') return sendJson(response, 200, await patch(context, request, target, name, 'status'));
  throw methodNotAllowed(method);
}

/** Serves one resource request: collection, item, or one of its subresources. */
export async function serveResource(context: ClusterContext, request: IncomingMessage, response: ServerResponse, target: Target): Promise<void> {
  const { name, subresource, type } = target;
  if (name === undefined) return serveCollection(context, request, response, target);
  if (subresource === undefined) return serveItem(context, request, response, target, name);
  if (!type.subresources.some((s) => s.name === subresource)) {
    throw new KubeError(404, 'NotFound', 'the server could not find the requested resource');
  }
  if (subresource === 'log') {
    if (request.method !== 'GET') throw methodNotAllowed(request.method ?? '');
    return serveLogs(context, request, response, { namespace: target.namespace ?? 'default', name, query: target.query });
  }
  if (subresource === 'scale') return serveScale(context, request, response, { namespace: target.namespace ?? 'default', name });
  return serveStatus(context, request, response, target, name);
}
