import type { WorldClock } from './contracts.js';

/** mulberry32: a small deterministic PRNG, so a scenario under a seed replays the same. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function createClock(options: { timeScale: number; seed: number }): WorldClock {
  const random = mulberry32(options.seed);
  return {
    now: () => new Date(),
    sleep: (worldMs) =>
      new Promise((resolve) => {
        const t = setTimeout(resolve, Math.max(0, Math.round(worldMs * options.timeScale)));
        t.unref?.();
      }),
    random,
  };
}
