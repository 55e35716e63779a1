// Where the scripts find the project and keep downloads that must survive a fresh clone.
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** `${LENDOS_CACHE_DIR:-~/.cache/lendos-release}`: outside the clone, so `git clean` keeps the 300 MB install. */
export function cacheDir() {
  return process.env.LENDOS_CACHE_DIR || path.join(os.homedir(), '.cache', 'lendos-release');
}

/** Seconds since `startedAt` (a `performance.now()` value), for progress lines. */
export function secondsSince(startedAt) {
  return ((performance.now() - startedAt) / 1000).toFixed(1);
}
