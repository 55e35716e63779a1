/** The world's description (world.json) and the kubeconfig naming each cluster by its EKS ARN. */
import { writeToolWrappers } from './tool-wrappers.js';
import path from 'node:path';
import { ACCOUNTS, WORLD_REGION, writeAwsConfig, type AwsServer } from './aws/index.js';
import type { AwsCredentials, KubeClusterName, Scenario, WorldDescription } from './contracts.js';
import type { FrontendServer } from './frontends.js';
import type { Remotes } from './git/index.js';
import { PEOPLE } from './git/identities.js';
import type { RunningGitHubServer } from './github/index.js';
import { Resources, writeKubeconfig, type KubeCluster } from './kube/index.js';
import type { PqsServer } from './pqs/index.js';
import { worldEnvironment } from './world-files.js';

/** The runbook's kube context of each cluster. */
export const WORLD_CONTEXTS: Readonly<Record<KubeClusterName, string>> = {
  staging: 'lendos-stg/SREOperatorAccess',
  production: 'bxci-prod/SREOperatorAccess',
  dev: 'lendos-dev/SREOperatorAccess',
};

/** The GitHub organisation of the world's repositories. */
export const GITHUB_OWNER = 'rplendos';

/** The world's clusters, in the kubeconfig's order (staging first: its current context). */
export const KUBE_CLUSTER_NAMES: readonly KubeClusterName[] = ['staging', 'production', 'dev'];

/** The EKS cluster names of the runbook's environments. */
const EKS_NAMES: Readonly<Record<KubeClusterName, string>> = { staging: 'lendos-stg', production: 'bxci-prod', dev: 'lendos-dev' };

/** What `describe` reads of the running parts. */
export interface DescribedParts {
  aws: AwsServer;
  remotes: Remotes;
  clusters: Readonly<Record<KubeClusterName, KubeCluster>>;
  github: RunningGitHubServer;
  frontends: FrontendServer;
  pqs?: PqsServer;
}

export interface DescribedSecrets {
  aws: AwsCredentials;
  kube: Record<KubeClusterName, string>;
  github: string;
  githubApprover: string;
}

/** A value per cluster. */
function perCluster<T>(of: (name: KubeClusterName) => T): Record<KubeClusterName, T> {
  return { staging: of('staging'), production: of('production'), dev: of('dev') };
}

/** Each cluster's identity: the account of its environment's profile, its kube-system UID, its server and EKS ARN. */
function clusterIdentities(clusters: Readonly<Record<KubeClusterName, KubeCluster>>): WorldDescription['identities'] {
  return perCluster((name) => {
    const account = ACCOUNTS[name];
    const clusterUid = clusters[name].store.get(Resources.namespaces, undefined, 'kube-system')?.metadata.uid ?? '';
    return { account, clusterUid, server: clusters[name].url, eksCluster: `arn:aws:eks:${WORLD_REGION}:${account}:cluster/${EKS_NAMES[name]}` };
  });
}

/** Writes the kubeconfig and AWS files, and returns the world's description (`env` derived from the rest). */
export async function describe(scenario: Scenario, dir: string, secrets: DescribedSecrets, parts: DescribedParts): Promise<WorldDescription> {
  const kubeconfig = path.join(dir, 'kubeconfig');
  const identities = clusterIdentities(parts.clusters);
  const clusters = KUBE_CLUSTER_NAMES.map((name) => ({
    context: WORLD_CONTEXTS[name],
    url: parts.clusters[name].url,
    token: secrets.kube[name],
    cluster: identities[name].eksCluster,
  }));
  await writeKubeconfig(kubeconfig, clusters);
  const awsFiles = writeAwsConfig(path.join(dir, 'aws'), secrets.aws, WORLD_REGION);
  const bin = await writeToolWrappers(dir, parts.aws.url);
  const partial: Omit<WorldDescription, 'env'> = {
    scenario: scenario.name,
    kubeconfig,
    contexts: { ...WORLD_CONTEXTS },
    kube: perCluster((name) => ({ url: parts.clusters[name].url, token: secrets.kube[name] })),
    aws: {
      region: WORLD_REGION,
      ecrEndpoint: parts.aws.url,
      rdsEndpoint: parts.aws.url,
      stsEndpoint: parts.aws.url,
      configFile: awsFiles.configFile,
      credentialsFile: awsFiles.credentialsFile,
      credentials: secrets.aws,
    },
    github: { apiUrl: parts.github.url, token: secrets.github, owner: GITHUB_OWNER, productApprovers: [PEOPLE.luis.login], approverToken: secrets.githubApprover },
    urls: perCluster((name) => [...parts.frontends.urls[name]]),
    identities,
    ...(parts.pqs ? { pqs: { staging: { url: parts.pqs.urls.staging }, production: { url: parts.pqs.urls.production } } } : {}),
    remotes: { ...parts.remotes },
    workspace: { lendos: path.join(dir, 'workspace', 'lendos'), workloads: path.join(dir, 'workspace', 'lendos-eks-workloads') },
    dir,
    bin,
    pid: process.pid,
    startedAt: new Date().toISOString(),
  };
  return { ...partial, env: worldEnvironment(partial) };
}
