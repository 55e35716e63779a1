/** The machine's clock, and waits that end early when their signal aborts. */
import type { Clock } from '../ports.js';

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export const systemClock: Clock = { now: () => new Date(), sleep };

/** A clock fixed at `at` (for tests and benchmarks of pure logic); its waits are real. */
export function fixedClock(at: Date): Clock {
  return { now: () => new Date(at), sleep };
}
