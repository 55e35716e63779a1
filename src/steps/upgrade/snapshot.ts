/**
 * 3.1.3 Take RDS snapshot: `canton-upgrade-<version>-<UTC stamp>` of the environment's Canton Aurora cluster, created
 * through the API and waited for until `available`, with progress and no time limit. The name is chosen once per
 * release and environment and journalled before the create call; a snapshot of this release that is available is
 * adopted, one still being created is waited for, never doubled. The account is asserted first; staging asks for a
 * confirmation, production for the typed name.
 */
import { confirmationName } from '../../core/config/environment.js';
import type { EnvironmentConfig } from '../../core/config/types.js';
import { UserError } from '../../core/errors.js';
import type { EventData } from '../../core/journal/types.js';
import { parseSnapshotName, snapshotName } from '../../core/names.js';
import type { UpgradeEnvironment } from '../../core/runbook/types.js';
import { Cancelled, type StepContext, type StepExecutor, type StepOutcome } from '../../engine/step-types.js';
import type { DbClusterSnapshot, Rds, UpgradePorts } from '../../ports.js';
import { assertAccount, recordIdentity, recordingNote, unrecorded, type AccountFacts } from './identity.js';

export type UpgradeAwsContext = StepContext<UpgradePorts>;

export interface UpgradeTarget {
  readonly environment: UpgradeEnvironment;
  readonly env: EnvironmentConfig;
  /** Step id prefix, e.g. `staging.upgrade`. */
  readonly group: string;
}

export function upgradeTargetOf(ctx: UpgradeAwsContext): UpgradeTarget {
  const environment = ctx.step.environment;
  if (environment !== 'staging' && environment !== 'production') {
    throw new Error(`${ctx.step.id} is not a step of the staging or production upgrade procedure`);
  }
  return { environment, env: ctx.config.environments[environment], group: `${environment}.upgrade` };
}

/** The environment's Canton Aurora cluster, or what to set when the configuration has none. */
export function cantonClusterOf(target: UpgradeTarget): string {
  const cluster = target.env.cantonCluster;
  if (!cluster) {
    throw new UserError(
      `${target.env.label} has no Canton Aurora cluster configured: set lendos.environments.${target.env.name}.cantonCluster.`,
      'config',
    );
  }
  return cluster;
}

/** The cluster's snapshots named for this release (`canton-upgrade-2025-4-0-…`), newest first. */
export function releaseSnapshots(snapshots: readonly DbClusterSnapshot[], ctx: UpgradeAwsContext): DbClusterSnapshot[] {
  return snapshots.filter((snapshot) => parseSnapshotName(snapshot.id)?.version.equals(ctx.version) === true);
}

export function snapshotEvidence(snapshot: DbClusterSnapshot): EventData {
  return {
    snapshotId: snapshot.id,
    snapshotArn: snapshot.arn,
    cluster: snapshot.cluster,
    snapshotStatus: snapshot.status,
    ...(snapshot.createdAt ? { snapshotCreatedAt: snapshot.createdAt } : {}),
  };
}

/** Statuses RDS reports while a snapshot is on its way to `available`. */
const STILL_CREATING = new Set(['creating', 'copying', 'backing-up']);

type SnapshotPlan =
  | { readonly kind: 'resume'; readonly snapshot: DbClusterSnapshot }
  | { readonly kind: 'create'; readonly name: string; readonly account: AccountFacts };

/**
 * Evidence key: the snapshot's name, chosen once per release and environment and recorded before the create call, so
 * that a later run (after a crash, a cancel, a second window) adopts that snapshot instead of taking another.
 */
export const PLANNED_SNAPSHOT_KEY = 'plannedSnapshot';

/** AWS tag values allow letters, digits, spaces and `_ . : / = + - @` only. */
const tagValue = (value: string): string => value.replace(/[^\p{L}\p{N}\s_.:/=+\-@]/gu, '').trim().slice(0, 256);

async function createSnapshot(ctx: UpgradeAwsContext, rds: Rds, cluster: string, name: string): Promise<DbClusterSnapshot> {
  const tags = {
    'lendos:release': ctx.version.format(),
    'lendos:actor': tagValue(await ctx.ports.actor()),
    'lendos:environment': upgradeTargetOf(ctx).environment,
  };
  ctx.log.info(`Creating RDS snapshot ${name} of ${cluster}`);
  try {
    return await rds.createClusterSnapshot(cluster, name, tags);
  } catch (error) {
    // Another window may have taken it in this same minute: wait for that one instead.
    const existing = error instanceof UserError && error.reason === 'snapshot-exists' ? await rds.describeSnapshot(name) : undefined;
    if (!existing) throw error;
    if (existing.cluster !== cluster) {
      throw new UserError(`RDS already has a snapshot named ${name}, of ${existing.cluster}: run the step again in a minute to take one under a new name.`, 'snapshot-exists');
    }
    if (existing.status === 'failed') {
      throw new UserError(`A failed snapshot already has this minute's name (${name}); run the step again in a minute to take a new one.`, 'snapshot-failed');
    }
    ctx.log.info(`${name} already exists (${existing.status}); waiting for it instead of taking another.`);
    return existing;
  }
}

/** The name this release's snapshot has (recorded earlier), or a new timestamped one when there is none or it failed. */
function chooseName(ctx: UpgradeAwsContext, ours: readonly DbClusterSnapshot[]): string {
  const planned = ctx.evidenceOf(ctx.step.id)[PLANNED_SNAPSHOT_KEY];
  const failed = typeof planned === 'string' && ours.some((snapshot) => snapshot.id === planned && snapshot.status === 'failed');
  if (typeof planned === 'string' && !failed) return planned;
  return snapshotName(ctx.version, ctx.clock.now());
}

async function planSnapshot(ctx: UpgradeAwsContext): Promise<SnapshotPlan | undefined> {
  const target = upgradeTargetOf(ctx);
  const cluster = cantonClusterOf(target);
  const account = await assertAccount(ctx, target.environment);
  const rds = await ctx.ports.rds(target.environment);
  const ours = releaseSnapshots(await rds.listSnapshots(cluster), ctx);
  const creating = ours.find((snapshot) => STILL_CREATING.has(snapshot.status));
  if (creating) {
    ctx.log.info(`${creating.id} is still being created (${creating.percentProgress}%): waiting for it, not taking a second snapshot.`);
    return { kind: 'resume', snapshot: creating };
  }
  for (const failed of ours.filter((snapshot) => snapshot.status === 'failed')) {
    ctx.log.warn(`An earlier snapshot of this release, ${failed.id}, failed; taking a new one.`);
  }
  const name = chooseName(ctx, ours);
  const missing = unrecorded(target.env, account);
  const what =
    `Create RDS snapshot ${name} of ${cluster} in ${target.env.label}, AWS account ${account.account} (${account.arn})?` +
    recordingNote(target.env, missing);
  const typed = confirmationName(target.env);
  const confirmed =
    target.environment === 'production'
      ? await ctx.prompt.confirmTyped(`${what} Type "${typed}" to confirm.`, typed)
      : await ctx.prompt.confirm(what, 'Create snapshot');
  if (!confirmed) return undefined;
  await recordIdentity(ctx, target.env, missing);
  return { kind: 'create', name, account };
}

/** Polling starts quick for small clusters and backs off to a gentle pace for large ones; there is no overall limit. */
const POLL = { firstMs: 500, factor: 1.6, maxMs: 20_000 };
/** Network trouble while waiting is retried this many times in a row before the step fails. */
const TOLERATED_FAILURES = 5;

function failedSnapshot(snapshot: DbClusterSnapshot): UserError {
  return new UserError(
    `RDS reports snapshot ${snapshot.id} of ${snapshot.cluster} as "${snapshot.status}". Without it there is no rollback point, ` +
      `so the upgrade must not start. Look at the cluster's events (aws rds describe-events --source-type db-cluster-snapshot ` +
      `--source-identifier ${snapshot.id}) or the RDS console, then run this step again: it takes a new snapshot.`,
    'snapshot-failed',
  );
}

/** One look at the snapshot; transient failures are tolerated (and counted), credential trouble is not. */
async function look(ctx: UpgradeAwsContext, rds: Rds, id: string, failures: number): Promise<DbClusterSnapshot | number> {
  try {
    const snapshot = await rds.describeSnapshot(id);
    if (!snapshot) throw new UserError(`Snapshot ${id} disappeared while being created (deleted by someone?): run this step again to take a new one.`, 'snapshot-missing');
    return snapshot;
  } catch (error) {
    if (error instanceof UserError || failures + 1 >= TOLERATED_FAILURES) throw error;
    ctx.log.warn(`Could not read ${id} (${error instanceof Error ? error.message : String(error)}); trying again.`);
    return failures + 1;
  }
}

/** Polls until `available` with progress; cancelling stops the wait (RDS keeps creating) and says so. */
async function waitUntilAvailable(ctx: UpgradeAwsContext, rds: Rds, first: DbClusterSnapshot): Promise<DbClusterSnapshot> {
  let snapshot = first;
  let delay = POLL.firstMs;
  let failures = 0;
  let shown = -1;
  for (;;) {
    if (snapshot.status === 'available') return snapshot;
    if (!STILL_CREATING.has(snapshot.status)) {
      await ctx.record(snapshotEvidence(snapshot));
      throw failedSnapshot(snapshot);
    }
    if (snapshot.percentProgress !== shown) {
      shown = snapshot.percentProgress;
      await ctx.progress(`snapshot ${shown}%`, { percentProgress: shown });
    }
    try {
      await ctx.clock.sleep(delay, ctx.signal);
    } catch {
      throw new Cancelled(
        `Stopped waiting for ${snapshot.id}; RDS goes on creating it. Run this step again to keep waiting: it will not take a second snapshot.`,
      );
    }
    delay = Math.min(POLL.maxMs, Math.round(delay * POLL.factor));
    const seen = await look(ctx, rds, snapshot.id, failures);
    if (typeof seen === 'number') failures = seen;
    else [snapshot, failures] = [seen, 0];
  }
}

function outcome(snapshot: DbClusterSnapshot, extra: EventData, waitedMs: number): StepOutcome {
  const minutes = Math.floor(waitedMs / 60_000);
  const seconds = Math.round((waitedMs % 60_000) / 1000);
  return {
    summary: `Snapshot ${snapshot.id} of ${snapshot.cluster} is available (waited ${minutes} min ${seconds} s)`,
    evidence: { ...snapshotEvidence(snapshot), ...extra, waitedSeconds: Math.round(waitedMs / 1000) },
  };
}

export const takeSnapshot: StepExecutor<UpgradePorts, SnapshotPlan> = {
  stepId: /^(staging|production)\.upgrade\.snapshot$/,

  async observe(ctx) {
    const target = upgradeTargetOf(ctx);
    const cluster = cantonClusterOf(target);
    const rds = await ctx.ports.rds(target.environment);
    const available = releaseSnapshots(await rds.listSnapshots(cluster), ctx).find((s) => s.status === 'available');
    if (!available) return { done: false };
    return { done: true, summary: `Snapshot ${available.id} of ${cluster} is available`, evidence: snapshotEvidence(available) };
  },

  prepare: planSnapshot,

  async run(ctx, plan) {
    const target = upgradeTargetOf(ctx);
    const cluster = cantonClusterOf(target);
    const rds = await ctx.ports.rds(target.environment);
    const began = ctx.clock.now();
    // The name is in the journal before RDS hears of it: whatever happens next, a later run looks for this one.
    if (plan.kind === 'create') await ctx.record({ [PLANNED_SNAPSHOT_KEY]: plan.name });
    const snapshot = plan.kind === 'resume' ? plan.snapshot : await createSnapshot(ctx, rds, cluster, plan.name);
    const extra: EventData = {
      ...(plan.kind === 'create' ? { requestedAt: began.toISOString(), account: plan.account.account } : { resumedAt: began.toISOString() }),
    };
    await ctx.record({ ...snapshotEvidence(snapshot), ...extra });
    const available = await waitUntilAvailable(ctx, rds, snapshot);
    const availableAt = ctx.clock.now();
    return outcome(available, { ...extra, availableAt: availableAt.toISOString() }, availableAt.getTime() - began.getTime());
  },
};
