/**
 * The `lease-contended` fault: someone renews a Lease between a client's read and its write, so the write carries a
 * stale resourceVersion and the API server answers 409 Conflict — the race a second engineer's renewal causes, made
 * to happen on the first `times` writes of each Lease.
 */
import type { ClusterContext } from './context.js';
import { Resources } from './store.js';

const writes = new WeakMap<ClusterContext, number>();

/** Before a PUT of a Lease: when the fault applies, "another holder" renews it first (the object's version moves on). */
export function contendLease(context: ClusterContext, namespace: string | undefined, name: string): void {
  const fault = context.scenario.faults.find((f) => f.kind === 'lease-contended' && (!f.cluster || f.cluster === context.name));
  if (fault?.kind !== 'lease-contended') return;
  const count = writes.get(context) ?? 0;
  if (count >= (fault.times ?? 1)) return;
  const current = context.store.get(Resources.leases, namespace, name);
  if (!current) return;
  writes.set(context, count + 1);
  const annotations = { ...(current.metadata.annotations ?? {}), 'rehearsal.lendos.io/contended': String(count + 1) };
  context.store.update(Resources.leases, { ...current, metadata: { ...current.metadata, annotations } });
}
