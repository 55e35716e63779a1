/** The world's folder: created fresh, or wiped when it held an earlier world, never when it holds anything else. */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Marks a folder as a rehearsal world's, so that a later run may wipe it. */
export const WORLD_MARKER = '.lendos-rehearsal-world';

export class WorldDirError extends Error {}

interface Marker {
  /** The process serving the world; absent once it stopped. */
  pid?: number;
}

function readMarker(dir: string): Marker {
  try {
    const value: unknown = JSON.parse(readFileSync(path.join(dir, WORLD_MARKER), 'utf8'));
    return typeof value === 'object' && value !== null ? (value as Marker) : {};
  } catch {
    return {};
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function isWorldDir(dir: string, entries: string[]): boolean {
  return entries.includes(WORLD_MARKER) || (entries.includes('world.json') && entries.includes('remotes'));
}

function refuseIfServed(dir: string): void {
  const { pid } = readMarker(dir);
  if (typeof pid === 'number' && isAlive(pid)) {
    const who = pid === process.pid ? 'this process' : `process ${pid}`;
    throw new WorldDirError(`a rehearsal world is still running in ${dir} (${who}); stop it first or choose another --dir`);
  }
}

/** Makes `dir` an empty world folder owned by this process; refuses a folder that holds anything but a stopped world. */
export async function prepareWorldDir(dir: string): Promise<void> {
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw new WorldDirError(`${dir} is a file; choose a new or empty folder for the world`);
    const entries = await readdir(dir);
    if (entries.length > 0 && !isWorldDir(dir, entries)) {
      throw new WorldDirError(
        `${dir} is not empty and holds no rehearsal world; choose a new or empty folder (or a world folder to recreate it)`,
      );
    }
    refuseIfServed(dir);
    await Promise.all(entries.map((entry) => rm(path.join(dir, entry), { recursive: true, force: true })));
  }
  await mkdir(dir, { recursive: true });
  await writeMarker(dir, process.pid);
}

/** Records who serves the world; `undefined` once it stopped, so the next run may wipe the folder. */
export async function writeMarker(dir: string, pid: number | undefined): Promise<void> {
  const marker: Marker = pid === undefined ? {} : { pid };
  await writeFile(path.join(dir, WORLD_MARKER), `${JSON.stringify(marker)}\n`);
}
