/**
 * Who runs a step: a run id, the process and host it runs in, which shell started it, and the person. It is written
 * into the journal (`step.started`), into the step's lock file and into the cluster Lease, so that a second runner is
 * refused with who, where and since when — and a run whose process is gone is known to be gone.
 */
import { isRecord } from './config/validate.js';
import type { JsonValue } from './journal/types.js';

export type RunShell = 'editor' | 'cli';

export interface RunOwner {
  /** Unique per run, e.g. `r-6f1c2a9b`. */
  readonly id: string;
  readonly pid: number;
  readonly host: string;
  readonly shell: RunShell;
  /** `Name <email>` from git config. */
  readonly actor: string;
  /** ISO 8601: when this run started. */
  readonly since: string;
  /** When its process started (clock ticks since boot, from /proc), so that a reused pid is not taken for it. */
  readonly pidStart?: number;
}

const SHELL_NAMES: Record<RunShell, string> = { editor: 'VS Code', cli: 'lendos CLI' };

/** "lendos CLI (pid 4242) on ada-codespace" */
export function whereOf(owner: Pick<RunOwner, 'shell' | 'pid' | 'host'>): string {
  return `${SHELL_NAMES[owner.shell]} (pid ${owner.pid}) on ${owner.host}`;
}

/** "Ada <ada@example.com> in lendos CLI (pid 4242) on ada-codespace since 2025-11-10 12:00:03 UTC (run r-6f1c2a9b)" */
export function describeOwner(owner: RunOwner): string {
  return `${owner.actor} in ${whereOf(owner)} since ${owner.since.slice(0, 19).replace('T', ' ')} UTC (run ${owner.id})`;
}

export function ownerData(owner: RunOwner): { [key: string]: JsonValue } {
  const { id, pid, host, shell, actor, since, pidStart } = owner;
  return { id, pid, host, shell, actor, since, ...(pidStart !== undefined ? { pidStart } : {}) };
}

/** Reads a run owner back from journal data or a lock file; undefined when it is not one. */
export function parseOwner(value: unknown): RunOwner | undefined {
  if (!isRecord(value)) return undefined;
  const { id, pid, host, shell, actor, since, pidStart } = value;
  if (typeof id !== 'string' || typeof pid !== 'number' || !Number.isInteger(pid) || typeof host !== 'string') return undefined;
  if (shell !== 'editor' && shell !== 'cli') return undefined;
  if (typeof actor !== 'string' || typeof since !== 'string' || Number.isNaN(Date.parse(since))) return undefined;
  return { id, pid, host, shell, actor, since, ...(typeof pidStart === 'number' ? { pidStart } : {}) };
}

/**
 * The Lease's `holderIdentity` for a run: the person, the place and the run, readable by a person running
 * `kubectl get lease` and parsed back by `parseHolder`.
 */
export function holderOf(owner: RunOwner): string {
  return `${owner.actor} @ ${owner.host} (${owner.shell} pid ${owner.pid}, run ${owner.id})`;
}

export interface ParsedHolder {
  readonly actor: string;
  readonly host: string;
  readonly shell?: RunShell;
  readonly pid?: number;
  readonly runId?: string;
}

const HOLDER = /^(?<actor>.*) @ (?<host>[^\s()]+)(?: \((?<shell>editor|cli) pid (?<pid>\d+), run (?<run>[\w-]+)\))?$/;

/** The parts of a holder identity (`holderOf`), or of the older `person @ host` form; undefined for anything else. */
export function parseHolder(holder: string): ParsedHolder | undefined {
  const groups = HOLDER.exec(holder)?.groups;
  if (!groups?.actor || !groups.host) return undefined;
  const { actor, host, shell, pid, run } = groups;
  return {
    actor,
    host,
    ...(shell === 'editor' || shell === 'cli' ? { shell } : {}),
    ...(pid ? { pid: Number(pid) } : {}),
    ...(run ? { runId: run } : {}),
  };
}
