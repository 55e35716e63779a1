/**
 * Rollback 1/2 · Choose the snapshot: the one this release took in 3.1.3 by default, or any available snapshot of the
 * Canton cluster (field `snapshot`, `lendos run --set snapshot=…`). It must exist and be available; nothing changes.
 */
import { UserError } from '../../core/errors.js';
import type { StepExecutor } from '../../engine/step-types.js';
import type { DbClusterSnapshot, UpgradePorts } from '../../ports.js';
import { CHOSEN_SNAPSHOT, environmentOf, rdsTarget, type RdsTarget, type RollbackContext } from './rds-target.js';

const FIELD = 'snapshot';

function evidenceOf(snapshot: DbClusterSnapshot) {
  return { [CHOSEN_SNAPSHOT]: snapshot.id, snapshotArn: snapshot.arn, cluster: snapshot.cluster, snapshotCreatedAt: snapshot.createdAt ?? null };
}

/** The snapshot 3.1.3 recorded for this release and environment, if any. */
function recordedSnapshot(ctx: RollbackContext): string | undefined {
  const id = ctx.evidenceOf(`${environmentOf(ctx)}.upgrade.snapshot`)['snapshotId'];
  return typeof id === 'string' && id ? id : undefined;
}

function listLine(snapshots: readonly DbClusterSnapshot[]): string {
  return snapshots.slice(0, 4).map((s) => `${s.id} (${s.createdAt ?? 'time unknown'})`).join(', ') || 'none';
}

async function availableSnapshots(target: RdsTarget): Promise<DbClusterSnapshot[]> {
  // Manual snapshots (this release's first) before RDS's automated ones; newest first within each.
  const available = (await target.rds.listSnapshots(target.cluster)).filter((s) => s.status === 'available');
  return [...available.filter((s) => !s.id.startsWith('rds:')), ...available.filter((s) => s.id.startsWith('rds:'))];
}

export const chooseSnapshot: StepExecutor<UpgradePorts, DbClusterSnapshot> = {
  stepId: /^(staging|production)\.rollback\.choose-snapshot$/,
  fields: [FIELD],

  /** A choice is made by a person: done only when it was made and the snapshot is still there. */
  async observe(ctx) {
    const chosen = ctx.evidenceOf(ctx.step.id)[CHOSEN_SNAPSHOT];
    if (typeof chosen !== 'string') return { done: false };
    const snapshot = await (await rdsTarget(ctx)).rds.describeSnapshot(chosen);
    if (snapshot?.status !== 'available') return { done: false };
    return { done: true, summary: `Snapshot ${snapshot.id} is chosen and available`, evidence: evidenceOf(snapshot) };
  },

  async prepare(ctx) {
    const target = await rdsTarget(ctx);
    const available = await availableSnapshots(target);
    if (available.length === 0) {
      throw new UserError(`RDS has no available snapshot of ${target.cluster} in ${target.env.label}: there is nothing to restore. Nothing was changed.`, 'no-snapshot');
    }
    const recorded = recordedSnapshot(ctx);
    const recordedThere = recorded !== undefined && available.some((s) => s.id === recorded);
    if (recorded && !recordedThere) {
      ctx.log.warn(`The snapshot this release took, ${recorded}, no longer exists or is not available: choose another (${listLine(available)}).`);
    }
    const answers = await ctx.prompt.form(`Snapshot of ${target.cluster} to restore in ${target.env.label}`, [
      {
        id: FIELD,
        label: 'Snapshot',
        value: recordedThere ? recorded : '',
        source: recordedThere ? `taken by this release in 3.1.3` : `available: ${listLine(available)}`,
        validate: (value) =>
          available.some((s) => s.id === value.trim())
            ? undefined
            : `"${value.trim()}" is not an available snapshot of ${target.cluster}: use one of ${listLine(available)}.`,
      },
    ]);
    if (!answers) return undefined;
    const id = (answers[FIELD] ?? '').trim();
    const snapshot = available.find((s) => s.id === id);
    if (!snapshot) throw new UserError(`"${id}" is not an available snapshot of ${target.cluster}: use one of ${listLine(available)}. Nothing was changed.`, 'no-snapshot');
    return snapshot;
  },

  async run(ctx, snapshot) {
    const target = await rdsTarget(ctx);
    const now = await target.rds.describeSnapshot(snapshot.id);
    if (now?.status !== 'available') {
      throw new UserError(`Snapshot ${snapshot.id} is ${now ? now.status : 'gone'} now: run this step again to choose another. Nothing was changed.`, 'snapshot-unusable');
    }
    ctx.log.info(`Restore point: ${now.id} of ${now.cluster}, taken ${now.createdAt ?? 'at an unknown time'}.`);
    return { summary: `${now.id} (taken ${now.createdAt ?? '?'}) will be restored`, evidence: evidenceOf(now) };
  },
};
