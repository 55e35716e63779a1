/**
 * Step locks as files, `.lendos/runs/locks/<version>/<key>.lock`, created with O_EXCL so that exactly one process
 * gets each; the file names the run (id, pid, host, shell, person, since). A lock whose process is gone — killed,
 * crashed, its pid since reused by another program — is taken over under a short-lived takeover lock, so two
 * processes never both replace it.
 */
import { readFileSync } from 'node:fs';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseOwner, ownerData, type RunOwner } from '../core/run-owner.js';
import type { RunLock, RunLocks } from '../ports.js';

/** A lock file still empty (its writer died between create and write) is left alone this long, then taken. */
const UNREADABLE_GRACE_MS = 10_000;
/** A takeover lock older than this was left by a process that died while taking over. */
const TAKEOVER_STALE_MS = 30_000;
const RETRIES = 5;

/** When a process started, in clock ticks since boot (`/proc/<pid>/stat` field 22); undefined where there is no /proc. */
export function processStart(pid: number | 'self'): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const start = Number(fields[19]);
    return Number.isFinite(start) ? start : undefined;
  } catch {
    return undefined;
  }
}

function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const code = (error: unknown) => (error as NodeJS.ErrnoException).code;

/** A key as a file name: step ids are dotted words already; anything else is encoded. */
const fileName = (key: string) => `${encodeURIComponent(key)}.lock`;

export class FileRunLocks implements RunLocks {
  readonly host = os.hostname();
  readonly pid = process.pid;
  readonly pidStart = processStart('self');
  /** Runs of this process that hold a lock now. */
  private readonly active = new Set<string>();

  constructor(private readonly root: string) {}

  fileOf(version: string, key: string): string {
    return path.join(this.root, '.lendos', 'runs', 'locks', version, fileName(key));
  }

  isAlive(owner: Pick<RunOwner, 'id' | 'pid' | 'host' | 'pidStart'>): boolean | undefined {
    if (owner.host !== this.host) return undefined;
    if (owner.pid === this.pid) return this.active.has(owner.id);
    if (!pidExists(owner.pid)) return false;
    // The pid is taken: by the run's process only if it started when that process did.
    const start = owner.pidStart === undefined ? undefined : processStart(owner.pid);
    return start === undefined || start === owner.pidStart;
  }

  async acquire(version: string, key: string, owner: RunOwner): Promise<RunLock | { heldBy: RunOwner; file: string }> {
    const file = this.fileOf(version, key);
    await fs.mkdir(path.dirname(file), { recursive: true });
    for (let attempt = 0; attempt < RETRIES; attempt += 1) {
      if (await this.create(file, owner)) return this.lockOf(file, owner);
      const holder = await this.holderOf(file);
      if (holder === 'gone') continue;
      if (holder === 'writing') {
        await new Promise((resolve) => setTimeout(resolve, 100));
        continue;
      }
      if (holder !== 'unreadable' && this.isAlive(holder) !== false) return { heldBy: holder, file };
      await this.takeOver(file, holder);
    }
    const holder = await this.holderOf(file);
    if (typeof holder === 'object') return { heldBy: holder, file };
    throw new Error(`Could not take the step lock ${file} after ${RETRIES} tries; another process keeps replacing it.`);
  }

  private async create(file: string, owner: RunOwner): Promise<boolean> {
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(file, 'wx');
    } catch (error) {
      if (code(error) === 'EEXIST') return false;
      throw error;
    }
    try {
      await handle.write(JSON.stringify(ownerData(owner)) + '\n');
      await handle.sync();
    } finally {
      await handle.close();
    }
    this.active.add(owner.id);
    return true;
  }

  private lockOf(file: string, owner: RunOwner): RunLock {
    return {
      release: async () => {
        this.active.delete(owner.id);
        // Only our own lock is removed: a lock taken over meanwhile belongs to its new holder.
        const holder = await this.holderOf(file);
        if (typeof holder === 'object' && holder.id === owner.id) await fs.rm(file, { force: true });
      },
    };
  }

  /**
   * The lock's run; `writing` while a fresh file is still empty, `unreadable` when its writer died before writing it,
   * `gone` when it was released meanwhile.
   */
  private async holderOf(file: string): Promise<RunOwner | 'writing' | 'unreadable' | 'gone'> {
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch (error) {
      if (code(error) === 'ENOENT') return 'gone';
      throw error;
    }
    const owner = (() => {
      try {
        return parseOwner(JSON.parse(text));
      } catch {
        return undefined;
      }
    })();
    if (owner) return owner;
    const age = Date.now() - (await fs.stat(file).then((s) => s.mtimeMs, () => Date.now()));
    return age < UNREADABLE_GRACE_MS ? 'writing' : 'unreadable';
  }

  /** Removes a dead holder's lock, unless someone else replaced it first; one process at a time does this. */
  private async takeOver(file: string, dead: RunOwner | 'unreadable'): Promise<void> {
    const takeover = `${file}.takeover`;
    const stale = await fs.stat(takeover).then((s) => Date.now() - s.mtimeMs > TAKEOVER_STALE_MS, () => false);
    if (stale) await fs.rm(takeover, { force: true });
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(takeover, 'wx');
    } catch (error) {
      if (code(error) === 'EEXIST') return void (await new Promise((resolve) => setTimeout(resolve, 50)));
      throw error;
    }
    try {
      const now = await this.holderOf(file);
      const same = dead === 'unreadable' ? now === 'unreadable' : typeof now === 'object' && now.id === dead.id;
      if (same) await fs.rm(file, { force: true });
    } finally {
      await handle.close();
      await fs.rm(takeover, { force: true });
    }
  }
}
