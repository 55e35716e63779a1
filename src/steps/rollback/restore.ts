/**
 * Rollback 4 · Restore the snapshot with Aurora's semantics: `RestoreDBClusterFromSnapshot` under the original
 * identifier with the old cluster's settings makes a cluster without instances, so its instances are created to match
 * the old ones' classes; then everything is waited for until available — 15–30 minutes is normal, with progress and no
 * ceiling. Each call is journalled before it is made, so a rerun after a crash adopts what RDS already has.
 */
import { UserError } from '../../core/errors.js';
import { rollbackStepId } from '../../core/runbook/rollback.js';
import type { StepExecutor } from '../../engine/step-types.js';
import type { DbClusterDetails, DbInstanceInfo, UpgradePorts } from '../../ports.js';
import { chosenSnapshot, clusterBefore, confirmRds, elapsed, pollRds, rdsTarget, type ClusterBefore, type RdsTarget, type RollbackContext } from './rds-target.js';

const REQUESTED = 'restoreRequested';

interface Plan {
  readonly snapshot: string;
  readonly settings: ClusterBefore;
  readonly instances: readonly string[];
}

/** `canton-0-1-54-restored-1`: the old instances keep their names in the renamed cluster, so the new ones need others. */
export function restoredInstanceIds(cluster: string, count: number): string[] {
  const head = cluster.slice(0, 50).replace(/-+$/, '');
  return Array.from({ length: Math.max(1, count) }, (_, i) => `${head}-restored-${i + 1}`);
}

function settingsFrom(ctx: RollbackContext, target: RdsTarget): ClusterBefore {
  const settings = clusterBefore(ctx.evidenceOf(rollbackStepId(target.environment, 'rename-cluster')));
  if (!settings) throw new UserError(`The rename step recorded no settings of ${target.cluster}: run "Rename the cluster away" first. Nothing was changed.`, 'not-renamed');
  return settings;
}

/** Ours when this step asked RDS to restore it; any other cluster under the identifier is refused. */
async function checkIdentifier(ctx: RollbackContext, target: RdsTarget): Promise<DbClusterDetails | undefined> {
  const current = await target.rds.describeCluster(target.cluster);
  if (current && ctx.evidenceOf(ctx.step.id)[REQUESTED] === undefined) {
    throw new UserError(
      `A cluster named ${target.cluster} exists again, but this step did not restore it (${current.status}). Look at it before anything else: ` +
        `aws rds describe-db-clusters --db-cluster-identifier ${target.cluster}. Nothing was changed.`,
      'restore-conflict',
    );
  }
  return current;
}

async function plan(ctx: RollbackContext): Promise<Plan | undefined> {
  const target = await rdsTarget(ctx);
  const snapshot = chosenSnapshot(ctx, target.environment);
  const settings = settingsFrom(ctx, target);
  const instances = restoredInstanceIds(target.cluster, settings.instances.length);
  const existing = await checkIdentifier(ctx, target);
  if (!existing) {
    const found = await target.rds.describeSnapshot(snapshot);
    if (found?.status !== 'available') {
      throw new UserError(
        `Snapshot ${snapshot} ${found ? `is ${found.status}` : 'no longer exists'}: reset "Choose the snapshot", choose another, then run this step again. ${target.aside} is kept as it is. Nothing was changed.`,
        'snapshot-unusable',
      );
    }
  }
  const classes = settings.instances.map((i) => i.instanceClass).join(', ') || 'db.r6g.large';
  const what = existing
    ? `Go on with the restore of ${target.cluster} from ${snapshot} (already started): create the missing instances (${instances.join(', ')}) and wait`
    : `Restore ${snapshot} as a new cluster ${target.cluster} (${settings.engine} ${settings.engineVersion}, subnet group ${settings.subnetGroup ?? 'default'}) and create ${instances.join(', ')} (${classes})`;
  return (await confirmRds(ctx, target, what)) ? { snapshot, settings, instances } : undefined;
}

async function restoreCluster(ctx: RollbackContext, target: RdsTarget, input: Plan): Promise<void> {
  if (await target.rds.describeCluster(target.cluster)) {
    ctx.log.info(`${target.cluster} is already being restored from ${input.snapshot}; not restoring again.`);
    return;
  }
  const s = input.settings;
  await ctx.record({ [REQUESTED]: input.snapshot, requestedAt: ctx.clock.now().toISOString() });
  ctx.log.info(`aws rds restore-db-cluster-from-snapshot --db-cluster-identifier ${target.cluster} --snapshot-identifier ${input.snapshot} --engine ${s.engine} --engine-version ${s.engineVersion}`);
  await target.rds.restoreCluster({
    cluster: target.cluster,
    snapshot: input.snapshot,
    engine: s.engine,
    engineVersion: s.engineVersion,
    securityGroupIds: s.securityGroupIds,
    deletionProtection: s.deletionProtection,
    ...(s.subnetGroup ? { subnetGroup: s.subnetGroup } : {}),
    ...(s.parameterGroup ? { parameterGroup: s.parameterGroup } : {}),
    ...(s.port ? { port: s.port } : {}),
    tags: { 'lendos:release': ctx.version.format(), 'lendos:restored-from': input.snapshot },
  });
}

async function createInstances(ctx: RollbackContext, target: RdsTarget, input: Plan): Promise<void> {
  const old = input.settings.instances;
  for (const [index, id] of input.instances.entries()) {
    const existing = await target.rds.describeInstance(id);
    if (existing) {
      if (existing.cluster !== target.cluster) throw new UserError(`An instance named ${id} already exists in ${existing.cluster}: rename or delete it, then run this step again.`, 'instance-conflict');
      continue;
    }
    const like = old[index] ?? old[0];
    const instanceClass = like?.instanceClass ?? 'db.r6g.large';
    ctx.log.info(`aws rds create-db-instance --db-instance-identifier ${id} --db-cluster-identifier ${target.cluster} --db-instance-class ${instanceClass} --engine ${input.settings.engine}`);
    await target.rds.createInstance({
      id,
      cluster: target.cluster,
      instanceClass,
      engine: input.settings.engine,
      ...(like?.availabilityZone ? { availabilityZone: like.availabilityZone } : {}),
      ...(like?.promotionTier !== undefined ? { promotionTier: like.promotionTier } : {}),
      tags: { 'lendos:release': ctx.version.format() },
    });
    await ctx.record({ instancesCreated: input.instances.slice(0, index + 1) });
  }
}

/** States on the way to `available`; `missing` is an instance RDS does not list yet just after its creation. */
const WAITING = new Set(['missing', 'creating', 'backing-up', 'modifying', 'configuring-enhanced-monitoring', 'configuring-log-exports', 'rebooting', 'starting', 'upgrading', 'renaming', 'resetting-master-credentials']);

function failedRestore(target: RdsTarget, what: string, status: string): UserError {
  return new UserError(
    `RDS reports ${what} as "${status}": the restore failed. The old cluster is kept as ${target.aside}. Look at the events (aws rds describe-events --source-type db-cluster ` +
      `--source-identifier ${target.cluster}); then delete the failed ${target.cluster} and its instances yourself (LendOS never deletes a cluster), reset this step and run it again.`,
    'restore-failed',
  );
}

async function waitAvailable(ctx: RollbackContext, target: RdsTarget, input: Plan): Promise<DbInstanceInfo[]> {
  const began = ctx.clock.now();
  return pollRds(
    ctx,
    async () => {
      const cluster = await target.rds.describeCluster(target.cluster);
      if (!cluster) throw new UserError(`${target.cluster} disappeared while being restored (deleted by someone?): reset this step and run it again.`, 'restore-failed');
      const instances = await Promise.all(input.instances.map(async (id) => (await target.rds.describeInstance(id)) ?? { id, status: 'missing' }));
      for (const i of instances) if (i.status !== 'available' && !WAITING.has(i.status)) throw failedRestore(target, `instance ${i.id}`, i.status);
      if (cluster.status !== 'available' && !WAITING.has(cluster.status)) throw failedRestore(target, `cluster ${target.cluster}`, cluster.status);
      const ready = instances.filter((i) => i.status === 'available').length;
      await ctx.progress(`restoring ${elapsed(ctx, began)}: cluster ${cluster.status}, ${ready}/${instances.length} instance(s) available`);
      return cluster.status === 'available' && ready === instances.length ? (instances as DbInstanceInfo[]) : undefined;
    },
    `Stopped waiting for the restore of ${target.cluster}; RDS goes on restoring it. Run this step again to keep waiting: it restores nothing twice.`,
  );
}

export const restoreSnapshot: StepExecutor<UpgradePorts, Plan> = {
  stepId: /^(staging|production)\.rollback\.restore-cluster$/,

  async observe(ctx) {
    const requested = ctx.evidenceOf(ctx.step.id)[REQUESTED];
    if (typeof requested !== 'string') return { done: false };
    const target = await rdsTarget(ctx);
    const cluster = await target.rds.describeCluster(target.cluster);
    const settings = clusterBefore(ctx.evidenceOf(rollbackStepId(target.environment, 'rename-cluster')));
    if (cluster?.status !== 'available' || !settings) return { done: false };
    const ids = restoredInstanceIds(target.cluster, settings.instances.length);
    const instances = await Promise.all(ids.map((id) => target.rds.describeInstance(id)));
    if (!instances.every((i) => i?.status === 'available')) return { done: false };
    return { done: true, summary: `${target.cluster} is restored from ${requested} with ${ids.join(', ')} available`, evidence: { restoredFrom: requested, instances: ids } };
  },

  prepare: plan,

  async run(ctx, input) {
    const target = await rdsTarget(ctx);
    const began = ctx.clock.now();
    await restoreCluster(ctx, target, input);
    await createInstances(ctx, target, input);
    const instances = await waitAvailable(ctx, target, input);
    return {
      summary: `${target.cluster} restored from ${input.snapshot}; ${instances.map((i) => `${i.id} (${i.instanceClass})`).join(', ')} available after ${elapsed(ctx, began)}; the old cluster is kept as ${target.aside}`,
      evidence: { restoredFrom: input.snapshot, instances: instances.map((i) => i.id), keptCluster: target.aside, headline: `${target.cluster} from ${input.snapshot}; old cluster kept as ${target.aside}`, waitedSeconds: Math.round((ctx.clock.now().getTime() - began.getTime()) / 1000) },
    };
  },
};
