/**
 * Before any change an environment is asserted by what it is, never by a name in the configuration: the AWS account
 * its credentials reach (STS), and the cluster its kube context reaches (the UID of `kube-system`, created once per
 * cluster, and the API server) — against the identity recorded for it, against every other environment's, and, for
 * an EKS cluster (its kubeconfig entry is the cluster's ARN), against the account. Until an identity is recorded,
 * the first confirmed change records what it found.
 */
import type { EnvironmentConfig, EnvironmentIdentity, LendosConfig } from '../../core/config/types.js';
import { UserError } from '../../core/errors.js';
import type { EventData } from '../../core/journal/types.js';
import type { EnvironmentName, UpgradeEnvironment } from '../../core/runbook/types.js';
import type { StepContext } from '../../engine/step-types.js';
import type { Kube, KubeClusterInfo, UpgradePorts } from '../../ports.js';

type Context = StepContext<UpgradePorts>;

export interface AccountFacts {
  readonly account: string;
  readonly arn: string;
}

export interface ClusterFacts {
  readonly clusterUid: string;
  readonly server: string;
  readonly context: string;
  /** The kubeconfig's cluster entry (an EKS cluster ARN when made by `aws eks update-kubeconfig`). */
  readonly cluster: string;
}

const EKS_ARN = /^arn:aws[\w-]*:eks:[\w-]+:(?<account>\d{12}):cluster\/.+$/;

function others(config: LendosConfig, environment: EnvironmentName): EnvironmentConfig[] {
  return Object.values(config.environments).filter((env) => env.name !== environment);
}

function refuse(env: EnvironmentConfig, found: string, expected: string, fix: string): never {
  throw new UserError(
    `Refusing to change ${env.label}: ${found}, but ${expected}. ${fix} Nothing was changed.`,
    'identity-mismatch',
  );
}

/** The account behind the environment's AWS credentials, asserted. */
export async function assertAccount(ctx: Context, environment: UpgradeEnvironment): Promise<AccountFacts> {
  const env = ctx.config.environments[environment];
  const { account, arn } = await (await ctx.ports.identity(environment)).callerIdentity();
  const profile = env.awsProfile ?? 'the default credentials';
  const found = `its AWS credentials (${profile}) reach account ${account} as ${arn}`;
  const fix = `Check environments.${env.name}.awsProfile and your AWS config.`;
  const owner = others(ctx.config, environment).find((other) => other.identity.account === account);
  if (owner) refuse(env, found, `that is ${owner.label}'s account (environments.${owner.name}.identity.account)`, fix);
  const expected = env.identity.account;
  if (expected !== null && expected !== account) refuse(env, found, `${env.label}'s recorded account is ${expected} (environments.${env.name}.identity.account)`, fix);
  return { account, arn };
}

/** The cluster behind the environment's kube context, asserted (with the account, when its entry is an EKS ARN). */
export async function assertCluster(ctx: Context, kube: Kube, info: KubeClusterInfo, account?: string): Promise<ClusterFacts> {
  const env = ctx.config.environments[environmentOf(ctx)];
  const clusterUid = await kube.clusterUid(info.context);
  const found = `context ${info.context} reaches the cluster with kube-system UID ${clusterUid} at ${info.server} (kubeconfig cluster ${info.cluster})`;
  const fix = `Check environments.${env.name}.kubeContext and the kubeconfig (${info.kubeconfig.join(', ')}).`;
  const owner = others(ctx.config, env.name).find((other) => other.identity.clusterUid === clusterUid || other.identity.server === info.server);
  if (owner) refuse(env, found, `that is ${owner.label}'s cluster (environments.${owner.name}.identity)`, fix);
  const { clusterUid: expectedUid, server: expectedServer } = env.identity;
  if ((expectedUid !== null && expectedUid !== clusterUid) || (expectedServer !== null && expectedServer !== info.server)) {
    refuse(env, found, `${env.label}'s recorded cluster is UID ${expectedUid ?? '(not recorded)'} at ${expectedServer ?? '(not recorded)'}`, fix);
  }
  const arnAccount = EKS_ARN.exec(info.cluster)?.groups?.account;
  if (account !== undefined && arnAccount !== undefined && arnAccount !== account) {
    refuse(env, found, `that EKS cluster belongs to account ${arnAccount} while ${env.label}'s credentials reach account ${account}`, fix);
  }
  return { clusterUid, server: info.server, context: info.context, cluster: info.cluster };
}

function environmentOf(ctx: Context): EnvironmentName {
  const environment = ctx.step.environment;
  if (environment === undefined) throw new Error(`${ctx.step.id} acts on no environment`);
  return environment;
}

/** The parts of the identity found that are not recorded yet: what the next confirmed change records. */
export function unrecorded(env: EnvironmentConfig, account?: AccountFacts, cluster?: ClusterFacts): Partial<EnvironmentIdentity> {
  return {
    ...(account && env.identity.account === null ? { account: account.account } : {}),
    ...(cluster && env.identity.clusterUid === null ? { clusterUid: cluster.clusterUid } : {}),
    ...(cluster && env.identity.server === null ? { server: cluster.server } : {}),
  };
}

/** A sentence for the confirmation: what will be recorded as the environment's identity, or nothing. */
export function recordingNote(env: EnvironmentConfig, missing: Partial<EnvironmentIdentity>): string {
  const parts = Object.entries(missing).map(([key, value]) => `${key} ${value}`);
  if (parts.length === 0) return '';
  return ` ${env.label}'s identity is not recorded yet: confirming records ${parts.join(', ')} as ${env.label}'s in .lendos/config.yaml, and every later change checks it.`;
}

/** Records what was confirmed (trust on first use) and says so. */
export async function recordIdentity(ctx: Context, env: EnvironmentConfig, missing: Partial<EnvironmentIdentity>): Promise<void> {
  if (Object.keys(missing).length === 0) return;
  const file = await ctx.ports.recordIdentity(env.name, missing);
  ctx.log.info(`Recorded ${env.label}'s identity in ${file}: ${Object.entries(missing).map(([k, v]) => `${k} ${v}`).join(', ')}.`);
}

export function identityEvidence(account?: AccountFacts, cluster?: ClusterFacts): EventData {
  return {
    identity: {
      ...(account ? { account: account.account, arn: account.arn } : {}),
      ...(cluster ? { clusterUid: cluster.clusterUid, server: cluster.server, cluster: cluster.cluster } : {}),
    },
  };
}
