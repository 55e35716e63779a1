/**
 * Worker thread of the log bench: one rehearsal Kubernetes API server (the world's own router, pod runtime and log
 * store) and a container that prints as many lines as the bench asks for, paced by what the reader has counted.
 * It is composed here from rehearsal's modules because a started cluster does not let a caller write a container's
 * log; it runs on its own thread so that the server's work does not count against the reader being measured.
 */
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { createClock } from '../../rehearsal/src/clock.js';
import { Lifecycle, type ClusterContext } from '../../rehearsal/src/kube/context.js';
import { EventRecorder } from '../../rehearsal/src/kube/controllers/events.js';
import { PodRuntime, type PodProcess } from '../../rehearsal/src/kube/controllers/pods.js';
import { writeKubeconfig } from '../../rehearsal/src/kube/kubeconfig.js';
import { listenDual } from '../../rehearsal/src/kube/listener.js';
import { LogStore } from '../../rehearsal/src/kube/logs.js';
import { NameGenerator } from '../../rehearsal/src/kube/names.js';
import { createRouter } from '../../rehearsal/src/kube/router.js';
import { ObjectStore } from '../../rehearsal/src/kube/store.js';
import { loadScenario } from '../../rehearsal/src/scenario.js';
import { BulkLogServer } from './bulk-log-server.js';
import type { FromCluster, ToCluster } from './log-protocol.js';

const NAMESPACE = 'lendos-portal';
const CONTAINER = 'upgrade';
const TOKEN = 'bench-kube-token';
const CONTEXT = 'lendos-stg/SREOperatorAccess';
const BULK_CONTEXT = 'bench-bulk';
/** Lines per write into the container's log, like a process flushing its stdout buffer. */
const BATCH = 1_000;

function buildContext(): ClusterContext {
  const scenario = loadScenario('fast');
  const clock = createClock({ timeScale: scenario.timeScale, seed: scenario.seed });
  const store = new ObjectStore(2000);
  const names = new NameGenerator(clock);
  const lifecycle = new Lifecycle(clock);
  const logs = new LogStore(clock);
  const events = new EventRecorder(store, clock, names);
  const pods = new PodRuntime({
    store,
    clock,
    names,
    logs,
    lifecycle,
    events,
    durations: scenario.durations,
  });
  return {
    name: 'staging',
    clock,
    scenario,
    valuesTags: async () => ({}),
    store,
    names,
    logs,
    lifecycle,
    events,
    pods,
    initialDamlVersion: '0.1.92',
    ledgerRewinds: [],
    watches: new Set(),
  };
}

/** A stage-log line of realistic length: ~70 characters before the server's timestamp. */
function line(index: number, total: number): string {
  return `INFO  UpgradeWorker - Migrating shard 2/3: ${index}/${total} (${Math.floor((100 * index) / total)}%)`;
}

class Producer {
  private consumed = 0;
  private wake: (() => void) | undefined;

  constructor(
    private readonly context: ClusterContext,
    private readonly post: (message: FromCluster) => void,
  ) {}

  onConsumed(count: number): void {
    this.consumed = count;
    this.wake?.();
  }

  /** Prints `total` lines once a reader follows the log, never more than `window` ahead of it, then exits. */
  async run(pod: string, container: PodProcess, total: number, window: number): Promise<void> {
    this.consumed = 0;
    while (this.context.logs.followerCount() === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    let produced = 0;
    const busy = performance.eventLoopUtilization();
    while (produced < total) {
      if (produced - this.consumed >= window) {
        await new Promise<void>((resolve) => (this.wake = resolve));
        continue;
      }
      const count = Math.min(BATCH, total - produced);
      container.log(Array.from({ length: count }, (_, i) => line(produced + i + 1, total)).join('\n'));
      produced += count;
      // Lets the server's sockets drain between writes, as a kubelet streaming a file would.
      await new Promise((resolve) => setImmediate(resolve));
    }
    this.post({
      type: 'produced',
      pod,
      count: produced,
      busy: performance.eventLoopUtilization(busy).utilization,
    });
    container.exit(0);
  }
}

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('log-cluster runs as a worker thread');
  const context = buildContext();
  let address = 0;
  const listener = await listenDual(
    createRouter(context, { token: TOKEN, serverAddress: () => `127.0.0.1:${address}` }),
    0,
  );
  address = listener.port;
  const url = `https://127.0.0.1:${listener.port}`;
  const kubeconfig = path.join(String((workerData as { dir: string }).dir), 'kubeconfig');
  const bulk = new BulkLogServer();
  const bulkUrl = await bulk.listen();
  await writeKubeconfig(kubeconfig, [
    { context: CONTEXT, url, token: TOKEN },
    { context: BULK_CONTEXT, url: bulkUrl, token: TOKEN },
  ]);
  const post = (message: FromCluster) => port.postMessage(message);
  const producer = new Producer(context, post);
  const containers = new Map<string, PodProcess>();
  port.on('message', (message: ToCluster) => {
    if (message.type === 'pod')
      startPod(context, message.name, (container) => containers.set(message.name, container), post);
    if (message.type === 'consumed') producer.onConsumed(message.count);
    if (message.type === 'produce') {
      const container = containers.get(message.pod);
      if (container) void producer.run(message.pod, container, message.lines, message.window);
    }
    if (message.type === 'bulk') {
      bulk.expect(message.lines);
      post({ type: 'bulk-ready' });
    }
    if (message.type === 'close')
      void Promise.all([listener.close(), bulk.close()]).then(() => post({ type: 'closed' }));
  });
  post({ type: 'ready', kubeconfig, url, token: TOKEN, context: CONTEXT, bulkContext: BULK_CONTEXT });
}

/** A pod scheduled by the world's pod runtime; its workload hands over the running container. */
function startPod(
  context: ClusterContext,
  name: string,
  onRunning: (process: PodProcess) => void,
  post: (message: FromCluster) => void,
): void {
  const labels = { 'io.lendos.app/current-version': '0.1.93', 'io.lendos.app/upgrade-stage': 'upgrade' };
  context.pods.create(
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: NAMESPACE, uid: '', resourceVersion: '', creationTimestamp: '', labels },
      spec: { restartPolicy: 'Never', containers: [{ name: CONTAINER, image: 'bench' }] },
    },
    {
      workload: (container) => {
        onRunning(container);
        post({ type: 'running', name });
      },
    },
  );
}

void main();
