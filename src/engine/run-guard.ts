/**
 * One runner per step, across processes and windows: before a step runs (before it even looks at the world or asks
 * anything) its run takes the step's lock, which names the run. A second runner is refused with who, where and since.
 */
import { formatProblems } from '../core/config/validate.js';
import { UserError } from '../core/errors.js';
import type { StepDef } from '../core/runbook/types.js';
import { describeOwner, type RunOwner, type RunShell } from '../core/run-owner.js';
import type { Clock, RunLock, RunLocks } from '../ports.js';
import type { ReleaseService } from './release-service.js';

/** An upgrade stage shares its procedure run's lock: the run drives the stages, so a stage runs alone or not at all. */
export function lockKey(step: Pick<StepDef, 'id' | 'parent'>): string {
  return step.parent ?? step.id;
}

export async function newOwner(service: ReleaseService, locks: RunLocks, shell: RunShell, clock: Clock): Promise<RunOwner> {
  return {
    id: `r-${globalThis.crypto.randomUUID().slice(0, 8)}`,
    pid: locks.pid,
    host: locks.host,
    shell,
    actor: await service.actor(),
    since: clock.now().toISOString(),
    ...(locks.pidStart !== undefined ? { pidStart: locks.pidStart } : {}),
  };
}

/** Takes the step's lock for `owner`, or refuses with the run that holds it. */
export async function lockStep(locks: RunLocks, version: string, step: StepDef, owner: RunOwner): Promise<RunLock> {
  const key = lockKey(step);
  const lock = await locks.acquire(version, key, owner);
  if ('release' in lock) return lock;
  const { heldBy, file } = lock;
  const what = key === step.id ? `${step.title} (${step.id})` : `${step.title} (${step.id}, part of ${key})`;
  const here = heldBy.pid === locks.pid && heldBy.host === locks.host ? ' — in this window' : '';
  const elsewhere = heldBy.host !== locks.host ? ` If that machine is gone for good, delete ${file} and run it again.` : '';
  throw new UserError(
    `${what} is already running: ${describeOwner(heldBy)}${here}. One run at a time: wait for it, or cancel it there. Nothing was done here.${elsewhere}`,
    'step-running',
  );
}

/** While the configuration has problems a step could act on the wrong environment: nothing runs. */
export function refuseConfigProblems(service: ReleaseService): void {
  const problems = service.configProblems();
  if (problems.length === 0) return;
  throw new UserError(`The configuration has problems; fix them, then run the step again (nothing was run):\n${formatProblems(problems)}`, 'config');
}
