import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ClusterContext } from './context.js';
import { flag, nonNegativeInteger } from './http.js';
import { formatLogTimestamp, type LogLine } from './logs.js';
import { Resources } from './store.js';
import { badRequest, isRecord, notFound, type KubeObject } from './types.js';

interface LogOptions {
  container: string;
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  tailLines?: number;
  limitBytes?: number;
  since?: Date;
}

function containerNames(pod: KubeObject, field: 'containers' | 'initContainers'): string[] {
  const spec = isRecord(pod['spec']) ? pod['spec'] : {};
  const containers = Array.isArray(spec[field]) ? spec[field] : [];
  return containers.filter(isRecord).map((c) => String(c['name']));
}

function chooseContainer(pod: KubeObject, requested: string | null): string {
  const names = containerNames(pod, 'containers');
  if (requested) {
    if (!names.includes(requested) && !containerNames(pod, 'initContainers').includes(requested)) {
      throw badRequest(`container ${requested} is not valid for pod ${pod.metadata.name}`);
    }
    return requested;
  }
  const [only] = names;
  if (names.length !== 1 || only === undefined) {
    throw badRequest(`a container name must be specified for pod ${pod.metadata.name}, choose one of: [${names.join(' ')}]`);
  }
  return only;
}

function sinceOf(query: URLSearchParams, now: Date): Date | undefined {
  const sinceTime = query.get('sinceTime');
  const sinceSeconds = nonNegativeInteger(query, 'sinceSeconds');
  if (sinceTime && sinceSeconds !== undefined) throw badRequest('at most one of sinceTime or sinceSeconds may be specified');
  if (sinceTime) {
    const parsed = Date.parse(sinceTime);
    if (Number.isNaN(parsed) || !/^\d{4}-\d\d-\d\dT/.test(sinceTime)) {
      throw badRequest(`sinceTime: Invalid value: "${sinceTime}": parsing time as RFC3339 failed`);
    }
    return new Date(parsed);
  }
  return sinceSeconds === undefined ? undefined : new Date(now.getTime() - sinceSeconds * 1000);
}

/** 400 like the kubelet when the container has not started yet. */
function checkStarted(pod: KubeObject, container: string): void {
  const status = isRecord(pod['status']) ? pod['status'] : {};
  const statuses = [status['containerStatuses'], status['initContainerStatuses']].flatMap((l) => (Array.isArray(l) ? l.filter(isRecord) : []));
  const state = statuses.find((s) => s['name'] === container)?.['state'];
  const waiting = isRecord(state) ? state['waiting'] : undefined;
  if (isRecord(waiting)) {
    throw badRequest(`container "${container}" in pod "${pod.metadata.name}" is waiting to start: ${String(waiting['reason'] ?? 'ContainerCreating')}`);
  }
}

function selectLines(lines: LogLine[], options: LogOptions): LogLine[] {
  const since = options.since;
  const recent = since ? lines.filter((l) => l.time.getTime() >= since.getTime()) : lines;
  return options.tailLines === undefined ? recent : recent.slice(Math.max(0, recent.length - options.tailLines));
}

/** GET …/pods/{name}/log: the container's output, optionally followed live. */
export function serveLogs(
  context: ClusterContext,
  request: IncomingMessage,
  response: ServerResponse,
  target: { namespace: string; name: string; query: URLSearchParams },
): void {
  const pod = context.store.get(Resources.pods, target.namespace, target.name);
  if (!pod) throw notFound('pods', '', target.name);
  const { query } = target;
  const options: LogOptions = {
    container: chooseContainer(pod, query.get('container')),
    follow: flag(query, 'follow'),
    previous: flag(query, 'previous'),
    timestamps: flag(query, 'timestamps'),
    tailLines: nonNegativeInteger(query, 'tailLines'),
    limitBytes: nonNegativeInteger(query, 'limitBytes'),
    since: sinceOf(query, context.clock.now()),
  };
  const lines = context.logs.lines(target.namespace, target.name, options.container, options.previous);
  if (options.previous && !lines) {
    throw badRequest(`previous terminated container "${options.container}" in pod "${target.name}" not found`);
  }
  const scheduled = isRecord(pod['spec']) && typeof pod['spec']['nodeName'] === 'string';
  if (!options.previous && scheduled) checkStarted(pod, options.container);
  response.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private' });
  if (!scheduled) {
    response.end();
    return;
  }
  streamLines(context, request, response, { ...target, options, lines: lines ?? [] });
}

/** How much output is gathered before one write; smaller batches go out on the next turn of the event loop. */
const BATCH_CHARS = 64 * 1024;

/**
 * Writes log lines as a kubelet does — in batches rather than one chunk a line — so a fast container streams at
 * hundreds of thousands of lines a second; `limitBytes` cuts the output at that many bytes.
 */
function lineWriter(response: ServerResponse, options: LogOptions) {
  let budget = options.limitBytes ?? Number.POSITIVE_INFINITY;
  let pending = '';
  let scheduled = false;
  let stampedMs = Number.NaN;
  let stamp = '';
  const flush = () => {
    scheduled = false;
    if (pending === '' || response.writableEnded) return;
    response.write(pending);
    pending = '';
  };
  const timestamp = (time: Date) => {
    if (time.getTime() !== stampedMs) {
      stampedMs = time.getTime();
      stamp = formatLogTimestamp(time);
    }
    return stamp;
  };
  return {
    /** Answers false once the byte limit is reached (nothing more will be written). */
    write(line: LogLine): boolean {
      const text = `${options.timestamps ? `${timestamp(line.time)} ` : ''}${line.text}\n`;
      if (Number.isFinite(budget)) {
        const bytes = Buffer.from(text);
        const cut = bytes.length > budget ? bytes.subarray(0, budget) : bytes;
        budget -= cut.length;
        flush();
        response.write(cut);
        return budget > 0;
      }
      pending += text;
      if (pending.length >= BATCH_CHARS) flush();
      else if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
      return true;
    },
    end(): void {
      flush();
      response.end();
    },
  };
}

function streamLines(
  context: ClusterContext,
  request: IncomingMessage,
  response: ServerResponse,
  stream: { namespace: string; name: string; options: LogOptions; lines: LogLine[] },
): void {
  const { options } = stream;
  const out = lineWriter(response, options);
  for (const line of selectLines(stream.lines, options)) {
    if (!out.write(line)) return void out.end();
  }
  const live = options.follow && !options.previous && context.logs.isRunning(stream.namespace, stream.name, options.container);
  if (!live) return void out.end();
  const stop = context.logs.follow(stream.namespace, stream.name, options.container, (line) => {
    if (line === undefined || !out.write(line)) {
      stop();
      out.end();
    }
  });
  request.on('close', stop);
  response.on('close', stop);
}
