/**
 * Which environment and cluster a procedure step acts on. Before any change a step asserts the environment by identity
 * (AWS account, cluster), shows the kube context, its server and the namespaces it will touch, and asks: a
 * confirmation in staging, the environment's name typed in production.
 */
import { UserError } from '../../core/errors.js';
import { confirmationName } from '../../core/config/environment.js';
import type { EnvironmentConfig } from '../../core/config/types.js';
import type { EventData } from '../../core/journal/types.js';
import type { UpgradeEnvironment } from '../../core/runbook/types.js';
import type { StepContext } from '../../engine/step-types.js';
import type { Kube, KubeClusterInfo, UpgradePorts } from '../../ports.js';
import { checkLockFree } from './lock.js';
import { assertAccount, assertCluster, identityEvidence, recordIdentity, recordingNote, unrecorded, type AccountFacts, type ClusterFacts } from './identity.js';

export type UpgradeStepContext = StepContext<UpgradePorts>;

/** The environment of a step and its kube client; `context` is the kube context every call names. */
export interface Cluster {
  readonly environment: UpgradeEnvironment;
  readonly env: EnvironmentConfig;
  readonly context: string;
  readonly kube: Kube;
}

/** A cluster whose identity was asserted and whose context, server and namespaces were shown (and confirmed). */
export interface Target extends Cluster {
  readonly info: KubeClusterInfo;
  readonly namespaces: readonly string[];
  readonly account: AccountFacts;
  readonly identity: ClusterFacts;
}

export function environmentOf(ctx: UpgradeStepContext): { environment: UpgradeEnvironment; env: EnvironmentConfig } {
  const environment = ctx.step.environment;
  if (environment !== 'staging' && environment !== 'production') {
    throw new Error(`${ctx.step.id} is not a step of the staging or production upgrade procedure`);
  }
  return { environment, env: ctx.config.environments[environment] };
}

export async function clusterOf(ctx: UpgradeStepContext): Promise<Cluster> {
  const { environment, env } = environmentOf(ctx);
  return { environment, env, context: env.kubeContext, kube: await ctx.ports.kube() };
}

export function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/**
 * Asserts the environment by identity (its AWS account, its cluster), shows where the step will act and checks each
 * namespace exists; throws a UserError showing both identities on a mismatch, or naming a missing namespace.
 */
export async function assertTarget(ctx: UpgradeStepContext, cluster: Cluster, namespaces: readonly string[]): Promise<Target> {
  const info = await cluster.kube.clusterInfo(cluster.context);
  const account = await assertAccount(ctx, cluster.environment);
  const identity = await assertCluster(ctx, cluster.kube, info, account.account);
  const touched = unique([...namespaces, ctx.config.lease.namespace]);
  ctx.log.info(`${cluster.env.label}: kube context ${info.context} → cluster server ${info.server} (user ${info.user}; kubeconfig ${info.kubeconfig.join(', ')})`);
  ctx.log.info(`${cluster.env.label} is AWS account ${account.account} (${account.arn}) and the cluster with kube-system UID ${identity.clusterUid}`);
  ctx.log.info(`Namespaces this step touches: ${touched.join(', ')}`);
  const target = { ...cluster, info, namespaces: touched, account, identity };
  await checkLockFree(ctx, target);
  for (const namespace of touched) {
    if (!(await cluster.kube.namespaceExists(cluster.context, namespace))) {
      throw new UserError(
        `Namespace "${namespace}" does not exist in context ${info.context} (server ${info.server}): is this ${cluster.env.label}'s cluster? ` +
          `Check the environment's namespaces and kubeContext in .lendos/config.yaml. Nothing was changed.`,
        'missing-namespace',
      );
    }
  }
  return target;
}

/**
 * The `prepare` of every mutating procedure step: assert the target, say what will change where, and ask — in staging
 * a confirmation, in production the environment's name typed as the runbook writes it (`bxci`). A first change also
 * records the environment's identity. Undefined when not confirmed.
 */
export async function confirmTarget(ctx: UpgradeStepContext, action: string, namespaces: readonly string[]): Promise<Target | undefined> {
  const target = await assertTarget(ctx, await clusterOf(ctx), namespaces);
  const missing = unrecorded(target.env, target.account, target.identity);
  const where =
    `${action} in ${target.env.label}: context ${target.info.context}, server ${target.info.server}, AWS account ${target.account.account}, ` +
    `namespaces ${target.namespaces.join(', ')}.${recordingNote(target.env, missing)}`;
  if (!(await askEnvironment(ctx, target.environment, target.env, where))) return undefined;
  await recordIdentity(ctx, target.env, missing);
  return target;
}

/** Asks `where` of the person: in staging a confirmation, in production the environment's name typed; says a refusal. */
export async function askEnvironment(ctx: UpgradeStepContext, environment: UpgradeEnvironment, env: EnvironmentConfig, where: string): Promise<boolean> {
  const name = confirmationName(env);
  const confirmed =
    environment === 'production'
      ? await ctx.prompt.confirmTyped(`${where} Type "${name}" to go on.`, name)
      : await ctx.prompt.confirm(`${where} Go on?`, `Run in ${env.label}`);
  if (!confirmed) ctx.log.warn(`Not confirmed: nothing was changed in ${env.label}.`);
  return confirmed;
}

export function targetEvidence(target: Target): EventData {
  return { context: target.info.context, server: target.info.server, namespaces: [...target.namespaces], ...identityEvidence(target.account, target.identity) };
}

/** The namespaces of the environment's services (the four the runbook scales). */
export function serviceNamespaces(env: EnvironmentConfig): string[] {
  return unique(env.services.map((s) => s.namespace));
}

/** Progress lines from watch callbacks, journalled one after another (in order) and awaited before the step ends. */
export class ProgressLine {
  private last = '';
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly ctx: UpgradeStepContext) {}

  /** Journals `message` unless it is the one shown already. */
  show(message: string, data?: EventData): void {
    if (message === this.last) return;
    this.last = message;
    this.chain = this.chain.then(() => this.ctx.progress(message, data)).catch(() => undefined);
  }

  settled(): Promise<void> {
    return this.chain;
  }
}
