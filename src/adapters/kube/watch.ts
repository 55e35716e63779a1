/**
 * List, then watch from the list's resourceVersion, keeping the full current set: a dropped stream (or client-node's
 * request timeout, or the server's own) reconnects from the last resourceVersion seen, `410 Gone` re-lists, and
 * connection errors back off — until the caller's signal aborts.
 */
import * as k8s from '@kubernetes/client-node';
import { isRetryable, kubeError, reconnectDelay, sleep, statusOf, type KubeOp } from './errors.js';

/** The server closes a watch after this, so a silently dead connection is noticed. */
const WATCH_TIMEOUT_SECONDS = 240;
/** Reconnects in a row without a single event before the watch gives up. */
const MAX_FAILURES = 12;
const CLOSED_PAUSE_MS = 100;

export interface ListWatchSpec<T> {
  readonly op: KubeOp;
  readonly server: string;
  /** e.g. `/api/v1/namespaces/pqs/pods`. */
  readonly path: string;
  readonly query: Readonly<Record<string, string | undefined>>;
  /** The current items and the list's resourceVersion. */
  list(): Promise<{ items: T[]; resourceVersion?: string }>;
  convert(object: unknown): T;
  key(item: T): string;
}

type Ending =
  | { readonly kind: 'closed'; readonly events: number }
  | { readonly kind: 'gone' }
  | { readonly kind: 'error'; readonly error: unknown; readonly events: number };

interface Connection<T> {
  readonly spec: ListWatchSpec<T>;
  readonly items: Map<string, T>;
  resourceVersion: string | undefined;
  readonly onChange: (items: readonly T[]) => void;
}

/** Applies one event; `gone` when the stream reported an error (410 Expired or another): the set must be re-listed. */
function applyEvent<T>(connection: Connection<T>, type: string, object: unknown): 'gone' | undefined {
  const metadata = (object as { metadata?: { resourceVersion?: string } } | null)?.metadata;
  if (type === 'ERROR') return 'gone';
  if (metadata?.resourceVersion) connection.resourceVersion = metadata.resourceVersion;
  if (type === 'BOOKMARK') return undefined;
  const item = connection.spec.convert(object);
  if (type === 'DELETED') connection.items.delete(connection.spec.key(item));
  else connection.items.set(connection.spec.key(item), item);
  connection.onChange([...connection.items.values()]);
  return undefined;
}

/** One watch request, resolved with how it ended. */
function watchOnce<T>(config: k8s.KubeConfig, connection: Connection<T>, signal: AbortSignal): Promise<Ending> {
  return new Promise((resolve) => {
    let events = 0;
    let ending: Ending | undefined;
    const query = {
      ...connection.spec.query,
      resourceVersion: connection.resourceVersion,
      allowWatchBookmarks: true,
      timeoutSeconds: WATCH_TIMEOUT_SECONDS,
    };
    const started = new k8s.Watch(config).watch(
      connection.spec.path,
      query,
      (type, object) => {
        if (ending) return;
        events += 1;
        if (applyEvent(connection, type, object) === 'gone') ending = { kind: 'gone' };
      },
      (error: unknown) => {
        signal.removeEventListener('abort', abort);
        resolve(ending ?? (error ? { kind: 'error', error, events } : { kind: 'closed', events }));
      },
    );
    const abort = () => void started.then((controller) => controller.abort(), () => undefined);
    signal.addEventListener('abort', abort, { once: true });
  });
}

async function relist<T>(connection: Connection<T>): Promise<void> {
  const listed = await connection.spec.list();
  connection.items.clear();
  for (const item of listed.items) connection.items.set(connection.spec.key(item), item);
  connection.resourceVersion = listed.resourceVersion;
  connection.onChange([...connection.items.values()]);
}

/** Resolves when `signal` aborts; rejects on what reconnecting cannot fix (401, 403, 404) or on endless failures. */
export async function listWatch<T>(
  config: k8s.KubeConfig,
  spec: ListWatchSpec<T>,
  onChange: (items: readonly T[]) => void,
  signal: AbortSignal,
): Promise<void> {
  const connection: Connection<T> = { spec, items: new Map(), resourceVersion: undefined, onChange };
  let stale = true;
  let failures = 0;
  while (!signal.aborted) {
    if (stale) await relist(connection);
    stale = false;
    const ending = await watchOnce(config, connection, signal);
    if (signal.aborted) return;
    if (ending.kind === 'gone') {
      stale = true;
      continue;
    }
    if (ending.kind === 'closed') {
      failures = 0;
      // A server that closes at once must not make this loop spin.
      if (ending.events === 0) await sleep(CLOSED_PAUSE_MS, signal);
      continue;
    }
    failures = ending.events > 0 ? 1 : failures + 1;
    const status = statusOf(ending.error);
    if (status !== undefined && !isRetryable(ending.error)) throw kubeError(spec.op, ending.error, spec.server);
    if (failures > MAX_FAILURES) throw kubeError(spec.op, ending.error, spec.server);
    await sleep(reconnectDelay(failures), signal);
  }
}
