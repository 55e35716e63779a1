/**
 * Following a container's log across dropped connections: every request asks for timestamps, the cursor remembers the
 * last timestamp and how many lines carried it, and a resumed stream (`sinceTime` = that timestamp) drops what was
 * already delivered — so no line is lost or shown twice, even when several lines share a timestamp.
 */
import http from 'node:http';
import https from 'node:https';
import type * as k8s from '@kubernetes/client-node';
import type { LogFollow } from '../../ports.js';
import { KubeHttpError, sleep } from './errors.js';

const WAITING_PAUSE_MS = 250;
const ENDED_PAUSE_MS = 50;

/** RFC 3339 with the fraction padded to nanoseconds, so timestamps compare as strings (Go trims trailing zeros). */
export function timestampKey(stamp: string): string {
  if (stamp.length === 30) return stamp;
  const match = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z$/.exec(stamp);
  return match ? `${match[1]}.${(match[2] ?? '').padEnd(9, '0')}Z` : stamp;
}

/** Where a followed log stands: the last timestamp delivered and how many delivered lines carry it. */
export class LogCursor {
  private last: string | undefined;
  private lastRaw: string | undefined;
  private count = 0;
  private skip = 0;

  /** The `sinceTime` a new request resumes from. */
  get since(): string | undefined {
    return this.lastRaw;
  }

  /** A new stream starts: its first lines at the last timestamp were delivered already. */
  begin(): void {
    this.skip = this.count;
  }

  /** The line's text when it is new, undefined when it was delivered before. */
  accept(line: string): string | undefined {
    const space = line.indexOf(' ');
    if (space < 0) return line;
    const raw = line.slice(0, space);
    const key = timestampKey(raw);
    if (this.last !== undefined && key < this.last) return undefined;
    if (key === this.last) {
      if (this.skip > 0) {
        this.skip -= 1;
        return undefined;
      }
      this.count += 1;
    } else {
      this.last = key;
      this.lastRaw = raw;
      this.count = 1;
      this.skip = 0;
    }
    return line.slice(space + 1);
  }
}

/**
 * One log request. Made with node's http client and the KubeConfig's credentials rather than client-node's `Log`,
 * which pipes the body without passing on its errors: a dropped connection would never end the stream.
 */
export async function openLog(config: k8s.KubeConfig, path: string, query: Record<string, string>, signal: AbortSignal): Promise<http.IncomingMessage> {
  const cluster = config.getCurrentCluster();
  if (!cluster) throw new Error('the kube context has no cluster');
  const url = new URL(cluster.server.replace(/\/+$/, '') + path);
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
  const options: https.RequestOptions = {};
  await config.applyToHTTPSOptions(options);
  const client = url.protocol === 'http:' ? http : https;
  return new Promise((resolve, reject) => {
    const request = client.request(url, { method: 'GET', headers: options.headers, agent: options.agent, signal }, (response) => {
      if (response.statusCode === 200) return resolve(response);
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        if (body.length < 65_536) body += chunk;
      });
      response.on('end', () => reject(new KubeHttpError(response.statusCode ?? 0, body)));
      response.on('error', () => reject(new KubeHttpError(response.statusCode ?? 0, body)));
    });
    request.on('error', reject);
    request.end();
  });
}

/**
 * Reads one response through the cursor. Resolves true when the response ended normally, false when it broke off;
 * a broken-off last line is dropped (it comes again, whole, on the next request).
 */
export function readThrough(response: http.IncomingMessage, cursor: LogCursor, follow: LogFollow, complete: boolean): Promise<boolean> {
  cursor.begin();
  let partial = '';
  let finished = false;
  return new Promise((resolve) => {
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => {
      const text = partial + chunk;
      const end = text.lastIndexOf('\n');
      if (end < 0) {
        partial = text;
        return;
      }
      partial = text.slice(end + 1);
      const lines: string[] = [];
      for (const line of text.slice(0, end).split('\n')) {
        const accepted = cursor.accept(line);
        if (accepted !== undefined) lines.push(accepted);
      }
      if (lines.length > 0) follow.onLines(lines);
    });
    const finish = (ok: boolean) => {
      if (finished) return;
      finished = true;
      const last = complete && ok && partial !== '' ? cursor.accept(partial) : undefined;
      if (last !== undefined) follow.onLines([last]);
      resolve(ok);
    };
    response.on('end', () => finish(true));
    response.on('aborted', () => finish(false));
    response.on('error', () => finish(false));
    response.on('close', () => finish(response.complete));
  });
}

/** Where a container stands, for deciding whether a stream that ended is the end of its log. */
export type ContainerState = 'waiting' | 'running' | 'terminated' | 'gone';

export interface FollowTarget {
  readonly config: k8s.KubeConfig;
  readonly namespace: string;
  readonly pod: string;
  readonly container: string;
  /** Reads the container's state (with retries); throws what cannot be retried. */
  state(): Promise<ContainerState>;
  /** What to do with a failed request: resolves to wait, or throws to give up. */
  onFailure(error: unknown, failures: number): Promise<void>;
}

/** Follows until the container has exited and everything it printed was delivered, or the signal aborts. */
export async function followContainer(target: FollowTarget, follow: LogFollow): Promise<void> {
  const cursor = new LogCursor();
  const path = `/api/v1/namespaces/${encodeURIComponent(target.namespace)}/pods/${encodeURIComponent(target.pod)}/log`;
  let failures = 0;
  while (!follow.signal.aborted) {
    const state = await target.state();
    if (state === 'gone') return;
    if (state === 'waiting') {
      await sleep(WAITING_PAUSE_MS, follow.signal);
      continue;
    }
    const complete = state === 'terminated';
    const query: Record<string, string> = { container: target.container, timestamps: 'true', follow: String(!complete) };
    if (cursor.since) query['sinceTime'] = cursor.since;
    try {
      const response = await openLog(target.config, path, query, follow.signal);
      const ended = await readThrough(response, cursor, follow, complete);
      failures = 0;
      if (complete && ended) return;
      // The container likely just exited; the next state read tells, without spinning.
      if (!complete) await sleep(ENDED_PAUSE_MS, follow.signal);
    } catch (error) {
      if (follow.signal.aborted) return;
      failures += 1;
      await target.onFailure(error, failures);
    }
  }
}
