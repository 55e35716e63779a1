/**
 * Contracts between the parts of the rehearsal world (Kubernetes, AWS, GitHub, git remotes) and its composer.
 * Each part is a loopback HTTP server (or a set of bare repositories) built from these inputs.
 */

export type UpgradeStage =
  | 'upload-dars'
  | 'init-upgrade-coordinator'
  | 'initialize-upgraders'
  | 'upgrade-consent'
  | 'upgrade'
  | 'cleanup-upgraders'
  | 'cleanup-coordinator';

/** The clusters a release deploys and upgrades (PQS, RDS, the DAML upgrade): staging and production. */
export type ClusterName = 'staging' | 'production';

/** Every Kubernetes cluster of the world: the release's two, and dev (runbook Section 4: no DAML upgrade, no PQS). */
export type KubeClusterName = ClusterName | 'dev';

/** A fault a scenario injects. Each server acts on the kinds that concern it and ignores the rest. */
export type Fault =
  | { kind: 'stage-fails'; stage: UpgradeStage; cluster?: ClusterName; times?: number; message?: string }
  | { kind: 'job-never-starts'; stage: UpgradeStage; cluster?: ClusterName }
  | { kind: 'snapshot-slow'; factor: number }
  | { kind: 'snapshot-fails'; message?: string }
  | { kind: 'restore-fails' }
  | { kind: 'pr-without-approval' }
  | { kind: 'milestone-open-issues'; open: number }
  | { kind: 'tag-missing-from-ecr'; repository: string; tag: string }
  | { kind: 'watch-drop'; cluster?: ClusterName; afterEvents: number }
  | { kind: 'api-errors'; service: 'kube' | 'ecr' | 'rds' | 'github'; status: 500 | 429 | 503; every: number }
  | { kind: 'expired-credentials'; service: 'ecr' | 'rds' }
  | { kind: 'selfheal'; application: string; cluster?: ClusterName }
  | { kind: 'script-fails'; script: 'generate-upgrade' | 'docker-build' | 'run-upgrade'; exitCode: number }
  /** Someone renews a Lease between a client's read and write: its first `times` writes (default 1) get 409 Conflict. */
  | { kind: 'lease-contended'; cluster?: ClusterName; times?: number }
  /** Develop bumps VERSION for the next release once the release PR merges into main: the main → develop sync conflicts. */
  | { kind: 'gitflow-conflict' }
  /** The main build after a merge to lendos `main`: its "Build and Publish" run fails (pushing nothing), or never starts. */
  | { kind: 'main-build'; outcome: 'failure' | 'never-starts' }
  /**
   * Dev's `data-loader-service` PreSync hook Job fails on every sync of `application` (an Argo CD Application, or its
   * portal, e.g. `lendos-portal`; all of dev's when absent): the sync ends Failed and leaves the deployments as they were.
   */
  | { kind: 'data-loader-fails'; application?: string };

/** Durations in milliseconds of world time; the clock scales them by `timeScale`. */
export interface ScenarioDurations {
  podReady: number;
  podTerminate: number;
  stage: number;
  /** Per-stage override of `stage`. */
  stages?: Partial<Record<UpgradeStage, number>>;
  snapshot: number;
  restore: number;
  argoSync: number;
  mainBuild: number;
}

export interface Scenario {
  name: string;
  description: string;
  seed: number;
  /** 1 = real time; 0.01 = a hundred times faster. */
  timeScale: number;
  durations: ScenarioDurations;
  faults: Fault[];
}

/** Scaled time, and a deterministic random source seeded by the scenario. */
export interface WorldClock {
  now(): Date;
  /** Waits `worldMs` of world time (i.e. `worldMs * timeScale` real ms). */
  sleep(worldMs: number): Promise<void>;
  /** Deterministic pseudo-random number in [0, 1). */
  random(): number;
}

export interface RunningServer {
  /** e.g. `http://127.0.0.1:41234` */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Static AWS credentials the world accepts; requests must be SigV4-signed with them. */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface EcrImageInput {
  repository: string;
  tags: string[];
  /** Image manifest JSON (a small OCI manifest is fine); the digest is its sha256. */
  manifest?: string;
  sizeBytes?: number;
  pushedAt?: Date;
}

export interface EcrImage {
  repository: string;
  tags: string[];
  digest: string;
  sizeBytes: number;
  pushedAt: Date;
  manifest: string;
}

/** The ECR store behind the ECR server; the GitHub "main build" pushes into it. */
export interface EcrRegistry {
  putImage(input: EcrImageInput): EcrImage;
  images(repository: string): EcrImage[];
  repositories(): string[];
}

/** A Secret a cluster holds from the start; `stringData` ends up base64 in `data`, as the API server stores it. */
export interface SeedSecret {
  namespace: string;
  name: string;
  stringData: Record<string, string>;
  labels?: Record<string, string>;
}

/** A stage Job of the daml-upgrade chart whose pods all succeeded, reported before the Job is marked Complete. */
export interface StageSucceeded {
  cluster: ClusterName;
  stage: UpgradeStage;
  /** The Job's `io.lendos.app/current-version` label: the DAML version the upgrade moves to. */
  toVersion?: string;
  namespace: string;
  job: string;
}

/** Work that lands with a succeeded stage (PQS following the upgrade); the Job completes once it settles. */
export type StageSucceededHook = (event: StageSucceeded) => Promise<void>;

/** Reads `{ service image key → tag }` from the workloads repository's values-tags file of a cluster (main branch). */
export type ValuesTagsReader = (cluster: KubeClusterName) => Promise<Record<string, string>>;

/** What `rehearse --headless` writes to DIR/world.json, and what tests and the extension read. */
export interface WorldDescription {
  scenario: string;
  kubeconfig: string;
  contexts: Record<KubeClusterName, string>;
  kube: Record<KubeClusterName, { url: string; token: string }>;
  aws: {
    region: string;
    ecrEndpoint: string;
    rdsEndpoint: string;
    /** STS (GetCallerIdentity tells the runbook profiles' accounts apart). */
    stsEndpoint: string;
    /** Shared config/credentials files defining the runbook's profiles with the world's static keys. */
    configFile: string;
    credentialsFile: string;
    credentials: AwsCredentials;
  };
  github: {
    apiUrl: string;
    token: string;
    owner: string;
    /** Logins whose review counts as product's (the world's approver). */
    productApprovers: string[];
    /** The product approver's own token (the first of productApprovers): to review or comment as product in a rehearsal. */
    approverToken: string;
  };
  /** Each environment's frontend URLs (lendos-portal, then signing-portal): 200 while the portal has a ready pod, else 503. */
  urls: Record<KubeClusterName, string[]>;
  /**
   * What each environment is, as the release asserts it before any change: the AWS account of its profile, the UID of
   * its cluster's kube-system namespace and its API server; the kubeconfig names each cluster by its EKS ARN.
   */
  identities: Record<KubeClusterName, { account: string; clusterUid: string; server: string; eksCluster: string }>;
  /** PQS (PostgreSQL) per cluster; absent when the machine has no PostgreSQL binaries. */
  pqs?: Record<ClusterName, { url: string }>;
  remotes: { lendos: string; workloads: string };
  workspace: { lendos: string; workloads: string };
  /** The world's folder (holds world.json, world.env, kubeconfig, aws/, remotes/, workspace/). */
  dir: string;
  /** Process serving the world; a world.json whose process is gone is stale. */
  pid: number;
  /** ISO 8601 time the world became ready. */
  startedAt: string;
  /** The variables of `world.env` (KUBECONFIG, AWS_*, GITHUB_*), for a child process's environment. */
  env: Record<string, string>;
  /** The world's tool wrappers (`aws`), which world.env puts first on PATH. */
  bin: string;
}
