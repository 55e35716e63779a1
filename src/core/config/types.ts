/** Configuration: the runbook's environment table and repositories, with the runbook's values as defaults. */
import type { EnvironmentName } from '../runbook/types.js';

export type ServiceName = 'pqs' | 'daml-http-json' | 'lendos-portal' | 'signing-portal';
export const SERVICE_NAMES: readonly ServiceName[] = ['pqs', 'daml-http-json', 'lendos-portal', 'signing-portal'];

export interface ServiceConfig {
  readonly name: ServiceName;
  readonly namespace: string;
  readonly deployment: string;
  readonly replicas: number;
}

export interface CantonComponent {
  readonly namespace: string;
  /** Label selector, e.g. `app=canton-participant`. */
  readonly selector: string;
}

export interface EnvironmentConfig {
  readonly name: EnvironmentName;
  /** Shown to people, e.g. "Production (BXCI)". */
  readonly label: string;
  readonly kubeContext: string;
  readonly region: string;
  /** Canton Aurora cluster id; null where the environment has none known (dev). */
  readonly cantonCluster: string | null;
  /** `run-upgrade.sh` environment argument (`staging`, `bxci`); null where no DAML upgrade runs (dev). */
  readonly upgradeArgument: string | null;
  readonly services: readonly ServiceConfig[];
  readonly canton: { readonly participant: CantonComponent; readonly domain: CantonComponent };
  /** Argo CD Applications to sync after the upgrade. */
  readonly argoApplications: readonly string[];
  /** Namespace the Argo CD Application objects live in. */
  readonly argoNamespace: string;
  /** Namespace where the upgrade Jobs run. */
  readonly upgradeNamespace: string;
  readonly urls: readonly string[];
  /** values-tags file in lendos-eks-workloads, relative to its root. */
  readonly valuesTagsFile: string;
  /**
   * Where a service's tag sits in the values-tags file when the keys above its `image:` do not spell its name, as a
   * dotted path (`lendos-portal-backend: lendos-portal.backend.image.tag`); services not listed are found by name.
   */
  readonly valuesTagsPaths: Readonly<Record<string, string>>;
  /** AWS profile for this environment's account (RDS), or null to use the default chain. */
  readonly awsProfile: string | null;
  /** Where PQS (PostgreSQL) is reached for contract counts. */
  readonly pqs: PqsConfig;
  /** What the environment is, asserted before any change: never just a context or profile name. */
  readonly identity: EnvironmentIdentity;
}

/**
 * An environment's identity: its AWS account (STS) and its cluster (the UID of its `kube-system` namespace, created
 * once per cluster, and its API server). Null until recorded: the first change to the environment shows what it
 * found and records it (`.lendos/config.yaml`), and every later change refuses on a mismatch.
 */
export interface EnvironmentIdentity {
  /** 12-digit AWS account id. */
  readonly account: string | null;
  readonly clusterUid: string | null;
  /** The API server URL. */
  readonly server: string | null;
}

/** PQS connection: a connection string, or a Kubernetes Secret key holding one. */
export interface PqsConfig {
  /** `postgres://user:pass@host:port/db`; null to read it from the Secret. */
  readonly connection: string | null;
  readonly secret: { readonly namespace: string; readonly name: string; readonly key: string };
}

/** The cluster lock taken for the upgrade procedure. */
export interface LeaseConfig {
  readonly name: string;
  readonly namespace: string;
  readonly durationSeconds: number;
}

/** What the validation step looks for in the backends' logs (regular expressions). */
export interface ValidationConfig {
  readonly ledgerPattern: string;
  readonly darPattern: string;
  readonly backends: readonly { readonly namespace: string; readonly deployment: string }[];
}

export interface RepositoriesConfig {
  /** GitHub owner (organisation) of both repositories. */
  readonly owner: string;
  readonly lendos: string;
  readonly workloads: string;
  /** Path of the lendos-eks-workloads clone, absolute or relative to the lendos workspace. */
  readonly workloadsPath: string;
}

export interface EcrConfig {
  readonly upgradeRepository: string;
  /** ECR repository of each image the release promotes. */
  readonly serviceRepositories: Readonly<Record<string, string>>;
}

/** GitHub for Phase 2 and 3: where its API is and who approves a release for product. */
export interface GitHubConfig {
  /** `https://api.github.com`, or a GitHub Enterprise `https://host/api/v3`. */
  readonly apiUrl: string;
  /** Logins whose approval (a review, or a `/approve staging|production` comment) counts as product's. */
  readonly productApprovers: readonly string[];
  /** `org/team` whose members approve for product, besides `productApprovers`; null for none. */
  readonly productApproverTeam: string | null;
  /** Seconds between two looks for product's approval on the release PR while a step waits for it. */
  readonly approvalPollSeconds: number;
  /** How long 2.2 waits for the main build's first Actions run to appear after the merge before it says so. */
  readonly buildStartTimeoutSeconds: number;
}

export interface LendosConfig {
  readonly environments: Readonly<Record<EnvironmentName, EnvironmentConfig>>;
  readonly repositories: RepositoriesConfig;
  readonly ecr: EcrConfig;
  readonly aws: { readonly artifactsProfile: string; readonly region: string };
  readonly kubeconfig: string | null;
  readonly lease: LeaseConfig;
  readonly validation: ValidationConfig;
  readonly github: GitHubConfig;
}

/** A problem found while reading configuration: where, and what to do. */
export interface ConfigProblem {
  readonly path: string;
  readonly message: string;
}
