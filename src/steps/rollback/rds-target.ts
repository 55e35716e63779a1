/**
 * What the RDS steps of a rollback share: the environment's Canton cluster asserted by its AWS account, the question
 * that shows exactly what will change (typed name in production), the journalled facts one step leaves the next, and
 * the poll that waits on RDS with progress and no ceiling.
 */
import type { EnvironmentConfig } from '../../core/config/types.js';
import { UserError } from '../../core/errors.js';
import type { EventData, JsonValue } from '../../core/journal/types.js';
import { rollbackAsideName } from '../../core/names.js';
import { rollbackStepId } from '../../core/runbook/rollback.js';
import type { UpgradeEnvironment } from '../../core/runbook/types.js';
import { Cancelled, type StepContext } from '../../engine/step-types.js';
import type { DbClusterDetails, Rds, UpgradePorts } from '../../ports.js';
import { assertAccount, recordIdentity, recordingNote, unrecorded, type AccountFacts } from '../upgrade/identity.js';
import { askEnvironment } from '../upgrade/target.js';

export type RollbackContext = StepContext<UpgradePorts>;

export interface RdsTarget {
  readonly environment: UpgradeEnvironment;
  readonly env: EnvironmentConfig;
  readonly cluster: string;
  /** What the broken cluster is renamed to. */
  readonly aside: string;
  readonly rds: Rds;
}

export function environmentOf(ctx: RollbackContext): UpgradeEnvironment {
  const environment = ctx.step.environment;
  if (environment !== 'staging' && environment !== 'production') throw new Error(`${ctx.step.id} is not a rollback step of staging or production`);
  return environment;
}

export async function rdsTarget(ctx: RollbackContext): Promise<RdsTarget> {
  const environment = environmentOf(ctx);
  const env = ctx.config.environments[environment];
  const cluster = env.cantonCluster;
  if (!cluster) {
    throw new UserError(`${env.label} has no Canton Aurora cluster configured: set lendos.environments.${environment}.cantonCluster. Nothing was changed.`, 'config');
  }
  return { environment, env, cluster, aside: rollbackAsideName(cluster, ctx.version), rds: await ctx.ports.rds(environment) };
}

/** Asserts the account, says what will change, and asks (typed name in production); false when not confirmed. */
export async function confirmRds(ctx: RollbackContext, target: RdsTarget, what: string): Promise<AccountFacts | undefined> {
  const account = await assertAccount(ctx, target.environment);
  const missing = unrecorded(target.env, account);
  const where = `${what} — ${target.env.label}, AWS account ${account.account} (${account.arn}).${recordingNote(target.env, missing)}`;
  if (!(await askEnvironment(ctx, target.environment, target.env, where))) return undefined;
  await recordIdentity(ctx, target.env, missing);
  return account;
}

// ── What one step leaves the next ──

export const CHOSEN_SNAPSHOT = 'snapshotId';
export const CLUSTER_BEFORE = 'clusterBefore';

export interface ClusterBefore {
  readonly engine: string;
  readonly engineVersion: string;
  readonly subnetGroup?: string;
  readonly parameterGroup?: string;
  readonly securityGroupIds: string[];
  readonly port?: number;
  readonly deletionProtection: boolean;
  readonly instances: { id: string; instanceClass: string; availabilityZone?: string; promotionTier?: number; writer: boolean }[];
}

/** The snapshot chosen by `<env>.rollback.choose-snapshot`. */
export function chosenSnapshot(ctx: RollbackContext, environment: UpgradeEnvironment): string {
  const chosen = ctx.evidenceOf(rollbackStepId(environment, 'choose-snapshot'))[CHOSEN_SNAPSHOT];
  if (typeof chosen !== 'string' || !chosen) {
    throw new UserError('No snapshot is chosen: run "Choose the snapshot" of this rollback first. Nothing was changed.', 'snapshot-not-chosen');
  }
  return chosen;
}

function isObject(value: JsonValue | undefined): value is { [key: string]: JsonValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The old cluster's settings, recorded by the rename before it renamed. */
export function clusterBefore(evidence: EventData): ClusterBefore | undefined {
  const value = evidence[CLUSTER_BEFORE];
  if (!isObject(value) || typeof value['engine'] !== 'string' || !Array.isArray(value['instances'])) return undefined;
  return value as unknown as ClusterBefore;
}

export function settingsOf(cluster: DbClusterDetails, instances: ClusterBefore['instances']): ClusterBefore {
  return {
    engine: cluster.engine,
    engineVersion: cluster.engineVersion,
    ...(cluster.subnetGroup ? { subnetGroup: cluster.subnetGroup } : {}),
    ...(cluster.parameterGroup ? { parameterGroup: cluster.parameterGroup } : {}),
    securityGroupIds: [...cluster.securityGroupIds],
    ...(cluster.port ? { port: cluster.port } : {}),
    deletionProtection: cluster.deletionProtection,
    instances,
  };
}

// ── Waiting on RDS ──

const POLL = { firstMs: 1_000, factor: 1.5, maxMs: 30_000 };
const TOLERATED_FAILURES = 5;

/**
 * Looks every few seconds (backing off to 30 s) until `look` answers a result; `look` shows progress itself. Network
 * trouble is retried a few times in a row; a cancel stops the wait, saying `onCancel`. No overall limit.
 */
export async function pollRds<T>(ctx: RollbackContext, look: () => Promise<T | undefined>, onCancel: string): Promise<T> {
  let delay = POLL.firstMs;
  let failures = 0;
  for (;;) {
    try {
      const done = await look();
      if (done !== undefined) return done;
      failures = 0;
    } catch (error) {
      if (error instanceof UserError || failures + 1 >= TOLERATED_FAILURES) throw error;
      failures += 1;
      ctx.log.warn(`Could not read RDS (${error instanceof Error ? error.message : String(error)}); trying again.`);
    }
    try {
      await ctx.clock.sleep(delay, ctx.signal);
    } catch {
      throw new Cancelled(onCancel);
    }
    delay = Math.min(POLL.maxMs, Math.round(delay * POLL.factor));
  }
}

/** `12 min 5 s` since `since`. */
export function elapsed(ctx: RollbackContext, since: Date): string {
  const ms = ctx.clock.now().getTime() - since.getTime();
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}
