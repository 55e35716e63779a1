/**
 * The bad-input suite's world: one rehearsal world, the built CLI run as a child process (stdin not a TTY), and a
 * fingerprint of everything a bad input must not change — both clusters, the git remotes and the workspace clone,
 * ECR, RDS, and the files under `.lendos/` (journal, active release, step locks, config).
 */
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as k8s from '@kubernetes/client-node';
import type { ClusterName, World, WorldDescription } from '../../rehearsal/src/index.js';
import {
  kubeConfig,
  run,
  startTestWorld,
  type ProcessResult,
  type TestWorld,
} from './rehearsal/world-helpers.js';

export const VERSION = '2025.4.0';
export const CLI = path.resolve('dist/cli.js');
export const CLUSTERS: readonly ClusterName[] = ['staging', 'production'];
/** The upgrade procedure's cluster lock (config `lease`, its defaults). */
export const LEASE = { name: 'lendos-release-upgrade', namespace: 'lendos-portal' };

interface Clients {
  apps: k8s.AppsV1Api;
  batch: k8s.BatchV1Api;
  coordination: k8s.CoordinationV1Api;
  custom: k8s.CustomObjectsApi;
}

/** What a bad input must leave as it was. */
export interface Fingerprint {
  cluster: Record<string, ClusterFingerprint>;
  git: Record<string, string>;
  ecr: Record<string, string[]>;
  rds: string[];
  /** Every file under the workspace's `.lendos/` (relative path → text): journals, `active`, step locks, config. */
  files: Record<string, string>;
}

interface ClusterFingerprint {
  replicas: Record<string, number | null>;
  jobs: string[];
  leases: Record<string, { holder: string | null; resourceVersion: string | null }>;
  syncPolicies: Record<string, unknown>;
}

const key = (o: { metadata?: { namespace?: string; name?: string } }) =>
  `${o.metadata?.namespace}/${o.metadata?.name}`;

/** This process's environment without AWS, Kubernetes, GitHub or LendOS settings: the CLI learns the world from --world. */
function cliEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(AWS_|KUBE|LENDOS_|GITHUB_)/.test(k)),
  );
}

export class BadInputWorld {
  private baseline = new Map<string, Buffer>();

  private constructor(
    private readonly t: TestWorld,
    private readonly clients: Record<ClusterName, Clients>,
    /** Scratch folder of the suite: world.json copies, kubeconfig and AWS file copies. */
    readonly scratch: string,
  ) {}

  /** Builds the CLI (before the world starts: a synchronous child would stall the world's servers), starts the world. */
  static async start(): Promise<BadInputWorld> {
    execFileSync(process.execPath, ['esbuild.mjs'], { stdio: 'ignore' });
    const t = await startTestWorld('fast');
    const clients = Object.fromEntries(
      CLUSTERS.map((cluster) => {
        const kc = kubeConfig(t.world, cluster);
        const made: Clients = {
          apps: kc.makeApiClient(k8s.AppsV1Api),
          batch: kc.makeApiClient(k8s.BatchV1Api),
          coordination: kc.makeApiClient(k8s.CoordinationV1Api),
          custom: kc.makeApiClient(k8s.CustomObjectsApi),
        };
        return [cluster, made];
      }),
    ) as Record<ClusterName, Clients>;
    return new BadInputWorld(t, clients, mkdtempSync(path.join(tmpdir(), 'lendos-bad-input-')));
  }

  async stop(): Promise<void> {
    rmSync(this.scratch, { recursive: true, force: true });
    await this.t.cleanup();
  }

  get world(): World {
    return this.t.world;
  }
  get description(): WorldDescription {
    return this.t.world.description;
  }
  get workspace(): string {
    return this.description.workspace.lendos;
  }
  get journal(): string {
    return path.join(this.workspace, '.lendos', 'runs', `${VERSION}.jsonl`);
  }

  /** A path in the scratch folder. */
  tmp(name: string): string {
    return path.join(this.scratch, name);
  }

  /**
   * `node dist/cli.js <command> --world FILE <rest…>` in the workspace clone; `worldFile` null leaves --world out.
   * Asynchronous: the world's servers run in this very process.
   */
  lendos(argv: readonly string[], worldFile: string | null = this.t.world.worldFile): Promise<ProcessResult> {
    const [command = '', ...rest] = argv;
    const args = worldFile === null ? [command, ...rest] : [command, '--world', worldFile, ...rest];
    return run(process.execPath, [CLI, ...args], { cwd: this.workspace, env: cliEnv() });
  }

  /** Runs a preparation command, which must succeed. */
  async must(...argv: string[]): Promise<void> {
    const result = await this.lendos(argv);
    if (result.code !== 0) {
      throw new Error(
        `preparing the suite: lendos ${argv.join(' ')} exited ${result.code}\n${result.stdout}${result.stderr}`,
      );
    }
  }

  /** Remembers `.lendos/` as it is now; `restore` brings it back after each case. */
  snapshotBaseline(): void {
    this.baseline = new Map(
      listFiles(this.lendosDir).map((file) => [file, readFileSync(path.join(this.lendosDir, file))]),
    );
  }

  /** `.lendos/` as in the baseline: files the case (or the product) added are removed, changed ones rewritten. */
  restore(): void {
    for (const file of listFiles(this.lendosDir)) {
      if (!this.baseline.has(file)) rmSync(path.join(this.lendosDir, file), { force: true });
    }
    for (const [file, bytes] of this.baseline) {
      const where = path.join(this.lendosDir, file);
      mkdirSync(path.dirname(where), { recursive: true });
      if (!existsSync(where) || !readFileSync(where).equals(bytes)) writeFileSync(where, bytes);
    }
  }

  private get lendosDir(): string {
    return path.join(this.workspace, '.lendos');
  }

  writeConfig(yaml: string): void {
    mkdirSync(this.lendosDir, { recursive: true });
    writeFileSync(path.join(this.lendosDir, 'config.yaml'), yaml);
  }

  /** A copy of world.json with `change` applied, in the scratch folder. */
  worldCopy(name: string, change: (world: WorldDescription) => void): string {
    const world = JSON.parse(readFileSync(this.t.world.worldFile, 'utf8')) as WorldDescription;
    change(world);
    const file = this.tmp(name);
    writeFileSync(file, JSON.stringify(world, null, 2));
    return file;
  }

  /** Plants the upgrade lock in `cluster`, held by `holder` and renewed now. */
  async plantLease(cluster: ClusterName, holder: string): Promise<void> {
    const now = new k8s.V1MicroTime(new Date().toISOString());
    await this.clients[cluster].coordination.createNamespacedLease({
      namespace: LEASE.namespace,
      body: {
        metadata: { name: LEASE.name },
        spec: { holderIdentity: holder, leaseDurationSeconds: 600, acquireTime: now, renewTime: now },
      },
    });
  }

  async deleteLease(cluster: ClusterName): Promise<void> {
    await this.clients[cluster].coordination.deleteNamespacedLease({ ...LEASE }).catch(() => undefined);
  }

  async fingerprint(): Promise<Fingerprint> {
    const cluster = Object.fromEntries(
      await Promise.all(CLUSTERS.map(async (name) => [name, await this.clusterFingerprint(name)] as const)),
    );
    const { remotes } = this.description;
    const git = async (dir: string, ...args: string[]) => {
      const result = await run('git', ['-C', dir, ...args], { cwd: dir, env: process.env });
      if (result.code !== 0) throw new Error(`git ${args.join(' ')} in ${dir}: ${result.stderr}`);
      return result.stdout;
    };
    const refs = (dir: string) => git(dir, 'for-each-ref', '--format=%(refname) %(objectname)');
    const [lendosRemote, workloadsRemote, workspaceRefs, head, status] = await Promise.all([
      refs(remotes.lendos),
      refs(remotes.workloads),
      refs(this.workspace),
      git(this.workspace, 'rev-parse', '--symbolic-full-name', 'HEAD', 'HEAD'),
      git(this.workspace, 'status', '--porcelain', '--untracked-files=all'),
    ]);
    const version = readFileSync(path.join(this.workspace, 'VERSION'), 'utf8');
    const { ecr } = this.world;
    return {
      cluster,
      git: { lendosRemote, workloadsRemote, workspaceRefs, head, status, version },
      ecr: Object.fromEntries(
        [...ecr.repositories()].sort().map((repo) => [
          repo,
          ecr
            .images(repo)
            .map((i) => `${i.digest} ${[...i.tags].sort().join(',')}`)
            .sort(),
        ]),
      ),
      rds: this.world.aws.rds
        .snapshots()
        .map((s) => `${s.account} ${s.clusterIdentifier} ${s.identifier} ${s.type} ${s.status}`)
        .sort(),
      files: Object.fromEntries(
        listFiles(this.lendosDir).map((file) => [
          file,
          readFileSync(path.join(this.lendosDir, file), 'utf8'),
        ]),
      ),
    };
  }

  private async clusterFingerprint(name: ClusterName): Promise<ClusterFingerprint> {
    const { apps, batch, coordination, custom } = this.clients[name];
    const [deployments, jobs, leases, applications] = await Promise.all([
      apps.listDeploymentForAllNamespaces(),
      batch.listJobForAllNamespaces(),
      coordination.listLeaseForAllNamespaces(),
      custom.listClusterCustomObject({
        group: 'argoproj.io',
        version: 'v1alpha1',
        plural: 'applications',
      }) as Promise<{
        items: { metadata?: { namespace?: string; name?: string }; spec?: { syncPolicy?: unknown } }[];
      }>,
    ]);
    return {
      replicas: Object.fromEntries(deployments.items.map((d) => [key(d), d.spec?.replicas ?? null])),
      jobs: jobs.items.map((j) => `${key(j)} ${j.metadata?.uid}`).sort(),
      leases: Object.fromEntries(
        leases.items.map((l) => [
          key(l),
          { holder: l.spec?.holderIdentity ?? null, resourceVersion: l.metadata?.resourceVersion ?? null },
        ]),
      ),
      syncPolicies: Object.fromEntries(applications.items.map((a) => [key(a), a.spec?.syncPolicy ?? null])),
    };
  }
}

/** Files under `dir`, relative, sorted; none when it does not exist. */
function listFiles(dir: string, prefix = ''): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const relative = path.join(prefix, entry.name);
      return entry.isDirectory() ? listFiles(path.join(dir, entry.name), relative) : [relative];
    })
    .sort();
}

/** Where two values differ, one line per leaf path (`cluster.staging.replicas.pqs/pqs: 1 → 0`). */
export function differences(before: unknown, after: unknown, at = ''): string[] {
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  const record = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (record(before) && record(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((k) => differences(before[k], after[k], at ? `${at}.${k}` : k));
  }
  const show = (v: unknown) => (JSON.stringify(v) ?? 'absent').slice(0, 600);
  return [`${at}: ${show(before)} → ${show(after)}`];
}
