/**
 * Rollback 3 · Rename the cluster away: RDS restores only into a new cluster, so the broken one gives up its identifier
 * (`ModifyDBCluster --new-db-cluster-identifier … --apply-immediately`). Its settings and instances are recorded first
 * (the restore repeats them); the renamed cluster is kept and reported, never deleted.
 */
import { UserError } from '../../core/errors.js';
import type { JsonValue } from '../../core/journal/types.js';
import type { StepExecutor } from '../../engine/step-types.js';
import type { DbClusterDetails, UpgradePorts } from '../../ports.js';
import { CLUSTER_BEFORE, clusterBefore, confirmRds, elapsed, pollRds, rdsTarget, settingsOf, type ClusterBefore, type RdsTarget, type RollbackContext } from './rds-target.js';

/** The settings as journal data (plain JSON: optional fields that are absent stay absent). */
const asJson = (settings: ClusterBefore): JsonValue => JSON.parse(JSON.stringify(settings)) as JsonValue;

type Plan = { readonly kind: 'rename'; readonly settings: ClusterBefore } | { readonly kind: 'wait' };

async function instancesOf(target: RdsTarget, cluster: DbClusterDetails): Promise<ClusterBefore['instances']> {
  const instances: ClusterBefore['instances'] = [];
  for (const member of cluster.members) {
    const instance = await target.rds.describeInstance(member.id);
    if (!instance) continue;
    instances.push({
      id: instance.id,
      instanceClass: instance.instanceClass,
      writer: member.writer,
      ...(instance.availabilityZone ? { availabilityZone: instance.availabilityZone } : {}),
      ...(instance.promotionTier !== undefined ? { promotionTier: instance.promotionTier } : {}),
    });
  }
  return instances;
}

function conflict(target: RdsTarget): UserError {
  return new UserError(
    `RDS already has a cluster named ${target.aside} besides ${target.cluster} — an earlier rollback's? LendOS will not rename over it. ` +
      `Look at both (aws rds describe-db-clusters --db-cluster-identifier ${target.aside}); once ${target.aside} is no longer needed, rename or delete it yourself, then run this step again. Nothing was changed.`,
    'rename-conflict',
  );
}

async function plan(ctx: RollbackContext, target: RdsTarget): Promise<Plan | undefined> {
  const [current, aside] = await Promise.all([target.rds.describeCluster(target.cluster), target.rds.describeCluster(target.aside)]);
  if (!current && aside) {
    ctx.log.info(`${target.cluster} is already renamed to ${target.aside} (${aside.status}); waiting for the rename to settle.`);
    return { kind: 'wait' };
  }
  if (!current) throw new UserError(`RDS has no cluster ${target.cluster} (nor ${target.aside}) in ${target.env.label}: check lendos.environments.${target.environment}.cantonCluster and the AWS profile. Nothing was changed.`, 'missing-cluster');
  if (aside) throw conflict(target);
  if (current.status !== 'available') {
    throw new UserError(`${target.cluster} is ${current.status}: RDS renames only an available cluster. Wait until it is available, then run this step again. Nothing was changed.`, 'rds-cluster-state');
  }
  const settings = settingsOf(current, await instancesOf(target, current));
  const classes = settings.instances.map((i) => `${i.id} ${i.instanceClass}`).join(', ') || 'no instances';
  ctx.log.info(`${target.cluster}: ${current.engine} ${current.engineVersion}, subnet group ${current.subnetGroup ?? '—'}, security groups ${current.securityGroupIds.join(', ') || '—'}, ${classes}`);
  const account = await confirmRds(ctx, target, `Rename the Canton cluster ${target.cluster} to ${target.aside} (applied immediately; the cluster and its instances are kept, under the new name) so that the snapshot can be restored as ${target.cluster}`);
  return account ? { kind: 'rename', settings } : undefined;
}

export const renameCluster: StepExecutor<UpgradePorts, Plan> = {
  stepId: /^(staging|production)\.rollback\.rename-cluster$/,

  async observe(ctx) {
    if (!clusterBefore(ctx.evidenceOf(ctx.step.id))) return { done: false };
    const target = await rdsTarget(ctx);
    const aside = await target.rds.describeCluster(target.aside);
    if (aside?.status !== 'available') return { done: false };
    return { done: true, summary: `${target.cluster} was renamed to ${target.aside}, kept and available`, evidence: { renamedTo: target.aside } };
  },

  async prepare(ctx) {
    return plan(ctx, await rdsTarget(ctx));
  },

  async run(ctx, input) {
    const target = await rdsTarget(ctx);
    const began = ctx.clock.now();
    if (input.kind === 'rename') {
      // The settings are in the journal before RDS hears of the rename: the restore needs them whatever happens next.
      await ctx.recordFirst({ [CLUSTER_BEFORE]: asJson(input.settings) });
      ctx.log.info(`aws rds modify-db-cluster --db-cluster-identifier ${target.cluster} --new-db-cluster-identifier ${target.aside} --apply-immediately`);
      await target.rds.renameCluster(target.cluster, target.aside);
    } else if (!clusterBefore(ctx.evidenceOf(ctx.step.id))) {
      const aside = await target.rds.describeCluster(target.aside);
      if (aside) await ctx.recordFirst({ [CLUSTER_BEFORE]: asJson(settingsOf(aside, await instancesOf(target, aside))) });
    }
    await ctx.record({ renamedTo: target.aside });
    await pollRds(
      ctx,
      async () => {
        const [aside, original] = await Promise.all([target.rds.describeCluster(target.aside), target.rds.describeCluster(target.cluster)]);
        await ctx.progress(`${target.aside}: ${aside?.status ?? 'not yet'}${original ? `; ${target.cluster} still there` : ''}`);
        return aside?.status === 'available' && !original ? aside : undefined;
      },
      `Stopped waiting for the rename of ${target.cluster} to ${target.aside}; RDS goes on with it. Run this step again to keep waiting.`,
    );
    return {
      summary: `${target.cluster} renamed to ${target.aside} (kept; waited ${elapsed(ctx, began)}); ${target.cluster} is free for the restore`,
      evidence: { renamedTo: target.aside, keptCluster: target.aside, headline: `${target.env.label}: kept as ${target.aside}` },
    };
  },
};
