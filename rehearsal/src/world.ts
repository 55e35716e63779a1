/** The rehearsal world: every part started on loopback, wired together, and described in DIR/world.json. */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { ACCOUNTS, createEcrRegistry, startAwsServer, type AwsServer } from './aws/index.js';
import { createClock } from './clock.js';
import type { ClusterName, EcrRegistry, KubeClusterName, Scenario, SeedSecret, WorldClock, WorldDescription } from './contracts.js';
import { startFrontends, type FrontendServer } from './frontends.js';
import { cloneWorkspace, createRemotes, git, readValuesTags, type Remotes } from './git/index.js';
import { PEOPLE } from './git/identities.js';
import { startGitHubServer, type RunningGitHubServer } from './github/index.js';
import { startKubeCluster, type KubeCluster } from './kube/index.js';
import { LedgerLink } from './pqs/rewind.js';
import { followUpgrades, PQS_CONNECTION_SECRET, pqsUnavailable, startPqs, type PqsServer } from './pqs/index.js';
import { loadScenario } from './scenario.js';
import { prepareWorldDir, writeMarker } from './world-dir.js';
import { describe, GITHUB_OWNER, type DescribedSecrets } from './world-describe.js';
import { writeWorkspaceSettings, writeWorldFiles } from './world-files.js';

export { GITHUB_OWNER, WORLD_CONTEXTS } from './world-describe.js';

/** Fixed ports for the servers; each one left out (or 0) is ephemeral. */
export interface WorldPorts {
  staging?: number;
  production?: number;
  dev?: number;
  aws?: number;
  github?: number;
  /** The portals' frontend server (world.json `urls`). */
  frontends?: number;
}

export interface WorldOptions {
  /** A scenario name from `rehearsal/scenarios`, a path to a scenario YAML file, or a scenario itself. */
  scenario: string | Scenario;
  /** The world's folder: created, or wiped when it held an earlier world; any other non-empty folder is refused. */
  dir: string;
  ports?: WorldPorts;
  /** No progress lines. */
  quiet?: boolean;
  /** Where progress lines go (default: stderr). */
  log?: (line: string) => void;
}

/** A running world: its description (also in `worldFile`) and handles to its parts for tests. */
export interface World {
  readonly description: WorldDescription;
  /** `DIR/world.json`. */
  readonly worldFile: string;
  readonly scenario: Scenario;
  readonly clock: WorldClock;
  /** Each Kubernetes cluster: staging, production, and dev (runbook Section 4). */
  readonly clusters: Readonly<Record<KubeClusterName, KubeCluster>>;
  readonly aws: AwsServer;
  readonly github: RunningGitHubServer;
  readonly ecr: EcrRegistry;
  readonly remotes: Remotes;
  /** The portals' frontend URLs, answering from each cluster's pods. */
  readonly frontends: FrontendServer;
  /** PQS's PostgreSQL, one database per cluster; absent when PostgreSQL is not installed (the world says so). */
  readonly pqs?: PqsServer;
  /** Closes every server (idempotent); the folder stays for inspection and may be reused by the next world. */
  stop(): Promise<void>;
}

/** The world's keys; `githubApprover` is the product approver's own GitHub token. */
type Secrets = DescribedSecrets;

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const randomText = (alphabet: string, length: number) => [...randomBytes(length)].map((b) => alphabet[b % alphabet.length]).join('');

/** Fresh keys per world, shaped like the real ones, so a leaked world.json unlocks nothing but that world. */
function newSecrets(): Secrets {
  return {
    aws: { accessKeyId: `AKIA${randomText(BASE32, 16)}`, secretAccessKey: randomText(`${ALPHANUMERIC}/+`, 40) },
    kube: {
      staging: randomBytes(24).toString('base64url'),
      production: randomBytes(24).toString('base64url'),
      dev: randomBytes(24).toString('base64url'),
    },
    github: `ghp_${randomText(ALPHANUMERIC, 36)}`,
    githubApprover: `ghp_${randomText(ALPHANUMERIC, 36)}`,
  };
}

/** Servers started so far, closed in reverse on failure or stop. */
class Closers {
  private readonly list: (() => Promise<void>)[] = [];
  add<T extends { close(): Promise<void> }>(server: T): T {
    this.list.push(() => server.close());
    return server;
  }
  async closeAll(): Promise<void> {
    const results = await Promise.allSettled(this.list.splice(0).reverse().map((close) => close()));
    const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    if (failures.length > 0) throw new AggregateError(failures, 'some rehearsal servers failed to close');
  }
}

/** Like Promise.all, but waits for every promise, so each server that did start is registered before a failure is thrown. */
async function settleAll<T extends readonly unknown[]>(promises: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const results = await Promise.allSettled(promises);
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) throw failure.reason;
  return results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

interface Parts {
  clock: WorldClock;
  ecr: EcrRegistry;
  aws: AwsServer;
  remotes: Remotes;
  clusters: Record<KubeClusterName, KubeCluster>;
  github: RunningGitHubServer;
  frontends: FrontendServer;
  pqs?: PqsServer;
}

/** PQS when PostgreSQL is installed; otherwise the world starts without it and says why. */
async function startWorldPqs(scenario: Scenario, dir: string, log: (line: string) => void): Promise<PqsServer | undefined> {
  const missing = pqsUnavailable();
  if (missing) {
    log(`rehearsal: starting without PQS: ${missing}`);
    return undefined;
  }
  return startPqs({ dir, seed: scenario.seed });
}

/** The Secret through which a cluster names its PQS, as the release reads it. */
function pqsSecret(pqs: PqsServer, cluster: ClusterName): SeedSecret {
  const { namespace, name, key } = PQS_CONNECTION_SECRET;
  return { namespace, name, labels: { app: 'pqs' }, stringData: { [key]: pqs.urls[cluster] } };
}

interface ClusterInputs {
  clock: WorldClock;
  scenario: Scenario;
  secrets: Secrets;
  ports: WorldPorts;
  remotes: Remotes;
  pqs?: PqsServer;
  log: (line: string) => void;
}

/** A cluster of the world; only staging's and production's hold PQS's Secret and follow upgrades with it. */
function startCluster(name: KubeClusterName, inputs: ClusterInputs): Promise<KubeCluster> {
  const { pqs } = inputs;
  const release = name === 'dev' ? undefined : name;
  return startKubeCluster({
    name,
    token: inputs.secrets.kube[name],
    clock: inputs.clock,
    scenario: inputs.scenario,
    valuesTags: (c) => readValuesTags(inputs.remotes.workloads, c),
    workloadsRevision: async () => (await git(['rev-parse', 'main'], { cwd: inputs.remotes.workloads })).trim(),
    port: inputs.ports[name] ?? 0,
    workloadsRepoUrl: `https://github.com/${GITHUB_OWNER}/lendos-eks-workloads`,
    secrets: pqs && release ? [pqsSecret(pqs, release)] : [],
    onStageSucceeded: pqs && release ? followUpgrades(pqs.urls, inputs.log) : undefined,
  });
}

async function startParts(
  scenario: Scenario,
  dir: string,
  secrets: Secrets,
  ports: WorldPorts,
  closers: Closers,
  log: (line: string) => void,
): Promise<Parts> {
  const clock = createClock({ timeScale: scenario.timeScale, seed: scenario.seed });
  const ecr = createEcrRegistry(clock, scenario);
  const ledger = new LedgerLink((account) => CLUSTER_NAMES.find((name) => ACCOUNTS[name] === account), log);
  const [aws, remotes, pqs] = await settleAll<[AwsServer, Remotes, PqsServer | undefined]>([
    startAwsServer({ clock, scenario, credentials: secrets.aws, ecr, port: ports.aws ?? 0, ledger }).then((s) => closers.add(s)),
    createRemotes(path.join(dir, 'remotes'), { clock, scenario }),
    startWorldPqs(scenario, dir, log).then((s) => s && closers.add(s)),
  ]);
  if (pqs) ledger.urls = pqs.urls;
  const inputs: ClusterInputs = { clock, scenario, secrets, ports, remotes, pqs, log };
  const [staging, production, dev, github] = await settleAll<[KubeCluster, KubeCluster, KubeCluster, RunningGitHubServer, void, void]>([
    startCluster('staging', inputs).then((s) => closers.add(s)),
    startCluster('production', inputs).then((s) => closers.add(s)),
    startCluster('dev', inputs).then((s) => closers.add(s)),
    startGitHubServer({ clock, scenario, token: secrets.github, tokens: { [secrets.githubApprover]: PEOPLE.luis.login }, owner: GITHUB_OWNER, remotes, ecr, port: ports.github ?? 0 }).then((s) =>
      closers.add(s),
    ),
    cloneWorkspace(remotes.lendos, path.join(dir, 'workspace', 'lendos'), { scenario }),
    cloneWorkspace(remotes.workloads, path.join(dir, 'workspace', 'lendos-eks-workloads'), { scenario }),
  ]);
  const clusters = { staging, production, dev };
  ledger.onRestored = (cluster, snapshotAt) => clusters[cluster].ledgerRestored(snapshotAt, clock.now());
  const frontends = closers.add(await startFrontends({ clusters, port: ports.frontends ?? 0 }));
  return { clock, ecr, aws, remotes, clusters, github, frontends, pqs };
}

const CLUSTER_NAMES: readonly ClusterName[] = ['staging', 'production'];

/** Starts the world in `dir` and writes `dir/world.json` last, once everything answers. */
export async function startWorld(options: WorldOptions): Promise<World> {
  const began = performance.now();
  const log = options.quiet ? () => undefined : (options.log ?? ((line: string) => process.stderr.write(`${line}\n`)));
  const scenario = typeof options.scenario === 'string' ? loadScenario(options.scenario) : options.scenario;
  const dir = path.resolve(options.dir);
  await prepareWorldDir(dir);
  const closers = new Closers();
  const secrets = newSecrets();
  try {
    const parts = await startParts(scenario, dir, secrets, options.ports ?? {}, closers, log);
    const description = await describe(scenario, dir, secrets, parts);
    const worldFile = path.join(dir, 'world.json');
    await writeWorkspaceSettings(description.workspace.lendos, worldFile);
    await writeWorldFiles(description, worldFile);
    log(`rehearsal: world "${scenario.name}" ready in ${((performance.now() - began) / 1000).toFixed(1)} s: ${worldFile}`);
    let stopping: Promise<void> | undefined;
    const stop = () => (stopping ??= closers.closeAll().finally(() => writeMarker(dir, undefined)));
    return { description, worldFile, scenario, ...parts, stop };
  } catch (error) {
    await closers.closeAll().catch(() => undefined);
    await writeMarker(dir, undefined).catch(() => undefined);
    throw error;
  }
}
