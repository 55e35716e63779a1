/** The interfaces steps and the engine need from the outside world. Adapters implement them. */
import { brand, hasBrand } from './core/errors.js';
import type { JournalEvent, JournalWarning } from './core/journal/types.js';
import type { RunOwner } from './core/run-owner.js';
import type { GitHub, RepoRef } from './ports-github.js';

export interface JournalRead {
  readonly events: JournalEvent[];
  readonly warnings: JournalWarning[];
}

/** Append-only journals, one per release, plus which release is active. */
export interface JournalStore {
  /** Versions that have a journal, in no particular order. */
  list(): Promise<string[]>;
  read(version: string): Promise<JournalRead>;
  /** Appends one event as one line, durably (single write + fsync). */
  append(event: JournalEvent): Promise<void>;
  exists(version: string): Promise<boolean>;
  activeRelease(): Promise<string | undefined>;
  setActiveRelease(version: string): Promise<void>;
  /** Where the release's journal lives, for "Show Journal". */
  pathOf(version: string): string;
}

/** A step's lock, held by one run until it is released. */
export interface RunLock {
  release(): Promise<void>;
}

/**
 * One runner per step across processes and windows: a lock per step (an upgrade stage shares its procedure run's)
 * that names its run. A holder whose process is gone is replaced; a live one is answered instead.
 */
export interface RunLocks {
  /** This machine's name and this process's id and start, for new runs' owners. */
  readonly host: string;
  readonly pid: number;
  readonly pidStart?: number;
  acquire(version: string, key: string, owner: RunOwner): Promise<RunLock | { readonly heldBy: RunOwner; readonly file: string }>;
  /** Whether a run's process still runs it: true/false on this machine, undefined for another machine's run. */
  isAlive(owner: Pick<RunOwner, 'id' | 'pid' | 'host' | 'pidStart'>): boolean | undefined;
}

/** Read-only facts about the workspace repository. */
export interface WorkspaceRepo {
  readonly root: string;
  /** Whether `root` is inside a git work tree. */
  isGitRepository(): Promise<boolean>;
  /** Local and remote-tracking branch names (`develop`, `release/2025.3.0`, `origin/release/2025.3.0`). */
  branches(): Promise<string[]>;
  /** The VERSION file at the repository root, or undefined when there is none. */
  readVersionFile(): Promise<string | undefined>;
  /** `Name <email>` from git config, falling back to the OS user. */
  actor(): Promise<string>;
}

export interface Clock {
  now(): Date;
  /** Resolves after `ms`; rejects with the signal's reason as soon as `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

// ── Phase 1: git, processes, ECR ───────────────────────────────────────────────────────────────────────

/** One line of `git status --porcelain`: the two-letter XY code (`??` untracked, ` M` modified, …) and the path. */
export interface GitStatusEntry {
  readonly code: string;
  readonly path: string;
}

export interface GitCommit {
  readonly sha: string;
  /** Committer date, ISO 8601. */
  readonly date: string;
}

/**
 * The git operations steps need, each run in the repository at `cwd`. Failures throw an error carrying the command and
 * stderr. The network calls take the step's signal: aborting it ends git and whatever git started (ssh, a remote
 * helper) mid-flight, and the call rejects with the signal's reason. Git removes its lock files as it stops; a lock left
 * by a git killed outright (or still running) is named, with what to do, in the next command's error.
 */
export interface Git {
  /** `git fetch --prune <remote>`. */
  fetch(cwd: string, remote: string, signal?: AbortSignal): Promise<void>;
  /** `git clone <url> <dir>` (`dir` must not exist or be empty); cancelled mid-flight by `signal`. */
  clone(url: string, dir: string, signal?: AbortSignal): Promise<void>;
  /** `git status --porcelain`, limited to `paths` when given; untracked files only when `untracked` is true. */
  status(
    cwd: string,
    options?: { paths?: readonly string[]; untracked?: boolean },
  ): Promise<GitStatusEntry[]>;
  /** The checked-out branch, or undefined on a detached HEAD. */
  currentBranch(cwd: string): Promise<string | undefined>;
  checkout(cwd: string, branch: string): Promise<void>;
  /** `git pull --ff-only <remote> <branch>` into the checked-out branch; a cancel stops the fetch, never the merge. */
  pullFastForward(cwd: string, remote: string, branch: string, signal?: AbortSignal): Promise<void>;
  /** The commit a ref names, or undefined when it does not exist. */
  revParse(cwd: string, ref: string): Promise<string | undefined>;
  localBranchExists(cwd: string, branch: string): Promise<boolean>;
  /** `git remote get-url <remote>`, or undefined when there is no such remote. */
  remoteUrl(cwd: string, remote: string): Promise<string | undefined>;
  /** Whether the remote-tracking branch `<remote>/<branch>` exists (as of the last fetch). */
  remoteBranchExists(cwd: string, remote: string, branch: string): Promise<boolean>;
  /** `git merge-base --is-ancestor`. */
  isAncestor(cwd: string, ancestor: string, descendant: string): Promise<boolean>;
  /** The best common ancestor, or undefined for unrelated histories. */
  mergeBase(cwd: string, a: string, b: string): Promise<string | undefined>;
  /** How many commits `to` has that `from` has not (`git rev-list --count from..to`). */
  countCommits(cwd: string, from: string, to: string): Promise<number>;
  /** `git branch <branch> <startPoint>`. */
  createBranch(cwd: string, branch: string, startPoint: string): Promise<void>;
  /** `git push [-u] <remote> <branch>`. */
  push(cwd: string, remote: string, branch: string, options?: { setUpstream?: boolean; signal?: AbortSignal }): Promise<void>;
  /** A file's content at a ref, or undefined when the file is not there. */
  showFile(cwd: string, ref: string, path: string): Promise<string | undefined>;
  /** Every file path at a ref (`git ls-tree -r --name-only`). */
  listFiles(cwd: string, ref: string): Promise<string[]>;
  /** Writes `content` to `path` (relative to cwd), stages and commits only that file; answers the new commit. */
  commitFile(cwd: string, file: { path: string; content: string; message: string }): Promise<string>;
  /** Stages every change under `paths` (additions and deletions) and commits only those; undefined when nothing changed. */
  commitPaths(cwd: string, paths: readonly string[], message: string): Promise<string | undefined>;
  /** `git diff <from> <to> -- <path>` (`to` omitted: against the working tree). */
  diffFile(cwd: string, path: string, from: string, to?: string): Promise<string>;
  /** The newest commit at `ref` (touching `path` when given), or undefined. */
  lastCommit(cwd: string, ref: string, path?: string): Promise<GitCommit | undefined>;
  /**
   * The files that conflict when `theirs` is merged into `ours` (a test merge without a worktree: nothing changes);
   * empty when they merge cleanly, undefined when this git cannot tell (`merge-tree --write-tree` needs git 2.38).
   */
  conflictingFiles(cwd: string, ours: string, theirs: string): Promise<string[] | undefined>;
}

export interface ProcessRequest {
  /** An executable path or name; never a shell string. */
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  /** Added to the inherited environment. */
  readonly env?: Readonly<Record<string, string>>;
  /** Aborting kills the whole process group. */
  readonly signal?: AbortSignal;
  readonly onOutput?: (chunk: string, stream: 'stdout' | 'stderr') => void;
  /** Called once the process runs, with its pid (also its process group's id). */
  readonly onStart?: (pid: number) => void;
}

export interface ProcessResult {
  /** Null when a signal ended it. */
  readonly exitCode: number | null;
  readonly signal: string | null;
}

/** Runs programs with argument arrays in their own process group. */
export interface Processes {
  run(request: ProcessRequest): Promise<ProcessResult>;
  /**
   * Whether the process group that `run` started as `pid` still has a process on this machine; when its leader is
   * still there, it must work in `cwd` (so a reused pid is not taken for it).
   */
  isRunning(pid: number, cwd: string): Promise<boolean>;
}

export interface EcrImage {
  readonly tag: string;
  readonly digest: string;
  readonly sizeBytes: number;
  /** ISO 8601. */
  readonly pushedAt: string;
}

/** Read-only ECR; credential problems throw a UserError naming the profile and how to log in. */
export interface Ecr {
  /** The images of the given tags that exist, one entry per tag found. */
  describeImages(repository: string, tags: readonly string[]): Promise<EcrImage[]>;
  /** Every tagged image of the repository, one entry per tag. */
  listImages(repository: string): Promise<EcrImage[]>;
}

/** What the Phase 1 steps need from the world. */
export interface Phase1Ports {
  /** The lendos repository's working tree. */
  readonly workspaceRoot: string;
  readonly git: Git;
  readonly processes: Processes;
  /** The ECR client of the artifacts account, loaded on first use. */
  ecr(): Promise<Ecr>;
  /** Extra environment for the repository's scripts (e.g. rehearsal endpoints); the step adds AWS_PROFILE. */
  readonly scriptEnv: Readonly<Record<string, string>>;
}

// ── Section 3: the DAML upgrade procedure (issue 5). Kube-facing ports are added below by the Kubernetes work. ──

export interface DbClusterSnapshot {
  readonly id: string;
  readonly arn: string;
  readonly cluster: string;
  /** creating | available | failed | deleting | … as RDS reports it. */
  readonly status: string;
  readonly percentProgress: number;
  /** ISO 8601, when RDS reports it. */
  readonly createdAt?: string;
}

/** An Aurora cluster as the rollback needs it: what a restore under its identifier must repeat. */
export interface DbClusterDetails {
  readonly id: string;
  readonly arn: string;
  /** available | creating | renaming | modifying | … as RDS reports it. */
  readonly status: string;
  readonly engine: string;
  readonly engineVersion: string;
  readonly subnetGroup?: string;
  readonly parameterGroup?: string;
  readonly securityGroupIds: readonly string[];
  readonly port?: number;
  readonly deletionProtection: boolean;
  /** A rename still waiting for the maintenance window. */
  readonly pendingId?: string;
  /** The cluster's instances, the writer first. */
  readonly members: readonly { readonly id: string; readonly writer: boolean }[];
}

export interface DbInstanceInfo {
  readonly id: string;
  readonly cluster: string;
  readonly instanceClass: string;
  readonly engine: string;
  /** creating | available | … */
  readonly status: string;
  readonly availabilityZone?: string;
  readonly promotionTier?: number;
}

export interface RestoreClusterRequest {
  readonly cluster: string;
  readonly snapshot: string;
  readonly engine: string;
  readonly engineVersion: string;
  readonly subnetGroup?: string;
  readonly parameterGroup?: string;
  readonly securityGroupIds: readonly string[];
  readonly port?: number;
  readonly deletionProtection: boolean;
  readonly tags: Readonly<Record<string, string>>;
}

export interface CreateInstanceRequest {
  readonly id: string;
  readonly cluster: string;
  readonly instanceClass: string;
  readonly engine: string;
  readonly availabilityZone?: string;
  readonly promotionTier?: number;
  readonly tags: Readonly<Record<string, string>>;
}

/** RDS for the environment's account; credential problems throw a UserError naming the profile and how to log in. */
export interface Rds {
  describeCluster(id: string): Promise<DbClusterDetails | undefined>;
  /** `ModifyDBCluster --new-db-cluster-identifier --apply-immediately`. */
  renameCluster(id: string, newId: string): Promise<DbClusterDetails>;
  /** A new cluster from the snapshot, without instances (Aurora's semantics). */
  restoreCluster(request: RestoreClusterRequest): Promise<DbClusterDetails>;
  createInstance(request: CreateInstanceRequest): Promise<DbInstanceInfo>;
  describeInstance(id: string): Promise<DbInstanceInfo | undefined>;
  createClusterSnapshot(cluster: string, snapshotId: string, tags?: Readonly<Record<string, string>>): Promise<DbClusterSnapshot>;
  describeSnapshot(snapshotId: string): Promise<DbClusterSnapshot | undefined>;
  /** Snapshots of a cluster, newest first. */
  listSnapshots(cluster: string): Promise<DbClusterSnapshot[]>;
}

/** Who the AWS credentials belong to (`sts get-caller-identity`). */
export interface AwsIdentity {
  callerIdentity(): Promise<{ account: string; arn: string; userId: string }>;
}

/** Active contracts per template in PQS (PostgreSQL), e.g. `{ 'Lendos.Loan:Loan': 120 }`. */
export interface Pqs {
  /** Counts active contracts of every template PQS knows (or of `templates` when given). */
  contractCounts(templates?: readonly string[]): Promise<Record<string, number>>;
  /** Active contracts per package version, e.g. `{ '0.1.92': 420 }`. */
  activeVersions(): Promise<Record<string, number>>;
  close(): Promise<void>;
}

/** A plain HTTP GET for frontend availability checks: the status code, or the network error's message. */
export interface HttpProbe {
  get(url: string, timeoutMs: number): Promise<{ status: number } | { error: string }>;
}

// ── Section 3, Kubernetes (issue 5): every call names its kube context; the kubeconfig's current context is never used. ──
import type { JsonValue } from './core/journal/types.js';
import type { ArgoApplicationInfo } from './ports-argo.js';
import type { EnvironmentName, UpgradeEnvironment } from './core/runbook/types.js';
import type { EnvironmentIdentity } from './core/config/types.js';

/** Where a kube context points, as the kubeconfig says. */
export interface KubeClusterInfo {
  readonly context: string;
  /** The API server URL of the context's cluster. */
  readonly server: string;
  readonly cluster: string;
  readonly user: string;
  /** The kubeconfig file(s) read, for messages and for a script's KUBECONFIG. */
  readonly kubeconfig: readonly string[];
}

export interface PodInfo {
  readonly name: string;
  readonly namespace: string;
  /** Pending | Running | Succeeded | Failed | Unknown. */
  readonly phase: string;
  readonly ready: boolean;
  /** Marked for deletion (terminating). */
  readonly deleting: boolean;
  readonly labels: Readonly<Record<string, string>>;
  /** Restarts summed over its containers. */
  readonly restarts: number;
  /** Main (not init) container names. */
  readonly containers: readonly string[];
  /** The images of the main containers (`repository:tag`), in the order of `containers`. */
  readonly images?: readonly string[];
  /** Main containers that have exited. */
  readonly terminated: readonly string[];
  /** The controller owning it (a ReplicaSet, a Job). */
  readonly owner?: { readonly kind: string; readonly name: string; readonly uid: string };
  /** Why it is not running yet, e.g. `ContainerCreating` or an Unschedulable message. */
  readonly waiting?: string;
  /** ISO 8601. */
  readonly startTime?: string;
}

export interface JobCondition {
  readonly type: string;
  readonly status: string;
  readonly reason?: string;
  readonly message?: string;
}

export interface JobInfo {
  readonly name: string;
  readonly namespace: string;
  readonly uid: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly active: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly conditions: readonly JobCondition[];
  readonly parallelism: number;
  readonly completions: number;
  /** ISO 8601. */
  readonly startTime?: string;
  readonly completionTime?: string;
}

/** A deployment's scale subresource. */
export interface DeploymentScale {
  /** Desired replicas (spec). */
  readonly replicas: number;
  /** Replicas that exist now (status). */
  readonly currentReplicas: number;
  /** Label selector of its pods, e.g. `app=pqs`. */
  readonly selector: string;
}

/** A coordination.k8s.io Lease. Times are ISO 8601. */
export interface LeaseRecord {
  readonly name: string;
  readonly namespace: string;
  readonly holder?: string;
  readonly durationSeconds?: number;
  readonly acquireTime?: string;
  readonly renewTime?: string;
  readonly transitions: number;
  readonly resourceVersion: string;
}

export interface LeaseSpecInput {
  /** Undefined releases the lease. */
  readonly holder?: string;
  readonly durationSeconds: number;
  readonly acquireTime?: string;
  readonly renewTime?: string;
  readonly transitions: number;
}

/** An Argo CD Application (argoproj.io/v1alpha1), as far as the procedure reads it. */
/** A create or replace refused with 409: someone else changed the object first. */
export class KubeConflict extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KubeConflict';
    brand(this, 'KubeConflict');
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return hasBrand(value, 'KubeConflict');
  }
}

export interface LogFollow {
  readonly signal: AbortSignal;
  /** Each batch of complete lines, without their timestamps, in order; never a line twice. */
  readonly onLines: (lines: readonly string[]) => void;
}

/**
 * The Kubernetes API for the upgrade procedure. Errors a person can act on are UserErrors: a context missing from the
 * kubeconfig, 401, 403 (naming verb, resource and context), a missing namespace; 5xx and 429 are retried with backoff.
 * Watches call back with the full current set after every change, re-list on 410 Gone, reconnect on dropped streams,
 * resolve when `signal` aborts, and reject only on what retrying cannot fix.
 */
/** A core/v1 Event about an object, as `kubectl get events` shows it. */
export interface KubeEvent {
  /** Normal | Warning */
  readonly type: string;
  readonly reason: string;
  readonly message: string;
  /** `Job/daml-upgrade-0-1-93-upgrade`, `Pod/…`. */
  readonly object: string;
  readonly count: number;
  /** ISO 8601, when known. */
  readonly lastTime?: string;
}

export interface Kube {
  clusterInfo(context: string): Promise<KubeClusterInfo>;
  /** The namespace's events about objects whose names start with one of `prefixes`, oldest first. */
  listEvents(context: string, namespace: string, prefixes: readonly string[]): Promise<KubeEvent[]>;
  /** `kubectl rollout restart`: stamps the Deployment's pod template, so it replaces its pods. */
  restartDeployment(context: string, namespace: string, deployment: string, at: string): Promise<void>;
  /** The UID of the cluster's `kube-system` namespace: created once per cluster, it names the cluster. */
  clusterUid(context: string): Promise<string>;
  namespaceExists(context: string, namespace: string): Promise<boolean>;
  getScale(context: string, namespace: string, deployment: string): Promise<DeploymentScale>;
  /** Merge-patch of the scale subresource. */
  setScale(context: string, namespace: string, deployment: string, replicas: number): Promise<DeploymentScale>;
  listPods(context: string, namespace: string, selector: string): Promise<PodInfo[]>;
  watchPods(context: string, namespace: string, selector: string, onChange: (pods: readonly PodInfo[]) => void, signal: AbortSignal): Promise<void>;
  /** Deletes the selected pods; answers their names. */
  deletePods(context: string, namespace: string, selector: string): Promise<string[]>;
  listJobs(context: string, namespace: string, selector: string): Promise<JobInfo[]>;
  watchJobs(context: string, namespace: string, selector: string, onChange: (jobs: readonly JobInfo[]) => void, signal: AbortSignal): Promise<void>;
  /**
   * Follows a container's log until the container has exited and all of it is read (or `signal` aborts), waiting for
   * a container that has not started; a dropped stream resumes from the last timestamp seen.
   */
  followPodLogs(context: string, namespace: string, pod: string, container: string, follow: LogFollow): Promise<void>;
  /** The last `lines` lines of each running pod of a deployment. */
  tailDeploymentLogs(context: string, namespace: string, deployment: string, lines: number): Promise<{ pod: string; lines: string[] }[]>;
  /** The last `lines` lines of the first container of every pod the selector picks, running or finished. */
  tailPodLogs(context: string, namespace: string, selector: string, lines: number): Promise<{ pod: string; lines: string[] }[]>;
  /** A Secret's data, decoded from base64; undefined when there is no such Secret. */
  readSecret(context: string, namespace: string, name: string): Promise<Readonly<Record<string, string>> | undefined>;
  getLease(context: string, namespace: string, name: string): Promise<LeaseRecord | undefined>;
  /** Throws KubeConflict when it already exists. */
  createLease(context: string, namespace: string, name: string, spec: LeaseSpecInput): Promise<LeaseRecord>;
  /** Replaces `lease` at its resourceVersion; throws KubeConflict when it changed meanwhile. */
  replaceLease(context: string, lease: LeaseRecord, spec: LeaseSpecInput): Promise<LeaseRecord>;
  listApplications(context: string, namespace: string): Promise<ArgoApplicationInfo[]>;
  getApplication(context: string, namespace: string, name: string): Promise<ArgoApplicationInfo | undefined>;
  /** JSON merge-patch (a null value removes the field). */
  patchApplication(context: string, namespace: string, name: string, patch: { readonly [key: string]: JsonValue }): Promise<ArgoApplicationInfo>;
  watchApplications(context: string, namespace: string, onChange: (apps: readonly ArgoApplicationInfo[]) => void, signal: AbortSignal): Promise<void>;
}

/** What the Section 3 procedure steps need; `pqs`, `rds` and `identity` throw a UserError (reason `not-configured`) when unset. */
export interface UpgradePorts extends Phase1Ports {
  /** The Kubernetes client, loaded on first use. */
  kube(): Promise<Kube>;
  pqs(environment: UpgradeEnvironment): Promise<Pqs>;
  rds(environment: UpgradeEnvironment): Promise<Rds>;
  identity(environment: UpgradeEnvironment): Promise<AwsIdentity>;
  readonly http: HttpProbe;
  /** `Name <email>` of the person running the step (git config). */
  actor(): Promise<string>;
  /** GitHub, loaded on first use; `onWait` hears of every rate-limit or retry wait. */
  github(onWait?: (line: string) => void): Promise<GitHub>;
  /** The lendos repository (from the workspace's `origin` remote) and lendos-eks-workloads (same owner, configured name). */
  repositories(): Promise<{ readonly lendos: RepoRef; readonly workloads: RepoRef }>;
  /** Records (part of) an environment's identity in `.lendos/config.yaml`; answers the file's path. */
  recordIdentity(environment: EnvironmentName, identity: Partial<EnvironmentIdentity>): Promise<string>;
}

export * from './ports-github.js';
export * from './ports-argo.js';
