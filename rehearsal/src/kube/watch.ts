import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ClusterContext } from './context.js';
import type { Target } from './handlers.js';
import { flag, nonNegativeInteger, tableVersion } from './http.js';
import { groupVersion } from './resources.js';
import { matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector } from './selectors.js';
import type { StoreEvent, WatchEventType } from './store.js';
import { toTable } from './table.js';
import { badRequest, KubeError, statusBody, type KubeObject } from './types.js';

/** The real API server sends a bookmark about once a minute, and ends a watch after 30–60 minutes. */
const bookmarkIntervalMs = 60_000;
const defaultTimeoutSeconds = 1800;

type Outgoing = WatchEventType | 'BOOKMARK' | 'ERROR';

/** How a store change looks to a watch with selectors: objects moving in or out of the selection are ADDED/DELETED. */
function translate(event: StoreEvent, matches: (o: KubeObject) => boolean): WatchEventType | undefined {
  const now = matches(event.object);
  if (event.type !== 'MODIFIED') return now ? event.type : undefined;
  const before = event.previous ? matches(event.previous) : false;
  if (now && before) return 'MODIFIED';
  if (now) return 'ADDED';
  return before ? 'DELETED' : undefined;
}

function dropAfter(context: ClusterContext): number | undefined {
  const fault = context.scenario.faults.find((f) => f.kind === 'watch-drop' && (!f.cluster || f.cluster === context.name));
  return fault?.kind === 'watch-drop' ? fault.afterEvents : undefined;
}

function startRevision(value: string | null): number | undefined {
  if (value === null || value === '' || value === '0') return undefined;
  if (!/^\d+$/.test(value)) throw badRequest(`resourceVersion: Invalid value: "${value}": strconv.ParseUint: parsing "${value}": invalid syntax`);
  return Number(value);
}

/** One open watch response: writes events, counts them for the watch-drop fault, closes once. */
class WatchStream {
  private sent = 0;
  private closed = false;
  private readonly cleanups: (() => void)[] = [];
  private readonly limit: number | undefined;

  constructor(
    private readonly context: ClusterContext,
    private readonly response: ServerResponse,
    private readonly target: Target,
    private readonly table: 'v1' | 'v1beta1' | undefined,
  ) {
    this.limit = dropAfter(context);
    context.watches.add(this.close);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  onClose(cleanup: () => void): void {
    this.cleanups.push(cleanup);
  }

  readonly close = (): void => {
    if (this.closed) return;
    this.closed = true;
    this.cleanups.forEach((cleanup) => cleanup());
    this.context.watches.delete(this.close);
    this.response.end();
  };

  write(type: Outgoing, object: unknown): void {
    if (this.closed) return;
    const asTable = this.table && (type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED');
    const payload = asTable
      ? toTable(this.target.type.key, [object as KubeObject], {
          resourceVersion: (object as KubeObject).metadata.resourceVersion, include: 'Metadata', version: this.table ?? 'v1', now: this.context.clock.now(),
        })
      : object;
    this.response.write(`${JSON.stringify({ type, object: payload })}\n`);
    if (type !== 'BOOKMARK') this.sent += 1;
    if (this.limit !== undefined && this.sent >= this.limit) this.close();
  }

  bookmark(annotations?: Record<string, string>): void {
    const { type } = this.target;
    const metadata = { resourceVersion: String(this.context.store.revision), ...(annotations ? { annotations } : {}) };
    this.write('BOOKMARK', { kind: type.kind, apiVersion: groupVersion(type), metadata });
  }

  /** Bookmarks on the world clock until the stream closes. */
  keepBookmarking(): void {
    void this.context.clock.sleep(bookmarkIntervalMs).then(() => {
      if (this.closed || this.context.lifecycle.stopped) return;
      this.bookmark();
      this.keepBookmarking();
    });
  }
}

function replayFrom(context: ClusterContext, since: number | undefined): { events: StoreEvent[]; expired?: KubeError } {
  if (since === undefined) return { events: [] };
  try {
    return { events: context.store.eventsSince(since) };
  } catch (error) {
    if (error instanceof KubeError) return { events: [], expired: error };
    throw error;
  }
}

/** GET …?watch=true: newline-delimited watch events, with replay from a resourceVersion, bookmarks and timeouts. */
export function serveWatch(context: ClusterContext, request: IncomingMessage, response: ServerResponse, target: Target): void {
  const { query, type } = target;
  const labels = parseLabelSelector(query.get('labelSelector'));
  const fields = parseFieldSelector(query.get('fieldSelector'), type);
  const since = startRevision(query.get('resourceVersion'));
  const timeoutSeconds = nonNegativeInteger(query, 'timeoutSeconds') ?? defaultTimeoutSeconds;
  const matches = (o: KubeObject) =>
    (target.namespace === undefined || o.metadata.namespace === target.namespace) && matchesLabels(labels, o.metadata.labels) && matchesFields(fields, o);
  const replay = replayFrom(context, since);
  response.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
  response.flushHeaders();
  const stream = new WatchStream(context, response, target, tableVersion(request));
  request.on('close', stream.close);
  if (replay.expired) {
    stream.write('ERROR', statusBody(410, 'Expired', replay.expired.message));
    return stream.close();
  }
  if (since === undefined) {
    for (const object of context.store.list(type.key, target.namespace).filter(matches)) stream.write('ADDED', object);
    if (flag(query, 'allowWatchBookmarks') && flag(query, 'sendInitialEvents')) stream.bookmark({ 'k8s.io/initial-events-end': 'true' });
  }
  const forward = (event: StoreEvent) => {
    if (event.resource !== type.key) return;
    const eventType = translate(event, matches);
    if (eventType) stream.write(eventType, event.object);
  };
  replay.events.forEach(forward);
  if (stream.isClosed) return;
  stream.onClose(context.store.subscribe(forward));
  const timeout = setTimeout(stream.close, timeoutSeconds * 1000);
  timeout.unref();
  stream.onClose(() => clearTimeout(timeout));
  if (flag(query, 'allowWatchBookmarks')) stream.keepBookmarking();
}
