/**
 * The cluster lock of the upgrade procedure: a coordination.k8s.io Lease (config.lease) in the environment's cluster,
 * held by a run (its holder names the person, the host, the process and the run id). Every procedure step takes it
 * at its start, renews it while it runs, and the last step (validate) releases it; between steps it stays held. A
 * holder whose run is over (the journal shows it ended, or its process is gone) is replaced without asking; a live
 * run elsewhere is refused with who and since when; a lease not renewed for twice its duration is stale and can be
 * taken over after a confirmation — in production by typing the environment's name.
 */
import { confirmationName } from '../../core/config/environment.js';
import { UserError, messageOf } from '../../core/errors.js';
import { holderOf, parseHolder, type ParsedHolder } from '../../core/run-owner.js';
import { neutraliseLine } from '../../core/text.js';
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

/** The Lease holder identity of this run. */
export function holderIdentity(ctx: UpgradeStepContext): string {
  return holderOf(ctx.run);
}

function describe(lease: LeaseRecord, target: Target, now: Date): string {
  return (
    `The upgrade lock (Lease ${lease.namespace}/${lease.name} in context ${target.context}) is held by ${neutraliseLine(lease.holder ?? 'nobody')} ` +
    `since ${lease.acquireTime ?? 'an unknown time'} (last renewed ${minutesAgo(lease.renewTime, now)})`
  );
}

/** Whether the holder is a run that has ended: its process is gone, or this workspace's journal shows it over. */
async function idle(ctx: UpgradeStepContext, holder: ParsedHolder): Promise<boolean> {
  if (holder.runId === undefined || holder.pid === undefined) {
    // The form before runs were named: the same person on the same host is this workspace's earlier step.
    return holder.actor === ctx.run.actor && holder.host === ctx.run.host;
  }
  return !(await ctx.isLive({ id: holder.runId, pid: holder.pid, host: holder.host }));
}

/** A stale lease of a live-looking run: taken over only when confirmed; production asks for the typed name. */
async function confirmTakeover(ctx: UpgradeStepContext, target: Target, current: LeaseRecord, now: Date): Promise<void> {
  const question = `${describe(current, target, now)}, more than ${STALE_FACTOR}× its ${current.durationSeconds ?? ctx.config.lease.durationSeconds} s duration: its holder probably stopped. Take the lock over?`;
  const production = target.environment === 'production';
  const name = confirmationName(target.env);
  const confirmed = production
    ? await ctx.prompt.confirmTyped(`${question} Type "${name}" to take it over.`, name)
    : await ctx.prompt.confirm(question, 'Take over');
  if (!confirmed) throw new Declined(`${describe(current, target, now)}; not taken over. Nothing was changed.`);
  ctx.log.warn(`Taking over the upgrade lock from ${neutraliseLine(current.holder ?? 'nobody')}.`);
}

/** Takes the lease, or renews it when this run has it; refuses (or asks, when stale) when a live run elsewhere does. */
async function take(ctx: UpgradeStepContext, target: Target, holder: string): Promise<LeaseRecord> {
  const { name, namespace, durationSeconds } = ctx.config.lease;
  const { kube, context } = target;
  const now = ctx.clock.now();
  const stamp = now.toISOString();
  const current = await kube.getLease(context, namespace, name);
  if (!current) {
    return kube.createLease(context, namespace, name, { holder, durationSeconds, acquireTime: stamp, renewTime: stamp, transitions: 0 });
  }
  if (current.holder === holder) {
    const acquireTime = current.acquireTime ?? stamp;
    return kube.replaceLease(context, current, { holder, durationSeconds, acquireTime, renewTime: stamp, transitions: current.transitions });
  }
  const parsed = current.holder ? parseHolder(current.holder) : undefined;
  if (current.holder && parsed && (await idle(ctx, parsed))) {
    ctx.log.info(`The upgrade lock was left by a run that has ended (${neutraliseLine(current.holder)}); this run takes it.`);
  } else if (current.holder && !isStale(current, now, durationSeconds)) {
    throw new UserError(`${describe(current, target, now)}. Wait until they finish, or ask them to release it. Nothing was changed.`, 'lock-held');
  } else if (current.holder) {
    await confirmTakeover(ctx, target, current, now);
  }
  return kube.replaceLease(context, current, { holder, durationSeconds, acquireTime: stamp, renewTime: stamp, transitions: current.transitions + 1 });
}

/**
 * Before a step asks anything: refuses at once when a live run elsewhere holds the lock (not stale, not ended), so a
 * person is not asked to confirm a change that would then be refused. Taking it stays the run's work.
 */
export async function checkLockFree(ctx: UpgradeStepContext, target: Target): Promise<void> {
  const { name, namespace, durationSeconds } = ctx.config.lease;
  const current = await target.kube.getLease(target.context, namespace, name);
  const now = ctx.clock.now();
  if (!current?.holder || current.holder === holderIdentity(ctx) || isStale(current, now, durationSeconds)) return;
  const parsed = parseHolder(current.holder);
  if (parsed && (await idle(ctx, parsed))) return;
  throw new UserError(`${describe(current, target, now)}. Wait until they finish, or ask them to release it. Nothing was changed.`, 'lock-held');
}

/** Takes (or renews) the lock for this step, and keeps renewing it until `stop`. */
export async function holdLock(ctx: UpgradeStepContext, target: Target): Promise<HeldLock> {
  const holder = holderIdentity(ctx);
  let lease: LeaseRecord;
  try {
    lease = await take(ctx, target, holder);
  } catch (error) {
    // Someone else created or renewed it between our read and our write: read again and decide on what is there.
    if (!(error instanceof KubeConflict)) throw error;
    ctx.log.info('The upgrade lock changed while it was being taken; reading it again.');
    lease = await take(ctx, target, holder);
  }
  ctx.log.info(`Holding the upgrade lock ${lease.namespace}/${lease.name} as ${holder} (since ${lease.acquireTime ?? 'now'}).`);
  await ctx.record({ lock: { lease: `${lease.namespace}/${lease.name}`, holder, since: lease.acquireTime ?? null } });
  const renewing = new AbortController();
  const every = Math.max(1, ctx.config.lease.durationSeconds / 3) * 1000;
  void (async () => {
    for (;;) {
      await ctx.clock.sleep(every, renewing.signal);
      lease = await take(ctx, target, holder).catch((error: unknown) => {
        ctx.log.warn(`Could not renew the upgrade lock: ${messageOf(error)}`);
        return lease;
      });
    }
  })().catch(() => undefined);
  return {
    holder,
    since: lease.acquireTime ?? ctx.clock.now().toISOString(),
    stop: () => renewing.abort(),
    release: async () => {
      renewing.abort();
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
