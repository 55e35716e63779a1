import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ClusterContext } from './context.js';
import { coreVersions, group, groupList, resourceList, serverVersion } from './discovery.js';
import { serveResource, type Target } from './handlers.js';
import { sendError, sendJson } from './http.js';
import { findResource } from './resources.js';
import { KubeError, type StatusReason } from './types.js';

const publicPaths = new Set(['/version', '/healthz', '/livez', '/readyz']);

function notFoundResource(): KubeError {
  return new KubeError(404, 'NotFound', 'the server could not find the requested resource');
}

/** Splits `/api/v1/...` or `/apis/<group>/<version>/...` into a resource target. */
export function parseResourcePath(segments: string[], query: URLSearchParams): Target | undefined {
  const [root, ...restOfPath] = segments;
  const grouped = root === 'apis';
  const groupName = grouped ? restOfPath[0] ?? '' : '';
  const version = grouped ? restOfPath[1] ?? '' : restOfPath[0] ?? '';
  const rest = restOfPath.slice(grouped ? 2 : 1);
  const known = (plural: string | undefined) => (plural === undefined ? undefined : findResource(groupName, version, plural));
  if (rest[0] === 'namespaces' && rest.length >= 3 && known(rest[2])?.namespaced) {
    const type = known(rest[2]);
    if (!type || rest.length > 5) return undefined;
    return { type, namespace: rest[1], name: rest[3], subresource: rest[4], query };
  }
  const type = known(rest[0]);
  if (!type || rest.length > 3) return undefined;
  if (type.namespaced && rest.length > 1) return undefined;
  return { type, name: rest[1], subresource: rest[2], query };
}

function discovery(segments: string[], serverAddress: string): unknown {
  const [root, first, second, ...more] = segments;
  if (more.length > 0) return undefined;
  if (root === 'api') {
    if (first === undefined) return coreVersions(serverAddress);
    return second === undefined ? resourceList('', first) : undefined;
  }
  if (first === undefined) return groupList();
  if (second === undefined) return group(first);
  return resourceList(first, second);
}

export interface RouterOptions {
  token: string;
  serverAddress: () => string;
}

/** Counts authenticated requests and fails every Nth one when the scenario injects `api-errors` for kube. */
class ApiErrorFault {
  private requests = 0;

  constructor(private readonly context: ClusterContext) {}

  check(): void {
    const fault = this.context.scenario.faults.find((f) => f.kind === 'api-errors' && f.service === 'kube');
    if (fault?.kind !== 'api-errors' || fault.every <= 0) return;
    this.requests += 1;
    if (this.requests % fault.every !== 0) return;
    const reasons: Record<number, [StatusReason, string]> = {
      429: ['TooManyRequests', 'the server has received too many requests and has asked us to try again later'],
      500: ['InternalError', 'Internal error occurred: etcdserver: request timed out'],
      503: ['ServiceUnavailable', 'the server is currently unable to handle the request'],
    };
    const [reason, message] = reasons[fault.status] ?? ['InternalError', 'Internal error occurred'];
    throw new KubeError(fault.status, reason, message, fault.status === 429 ? { retryAfterSeconds: 1 } : {});
  }
}

function authenticated(request: IncomingMessage, token: string): boolean {
  const header = request.headers.authorization ?? '';
  return header === `Bearer ${token}`;
}

async function route(context: ClusterContext, request: IncomingMessage, response: ServerResponse, options: RouterOptions, fault: ApiErrorFault): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const path = url.pathname.replace(/\/+$/, '') || '/';
  if (path === '/version') return sendJson(response, 200, serverVersion);
  if (publicPaths.has(path)) {
    response.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
    return void response.end('ok');
  }
  if (!authenticated(request, options.token)) throw new KubeError(401, 'Unauthorized', 'Unauthorized');
  fault.check();
  const segments = path.split('/').filter(Boolean);
  const isApi = segments[0] === 'api' || segments[0] === 'apis';
  if (!isApi) throw new KubeError(404, 'NotFound', 'the server could not find the requested resource');
  const minimum = segments[0] === 'api' ? 2 : 3;
  if (segments.length <= minimum) {
    const body = request.method === 'GET' ? discovery(segments, options.serverAddress()) : undefined;
    if (body === undefined) throw notFoundResource();
    return sendJson(response, 200, body);
  }
  const target = parseResourcePath(segments, url.searchParams);
  if (!target) throw notFoundResource();
  await serveResource(context, request, response, target);
}

/** The request handler of one cluster's API server: auth, injected faults, discovery, resources; never throws. */
export function createRouter(context: ClusterContext, options: RouterOptions): (request: IncomingMessage, response: ServerResponse) => void {
  const fault = new ApiErrorFault(context);
  return (request, response) => {
    route(context, request, response, options, fault).catch((error: unknown) => {
      request.resume();
      sendError(response, error);
    });
  };
}
