import type { KubeClusterName, RunningServer, Scenario, SeedSecret, StageSucceededHook, ValuesTagsReader, WorldClock } from '../contracts.js';
import { defaultImageRepositoryPrefix, Lifecycle, type ClusterContext } from './context.js';
import { ArgoController } from './controllers/argo.js';
import { DeploymentController } from './controllers/deployments.js';
import { EventRecorder } from './controllers/events.js';
import { JobController } from './controllers/jobs.js';
import { PodRuntime } from './controllers/pods.js';
import { listenDual } from './listener.js';
import { LogStore } from './logs.js';
import { NameGenerator } from './names.js';
import { createRouter } from './router.js';
import { seedCluster } from './seed.js';
import { ObjectStore, Resources } from './store.js';
import type { KubeObject } from './types.js';

export { writeKubeconfig, kubeconfigDocument, type KubeconfigEntry } from './kubeconfig.js';
export { Resources } from './store.js';
export type { KubeObject } from './types.js';

export interface KubeClusterOptions {
  name: KubeClusterName;
  token: string;
  clock: WorldClock;
  scenario: Scenario;
  valuesTags: ValuesTagsReader;
  /** The commit the Argo CD applications' source (the workloads repository's `main`) is at: `status.sync.revision`. */
  workloadsRevision?: () => Promise<string>;
  port?: number;
  /** Changes kept for watches resuming from a resourceVersion; older ones get 410 Gone. Default 2000. */
  eventHistoryLimit?: number;
  /** DAML version on the ledger before any upload-dars Job. Default `0.1.92`. */
  initialDamlVersion?: string;
  /** Registry path of the LendOS images. Default `381492038457.dkr.ecr.us-east-1.amazonaws.com/right-pedal`. */
  imageRepositoryPrefix?: string;
  /** The Argo CD applications' source repository. */
  workloadsRepoUrl?: string;
  /** Secrets the cluster holds from the start (the world's `pqs/pqs-postgres`). */
  secrets?: readonly SeedSecret[];
  /** Awaited when a stage Job's pods all succeeded, before the Job is marked Complete; its failures are the hook's to report. */
  onStageSucceeded?: StageSucceededHook;
}

/** Read access to the cluster's objects, by resource key (see `Resources`). */
export interface ClusterStoreView {
  get(resource: string, namespace: string | undefined, name: string): KubeObject | undefined;
  list(resource: string, namespace?: string): KubeObject[];
  readonly revision: number;
}

export interface KubeClusterStats {
  /** core/v1 Events recorded since start. */
  events: number;
  openWatches: number;
  openLogFollows: number;
  revision: number;
  /** Controller errors (should stay empty). */
  failures: string[];
}

/** `url` is HTTPS (self-signed; kubectl only sends tokens over TLS); `httpUrl` is the same port in plain HTTP. */
export interface KubeCluster extends RunningServer {
  readonly httpUrl: string;
  readonly name: KubeClusterName;
  readonly token: string;
  readonly store: ClusterStoreView;
  /** core/v1 Events recorded since start. */
  readonly events: number;
  stats(): KubeClusterStats;
  /** Current output lines of a pod's container (first container if none named). */
  logs(namespace: string, pod: string, container?: string): string[];
  /** The Canton database was restored from a snapshot taken at `snapshotAt`: DARs uploaded since are gone. */
  ledgerRestored(snapshotAt: Date, restoredAt: Date): void;
}

/** An image the scenario's `tag-missing-from-ecr` fault keeps out of ECR (`<registry>/<repository>:<tag>`). */
export function hiddenByScenario(scenario: Scenario, image: string): boolean {
  const match = /^[^/]+\/(.+):([^:/]+)$/.exec(image);
  if (!match) return false;
  const [, repository, tag] = match;
  return scenario.faults.some((f) => f.kind === 'tag-missing-from-ecr' && f.repository === repository && f.tag === tag);
}

function buildContext(options: KubeClusterOptions): ClusterContext {
  const store = new ObjectStore(options.eventHistoryLimit ?? 2000);
  const names = new NameGenerator(options.clock);
  const lifecycle = new Lifecycle(options.clock);
  const logs = new LogStore(options.clock);
  const events = new EventRecorder(store, options.clock, names);
  const missingImage = (image: string) => hiddenByScenario(options.scenario, image);
  const pods = new PodRuntime({ store, clock: options.clock, names, logs, lifecycle, events, durations: options.scenario.durations, missingImage });
  return {
    name: options.name, clock: options.clock, scenario: options.scenario, valuesTags: options.valuesTags, workloadsRevision: options.workloadsRevision,
    store, names, logs, lifecycle, events, pods, imageRepositoryPrefix: options.imageRepositoryPrefix ?? defaultImageRepositoryPrefix,
    initialDamlVersion: options.initialDamlVersion ?? '0.1.92', watches: new Set(), ledgerRewinds: [],
    onStageSucceeded: options.onStageSucceeded,
  };
}

/** Starts one simulated EKS cluster of the rehearsal world on 127.0.0.1. */
export async function startKubeCluster(options: KubeClusterOptions): Promise<KubeCluster> {
  const context = buildContext(options);
  const values = await options.valuesTags(options.name);
  const seededAt = seedCluster(context, {
    workloadsRepoUrl: options.workloadsRepoUrl ?? 'https://github.com/rplendos/lendos-eks-workloads',
    values,
    secrets: options.secrets,
  });
  const stops = [
    new DeploymentController(context).start(seededAt),
    new JobController(context).start(),
    new ArgoController(context).start(),
  ];
  let port = 0;
  const listener = await listenDual(createRouter(context, { token: options.token, serverAddress: () => `127.0.0.1:${port}` }), options.port ?? 0);
  port = listener.port;
  const stats = (): KubeClusterStats => ({
    events: context.events.count,
    openWatches: context.watches.size,
    openLogFollows: context.logs.followerCount(),
    revision: context.store.revision,
    failures: [...context.lifecycle.failures],
  });
  return {
    name: options.name,
    token: options.token,
    url: `https://127.0.0.1:${port}`,
    httpUrl: `http://127.0.0.1:${port}`,
    port,
    store: context.store,
    get events() {
      return context.events.count;
    },
    stats,
    logs: (namespace, pod, container) => {
      const object = context.store.get(Resources.pods, namespace, pod);
      const first = (object?.['spec'] as { containers?: { name: string }[] } | undefined)?.containers?.[0]?.name;
      return (context.logs.lines(namespace, pod, container ?? first ?? '', false) ?? []).map((l) => l.text);
    },
    ledgerRestored: (snapshotAt, restoredAt) => {
      context.ledgerRewinds.push({ snapshotAt, restoredAt });
    },
    close: async () => {
      context.lifecycle.stop();
      stops.forEach((stop) => stop());
      [...context.watches].forEach((close) => close());
      await listener.close();
    },
  };
}
