/**
 * Log streaming: lines a running container prints on the rehearsal Kubernetes API server, followed through the
 * product's adapter (`Kube.followPodLogs`) into a BatchedLog (50 ms / 64 KiB batches) and a sink that counts lines and
 * bytes — standing in for the stage's LogOutputChannel, whose own cost is not measured. Baseline: the same stream read
 * by a plain HTTPS request that only counts newlines. Also memory while streaming (this thread's heap, process RSS).
 * Usage: node --expose-gc --import tsx bench/logs.ts [--lines 1000000]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { createKube } from '../src/adapters/kube/index.js';
import type { LogSink } from '../src/engine/step-types.js';
import { BatchedLog } from '../src/steps/upgrade/batched-log.js';
import type { FromCluster, ToCluster } from './lib/log-protocol.js';
import { MemorySampler, emit, numberOptions, progress, round, type MemoryFigures } from './lib/report.js';

const NAMESPACE = 'lendos-portal';
const CONTAINER = 'upgrade';
/** Lines the container may print ahead of the reader: the server does not apply backpressure, a kubelet does. */
const WINDOW = 20_000;
/** The reader tells the container its count every this many lines. */
const REPORT_EVERY = 2_000;

type Ready = Extract<FromCluster, { type: 'ready' }>;

/** The worker thread that runs the API server and the printing container. */
class ClusterThread {
  private readonly worker: Worker;
  private readonly waiting: { match: (m: FromCluster) => boolean; resolve: (m: FromCluster) => void }[] = [];

  constructor(dir: string) {
    // Loader hooks of `--import tsx` do not reach worker threads: the worker registers tsx itself.
    const entry = path.join(__dirname, 'lib', 'log-cluster.ts');
    this.worker = new Worker(`require('tsx/cjs/api').register(); require(${JSON.stringify(entry)});`, {
      eval: true,
      workerData: { dir },
    });
    this.worker.on('message', (message: FromCluster) => {
      const index = this.waiting.findIndex((w) => w.match(message));
      if (index >= 0) this.waiting.splice(index, 1)[0]?.resolve(message);
    });
    this.worker.on('error', (error) => {
      process.stderr.write(`log cluster worker failed: ${error.stack ?? error.message}\n`);
      process.exit(1);
    });
  }

  send(message: ToCluster): void {
    this.worker.postMessage(message);
  }

  next<T extends FromCluster['type']>(
    type: T,
    match: (m: Extract<FromCluster, { type: T }>) => boolean = () => true,
  ): Promise<Extract<FromCluster, { type: T }>> {
    return new Promise((resolve) => {
      this.waiting.push({
        match: (m) => m.type === type && match(m as Extract<FromCluster, { type: T }>),
        resolve: (m) => resolve(m as Extract<FromCluster, { type: T }>),
      });
    });
  }

  async startPod(name: string): Promise<void> {
    const running = this.next('running', (m) => m.name === name);
    this.send({ type: 'pod', name });
    await running;
  }

  async close(): Promise<void> {
    const closed = this.next('closed');
    this.send({ type: 'close' });
    await closed;
    await this.worker.terminate();
  }
}

/** Counts what reaches it and tells the container how far the reader is; resolves `done` at `total` lines. */
class LineCounter {
  lines = 0;
  bytes = 0;
  private reported = 0;
  private finish: (() => void) | undefined;
  readonly done: Promise<number>;

  constructor(
    private readonly total: number,
    private readonly cluster: ClusterThread,
  ) {
    this.done = new Promise((resolve) => (this.finish = () => resolve(performance.now())));
  }

  add(lines: number, bytes: number): void {
    this.lines += lines;
    this.bytes += bytes;
    if (this.lines - this.reported >= REPORT_EVERY || this.lines >= this.total) {
      this.reported = this.lines;
      this.cluster.send({ type: 'consumed', count: this.lines });
    }
    if (this.lines >= this.total) this.finish?.();
  }
}

function newlines(chunk: string): number {
  let count = 0;
  for (let i = chunk.indexOf('\n'); i !== -1; i = chunk.indexOf('\n', i + 1)) count += 1;
  return count;
}

/** The stage channel's stand-in: a LogSink that only counts. */
function countingSink(counter: LineCounter): LogSink {
  const line = (text: string) => counter.add(1, text.length + 1);
  return {
    info: line,
    warn: line,
    error: line,
    output: (chunk) => counter.add(newlines(chunk), chunk.length),
  };
}

interface Pass {
  readonly linesPerSecond: number;
  readonly megabytesPerSecond: number;
  /** Share of the time each thread was busy: the reader (this one) and the source's server (when it reports it). */
  readonly busy: { readonly reader: number; readonly server: number | null };
  readonly memory: MemoryFigures;
}

/** Where the lines come from: `begin` readies the source and starts it; `end` answers how busy its server was. */
interface Source {
  begin(total: number): Promise<{ end(): Promise<number | null> }>;
}

/** A running container on the rehearsal server, printing into its log store. */
function rehearsalSource(cluster: ClusterThread, pod: string): Source {
  return {
    async begin(total) {
      await cluster.startPod(pod);
      const produced = cluster.next('produced', (m) => m.pod === pod);
      cluster.send({ type: 'produce', pod, lines: total, window: WINDOW });
      return { end: async () => (await produced).busy };
    },
  };
}

function bulkSource(cluster: ClusterThread): Source {
  return {
    async begin(total) {
      const ready = cluster.next('bulk-ready');
      cluster.send({ type: 'bulk', lines: total });
      await ready;
      return { end: async () => null };
    },
  };
}

type Reader = (counter: LineCounter, signal: AbortSignal) => Promise<void>;

async function measure(cluster: ClusterThread, source: Source, total: number, read: Reader): Promise<Pass> {
  const counter = new LineCounter(total, cluster);
  const memory = new MemorySampler();
  const abort = new AbortController();
  memory.start();
  const busy = performance.eventLoopUtilization();
  const started = performance.now();
  const running = await source.begin(total);
  const reading = read(counter, abort.signal);
  const ended = await Promise.race([counter.done, reading.then(() => counter.done)]);
  abort.abort();
  await reading;
  const reader = performance.eventLoopUtilization(busy).utilization;
  const seconds = (ended - started) / 1000;
  const server = await running.end();
  return {
    linesPerSecond: round(total / seconds, 0),
    megabytesPerSecond: round(counter.bytes / seconds / 1024 / 1024),
    busy: { reader: round(reader, 2), server: server === null ? null : round(server, 2) },
    memory: memory.stop(),
  };
}

/** The product: followPodLogs → BatchedLog → counting sink. */
function productReader(ready: Ready, context: string, pod: string): Reader {
  const kube = createKube({ kubeconfig: ready.kubeconfig });
  return async (counter, signal) => {
    const log = new BatchedLog(countingSink(counter));
    await kube
      .followPodLogs(context, NAMESPACE, pod, CONTAINER, { signal, onLines: (lines) => log.append(lines) })
      .finally(() => log.flush());
  };
}

/** The baseline: one plain request on the same log URL, counting newline bytes. */
function plainReader(ready: Ready, pod: string): Reader {
  return (counter, signal) =>
    new Promise<void>((resolve, reject) => {
      const url = new URL(
        `${ready.url}/api/v1/namespaces/${NAMESPACE}/pods/${pod}/log?container=${CONTAINER}&follow=true&timestamps=true`,
      );
      const request = https.get(
        url,
        { headers: { Authorization: `Bearer ${ready.token}` }, rejectUnauthorized: false, signal },
        (response) => {
          response.on('data', (chunk: Buffer) => {
            let count = 0;
            for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) count += 1;
            counter.add(count, chunk.length);
          });
          response.on('close', () => resolve());
        },
      );
      request.on('error', (error) => (signal.aborted ? resolve() : reject(error)));
    });
}

const json = (pass: Pass) => ({ ...pass, busy: { ...pass.busy }, memory: { ...pass.memory } });

async function main(): Promise<void> {
  const { lines } = numberOptions({ lines: 1_000_000 });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lendos-bench-logs-'));
  const cluster = new ClusterThread(dir);
  try {
    const ready = await cluster.next('ready');
    progress(
      `logs: ${lines.toLocaleString('en')} lines from the rehearsal API server through followPodLogs → BatchedLog → counting sink`,
    );
    const product = await measure(
      cluster,
      rehearsalSource(cluster, 'bench-product'),
      lines,
      productReader(ready, ready.context, 'bench-product'),
    );
    progress('logs: the same stream through a plain request (baseline)');
    const plain = await measure(
      cluster,
      rehearsalSource(cluster, 'bench-plain'),
      lines,
      plainReader(ready, 'bench-plain'),
    );
    progress('logs: the product path from a bulk source that outpaces it (its ceiling)');
    const ceiling = await measure(
      cluster,
      bulkSource(cluster),
      lines,
      productReader(ready, ready.bulkContext, 'bench-bulk'),
    );
    emit({
      name: 'logs',
      unit: 'lines/s',
      value: product.linesPerSecond,
      baseline: { label: 'plain request counting newlines', value: plain.linesPerSecond },
      details: { lines, product: json(product), plain: json(plain), ceiling: json(ceiling) },
    });
  } finally {
    await cluster.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
