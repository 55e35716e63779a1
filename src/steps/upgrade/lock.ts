/**
 * The cluster lock of the upgrade procedure: a coordination.k8s.io Lease (config.lease) in the environment's cluster.
 * Every procedure step takes it at its start (a no-op renewal when we hold it), renews it while it runs, and the last
 * step (validate) releases it. A second engineer sees who holds it and since when; a lease not renewed for twice its
 * duration is stale and can be taken over, but only after a confirmation.
 */
import { UserError } from '../../core/errors.js';
import { Declined } from '../../engine/step-types.js';
import { KubeConflict, type LeaseRecord } from '../../ports.js';
import type { Target, UpgradeStepContext } from './target.js';

export interface HeldLock {
  readonly holder: string;
  /** When this holder took it (ISO 8601). */
  readonly since: string;
  /** Stops renewing (the end of a step); the lease stays held. */
  stop(): void;
  /** Gives the lease up (the end of the procedure). */
  release(): Promise<void>;
}

/** How stale a lease must be before it can be taken over: twice its duration without a renewal. */
const STALE_FACTOR = 2;

function minutesAgo(iso: string | undefined, now: Date): string {
  if (!iso) return 'never';
  const minutes = Math.round((now.getTime() - Date.parse(iso)) / 60_000);
  return minutes < 1 ? 'less than a minute ago' : `${minutes} min ago`;
}

export function isStale(lease: LeaseRecord, now: Date, durationSeconds: number): boolean {
  const last = lease.renewTime ?? lease.acquireTime;
  if (!last) return true;
  return now.getTime() - Date.parse(last) > STALE_FACTOR * (lease.durationSeconds ?? durationSeconds) * 1000;
}

export async function holderIdentity(ctx: UpgradeStepContext): Promise<string> {
  return `${await ctx.ports.actor()} @ ${ctx.ports.host}`;
}

function describe(lease: LeaseRecord, target: Target, now: Date): string {
  return (
    `The upgrade lock (Lease ${lease.namespace}/${lease.name} in context ${target.context}) is held by ${lease.holder} ` +
    `since ${lease.acquireTime ?? 'an unknown time'} (last renewed ${minutesAgo(lease.renewTime, now)})`
  );
}

/** Takes the lease, or renews it when `holder` has it; refuses (or asks, when stale) when someone else does. */
async function take(ctx: UpgradeStepContext, target: Target, holder: string): Promise<LeaseRecord> {
  const { name, namespace, durationSeconds } = ctx.config.lease;
  const { kube, context } = target;
  const now = new Date();
  const stamp = now.toISOString();
  const current = await kube.getLease(context, namespace, name);
  if (!current) {
    return kube.createLease(context, namespace, name, { holder, durationSeconds, acquireTime: stamp, renewTime: stamp, transitions: 0 });
  }
  if (current.holder === holder) {
    const acquireTime = current.acquireTime ?? stamp;
    return kube.replaceLease(context, current, { holder, durationSeconds, acquireTime, renewTime: stamp, transitions: current.transitions });
  }
  if (current.holder && !isStale(current, now, durationSeconds)) {
    throw new UserError(`${describe(current, target, now)}. Wait until they finish, or ask them to release it. Nothing was changed.`, 'lock-held');
  }
  if (current.holder) {
    const question = `${describe(current, target, now)}, more than ${STALE_FACTOR}× its ${current.durationSeconds ?? durationSeconds} s duration: its holder probably stopped. Take the lock over?`;
    if (!(await ctx.prompt.confirm(question, 'Take over'))) throw new Declined(`${describe(current, target, now)}; not taken over. Nothing was changed.`);
    ctx.log.warn(`Taking over the upgrade lock from ${current.holder}.`);
  }
  return kube.replaceLease(context, current, { holder, durationSeconds, acquireTime: stamp, renewTime: stamp, transitions: current.transitions + 1 });
}

/** Takes (or renews) the lock for this step, and keeps renewing it until `stop`. */
export async function holdLock(ctx: UpgradeStepContext, target: Target): Promise<HeldLock> {
  const holder = await holderIdentity(ctx);
  let lease: LeaseRecord;
  try {
    lease = await take(ctx, target, holder);
  } catch (error) {
    // Someone else created or renewed it between our read and our write: read again and decide on what is there.
    if (!(error instanceof KubeConflict)) throw error;
    lease = await take(ctx, target, holder);
  }
  ctx.log.info(`Holding the upgrade lock ${lease.namespace}/${lease.name} as ${holder} (since ${lease.acquireTime ?? 'now'}).`);
  await ctx.record({ lock: { lease: `${lease.namespace}/${lease.name}`, holder, since: lease.acquireTime ?? null } });
  const renew = async () => {
    try {
      lease = await take(ctx, target, holder);
    } catch (error) {
      ctx.log.warn(`Could not renew the upgrade lock: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  const timer = setInterval(() => void renew(), Math.max(1, ctx.config.lease.durationSeconds / 3) * 1000);
  timer.unref();
  return {
    holder,
    since: lease.acquireTime ?? new Date().toISOString(),
    stop: () => clearInterval(timer),
    release: async () => {
      clearInterval(timer);
      const current = await target.kube.getLease(target.context, lease.namespace, lease.name);
      if (current?.holder !== holder) return;
      await target.kube.replaceLease(target.context, current, { durationSeconds: ctx.config.lease.durationSeconds, transitions: current.transitions });
      ctx.log.info(`Released the upgrade lock ${lease.namespace}/${lease.name}.`);
    },
  };
}

/** Runs `work` holding the lock; renewal stops when it ends, the lease itself stays held for the next step. */
export async function withLock<T>(ctx: UpgradeStepContext, target: Target, work: (lock: HeldLock) => Promise<T>): Promise<T> {
  const lock = await holdLock(ctx, target);
  try {
    return await work(lock);
  } finally {
    lock.stop();
  }
}
