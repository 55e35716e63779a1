/** Waiting on the cluster through watches (never polling): until a condition holds, a timeout passes, or a cancel. */
import { UserError } from '../../core/errors.js';
import type { Clock, Kube, PodInfo } from '../../ports.js';

/** Starts a watch that calls back with the full current set; resolves when its signal aborts. */
export type WatchStarter<T> = (onChange: (items: readonly T[]) => void, signal: AbortSignal) => Promise<void>;

export interface WaitOptions<T> {
  readonly signal: AbortSignal;
  /** Times the timeout (the step's `ctx.clock`). */
  readonly clock: Clock;
  readonly timeoutMs: number;
  /** The error when the time is up, from the last set seen. */
  readonly onTimeout: (last: readonly T[] | undefined) => Error;
  /** Called on every change (progress lines). */
  readonly onChange?: (items: readonly T[]) => void;
}

/** Resolves with the first non-undefined `until(items)`; rejects on timeout, watch failure or cancel. */
export function watchUntil<T, R>(start: WatchStarter<T>, until: (items: readonly T[]) => R | undefined, options: WaitOptions<T>): Promise<R> {
  return new Promise<R>((resolve, reject) => {
    const inner = new AbortController();
    let last: readonly T[] | undefined;
    let settled = false;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      options.signal.removeEventListener('abort', onCancel);
      inner.abort();
      outcome();
    };
    const onCancel = () => finish(() => reject(options.signal.reason instanceof Error ? options.signal.reason : new Error('Cancelled')));
    if (options.signal.aborted) return onCancel();
    // `inner` aborts when the wait settles, which drops the timer.
    options.clock.sleep(options.timeoutMs, inner.signal).then(
      () => finish(() => reject(options.onTimeout(last))),
      () => undefined,
    );
    options.signal.addEventListener('abort', onCancel, { once: true });
    start((items) => {
      if (settled) return;
      last = items;
      options.onChange?.(items);
      const result = until(items);
      if (result !== undefined) finish(() => resolve(result));
    }, inner.signal).then(
      () => finish(() => reject(new Error('the watch ended before the condition held'))),
      (error: unknown) => finish(() => reject(error)),
    );
  });
}

/** Pods of several (namespace, selector) pairs watched together, keyed by pair. */
export function podGroups(kube: Kube, context: string, groups: readonly { key: string; namespace: string; selector: string }[]): WatchStarter<[string, readonly PodInfo[]]> {
  return async (onChange, signal) => {
    const current = new Map<string, readonly PodInfo[]>();
    const report = () => {
      if (current.size === groups.length) onChange([...current.entries()]);
    };
    await Promise.all(
      groups.map((group) =>
        kube.watchPods(context, group.namespace, group.selector, (pods) => {
          current.set(group.key, pods);
          report();
        }, signal),
      ),
    );
  };
}

/** Pods that count as running: neither terminating nor finished (Job pods that completed). */
export function livePods(pods: readonly PodInfo[]): PodInfo[] {
  return pods.filter((p) => !p.deleting && p.phase !== 'Succeeded' && p.phase !== 'Failed');
}

/** A one-line account of pods that are not Ready, for timeouts and failures. */
export function describePods(pods: readonly PodInfo[]): string {
  if (pods.length === 0) return 'no pods';
  return pods
    .map((p) => `${p.name} ${p.deleting ? 'Terminating' : p.phase}${p.ready ? ' Ready' : ''}${p.waiting ? ` (${p.waiting})` : ''}`)
    .join('; ');
}

export function timeoutError(what: string, seconds: number, detail: string): UserError {
  return new UserError(`Timed out after ${seconds} s waiting for ${what}: ${detail}. Nothing was undone; look at the pods, then run the step again.`, 'timeout');
}
