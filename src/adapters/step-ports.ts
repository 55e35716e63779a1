/** Builds the ports steps run with, for the real world or a rehearsal world (from its world.json). */
import { environmentAwsOptions, lazyAwsIdentity, lazyEcr, lazyRds } from './aws/lazy.js';
import { GitCli } from './git.js';
import { lazyGitHub, type GitHubOptions } from './github/lazy.js';
import { repoOfRemoteUrl } from './github/remote.js';
import { findToken } from './github/token.js';
import { FetchHttpProbe } from './http-probe.js';
import { lazyKube } from './kube/lazy.js';
import { lazyPqs, pqsOptionsFor } from './pqs/lazy.js';
import { NodeProcesses } from './processes.js';
import type { LendosConfig } from '../core/config/types.js';
import type { UpgradePorts } from '../ports.js';

/** The parts of a rehearsal's world.json that the ports need. */
export interface RehearsalWorld {
  readonly kubeconfig: string;
  readonly aws: {
    readonly region: string;
    readonly ecrEndpoint: string;
    readonly rdsEndpoint: string;
    readonly stsEndpoint: string;
    readonly configFile: string;
    readonly credentialsFile: string;
  };
  readonly pqs?: Partial<Record<string, { readonly url: string }>>;
  /** The world's frontend URLs per environment (lendos-portal, then signing-portal). */
  readonly urls?: Partial<Record<string, readonly string[]>>;
  /** Each environment's identity in the world (its account, cluster UID and server). */
  readonly identities?: Partial<Record<string, { readonly account: string; readonly clusterUid: string; readonly server: string }>>;
  /** The world's GitHub server and its token. */
  readonly github?: { readonly apiUrl: string; readonly token: string; readonly owner: string };
  /** KUBECONFIG, AWS_*, GITHUB_*, LENDOS_PQS_URL_* for child processes. */
  readonly env?: Readonly<Record<string, string>>;
}

export type StepPorts = UpgradePorts;

/** GitHub's options: a rehearsal's own server and token, else the configured API with the first token found. */
function githubOptions(config: () => LendosConfig, world: () => RehearsalWorld | undefined, session: GitHubSession | undefined, onWait?: (line: string) => void) {
  return async (): Promise<GitHubOptions> => {
    const w = world()?.github;
    if (w) return { baseUrl: w.apiUrl, token: w.token, tokenSource: 'the rehearsal world', onWait };
    const apiUrl = config().github.apiUrl;
    const found = await findToken(apiUrl, session);
    return { baseUrl: apiUrl, token: found.token, tokenSource: found.source, onWait };
  };
}

/** The editor's GitHub authentication session's token (silently: never a sign-in prompt), if there is one. */
export type GitHubSession = () => Promise<string | undefined>;

export function createStepPorts(
  root: string,
  config: () => LendosConfig,
  world: () => RehearsalWorld | undefined,
  actor: () => Promise<string>,
  githubSession?: GitHubSession,
): StepPorts {
  const env = (name: 'staging' | 'production') => config().environments[name];
  const kube = lazyKube(() => ({ kubeconfig: world()?.kubeconfig ?? config().kubeconfig }));
  const git = new GitCli();
  return {
    workspaceRoot: root,
    git,
    github: (onWait) => lazyGitHub(githubOptions(config, world, githubSession, onWait))(),
    repositories: async () => {
      const { owner, lendos, workloads } = config().repositories;
      const origin = await git.remoteUrl(root, 'origin').catch(() => undefined);
      const fromOrigin = origin ? repoOfRemoteUrl(origin) : undefined;
      const lendosRepo = fromOrigin ?? { owner: world()?.github?.owner ?? owner, name: lendos };
      return { lendos: lendosRepo, workloads: { owner: lendosRepo.owner, name: workloads } };
    },
    processes: new NodeProcesses(),
    ecr: lazyEcr(() => {
      const w = world();
      const cfg = config();
      return {
        region: w?.aws.region ?? cfg.aws.region,
        profile: cfg.aws.artifactsProfile,
        ...(w ? { endpoint: w.aws.ecrEndpoint, configFile: w.aws.configFile, credentialsFile: w.aws.credentialsFile } : {}),
      };
    }),
    kube,
    rds: (name) => lazyRds(() => environmentAwsOptions(env(name), 'rds', world()?.aws))(),
    identity: (name) => lazyAwsIdentity(() => environmentAwsOptions(env(name), 'sts', world()?.aws))(),
    pqs: (name) => lazyPqs(() => pqsOptionsFor(env(name), world(), async (...at) => (await kube()).readSecret(...at)))(),
    http: new FetchHttpProbe(),
    actor,
    recordIdentity: async (environment, identity) => {
      const { recordIdentity } = await import('./config-file.js');
      const values = Object.fromEntries(Object.entries(identity).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
      return recordIdentity(root, environment, values);
    },
    get scriptEnv() {
      const w = world();
      if (!w) return {};
      return {
        ...(w.env ?? {}),
        KUBECONFIG: w.kubeconfig,
        AWS_ENDPOINT_URL_ECR: w.aws.ecrEndpoint,
        AWS_CONFIG_FILE: w.aws.configFile,
        AWS_SHARED_CREDENTIALS_FILE: w.aws.credentialsFile,
      };
    },
  };
}
