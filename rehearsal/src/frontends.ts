/**
 * The portals' public URLs: one loopback HTTP server answering for each environment's lendos-portal and signing-portal,
 * 200 while the cluster has a ready pod of the portal's Deployment (what its Service would route to), 503 otherwise.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KubeClusterName, RunningServer } from './contracts.js';
import { isPodReady } from './kube/controllers/pod-status.js';
import { Resources, type ClusterStoreView, type KubeObject } from './kube/index.js';
import { isRecord } from './kube/types.js';

/** The frontends, each the Deployment of the same name in the namespace of the same name. */
export const PORTALS = ['lendos-portal', 'signing-portal'] as const;
export type Portal = (typeof PORTALS)[number];

const TITLES: Record<Portal, string> = { 'lendos-portal': 'LendOS Portal', 'signing-portal': 'LendOS Signing Portal' };
const CLUSTERS: readonly KubeClusterName[] = ['staging', 'production', 'dev'];

export interface FrontendServer extends RunningServer {
  /** Per environment: its lendos-portal URL, then its signing-portal URL. */
  readonly urls: Readonly<Record<KubeClusterName, string[]>>;
}

export interface FrontendOptions {
  /** Each environment's cluster, read on every request. */
  clusters: Readonly<Record<KubeClusterName, { store: ClusterStoreView }>>;
  port?: number;
}

type Answer = { status: 200; pod: KubeObject } | { status: 503; reason: string };

function record(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

/** A ready, non-terminating pod selected by the portal's Deployment, or why there is none. */
function readyPod(store: ClusterStoreView, cluster: KubeClusterName, portal: Portal): Answer {
  const deployment = store.get(Resources.deployments, portal, portal);
  if (!deployment) return { status: 503, reason: `deployment ${portal}/${portal} does not exist in ${cluster}` };
  const spec = record(deployment['spec']);
  const selector = record(spec['selector'])['matchLabels'];
  const labels = Object.entries(record(selector));
  const selected = store
    .list(Resources.pods, portal)
    .filter((pod) => labels.length > 0 && labels.every(([key, value]) => pod.metadata.labels?.[key] === value));
  const pod = selected.find((p) => !p.metadata.deletionTimestamp && isPodReady(p));
  if (pod) return { status: 200, pod };
  const wanted = typeof spec['replicas'] === 'number' ? spec['replicas'] : 1;
  return { status: 503, reason: `no ready pods of ${portal} in ${cluster}: the deployment wants ${wanted} replicas, ${selected.length} pods exist, none ready` };
}

const escapeHtml = (text: string) => text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);

function page(portal: Portal, cluster: KubeClusterName, pod: KubeObject): string {
  const containers = record(pod['spec'])['containers'];
  const image = String(record(Array.isArray(containers) ? containers[0] : undefined)['image'] ?? '');
  const tag = image.includes(':') ? image.slice(image.lastIndexOf(':') + 1) : 'latest';
  const title = `${TITLES[portal]} (${cluster})`;
  return [
    '<!doctype html>',
    `<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>`,
    `<body><h1>${escapeHtml(TITLES[portal])}</h1><p>Environment: ${cluster}</p>`,
    `<p>Version ${escapeHtml(tag)}, served by pod ${escapeHtml(pod.metadata.name)}</p></body></html>`,
    '',
  ].join('\n');
}

/** `/<environment>/<portal>` and everything under it (the portals are single-page apps), or undefined. */
function routeOf(pathname: string): { cluster: KubeClusterName; portal: Portal } | undefined {
  const [cluster, portal] = pathname.split('/').filter(Boolean);
  const knownCluster = CLUSTERS.find((c) => c === cluster);
  const knownPortal = PORTALS.find((p) => p === portal);
  return knownCluster && knownPortal ? { cluster: knownCluster, portal: knownPortal } : undefined;
}

function send(response: ServerResponse, status: number, type: string, body: string, head: boolean, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'Content-Type': `${type}; charset=utf-8`, 'Cache-Control': 'no-store', ...headers });
  response.end(head ? undefined : body);
}

function handler(options: FrontendOptions, urls: () => Record<KubeClusterName, string[]>) {
  return (request: IncomingMessage, response: ServerResponse): void => {
    const head = request.method === 'HEAD';
    if (request.method !== 'GET' && !head) return send(response, 405, 'text/plain', 'only GET and HEAD\n', false, { Allow: 'GET, HEAD' });
    const route = routeOf(new URL(request.url ?? '/', 'http://localhost').pathname);
    if (!route) return send(response, 404, 'text/plain', `no frontend here; the world serves:\n${Object.values(urls()).flat().join('\n')}\n`, head);
    const answer = readyPod(options.clusters[route.cluster].store, route.cluster, route.portal);
    if (answer.status === 503) return send(response, 503, 'text/plain', `${answer.reason}\n`, head, { 'Retry-After': '5' });
    send(response, 200, 'text/html', page(route.portal, route.cluster, answer.pod), head);
  };
}

/** Starts the frontends' server on 127.0.0.1 (`port` 0 or absent: ephemeral). */
export async function startFrontends(options: FrontendOptions): Promise<FrontendServer> {
  let base = '';
  const urlsOf = (): Record<KubeClusterName, string[]> => ({
    staging: PORTALS.map((portal) => `${base}/staging/${portal}/`),
    production: PORTALS.map((portal) => `${base}/production/${portal}/`),
    dev: PORTALS.map((portal) => `${base}/dev/${portal}/`),
  });
  const server = createServer(handler(options, urlsOf));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  base = `http://127.0.0.1:${port}`;
  let closing: Promise<void> | undefined;
  return {
    url: base,
    port,
    urls: urlsOf(),
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      })),
  };
}
