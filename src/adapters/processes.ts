/**
 * The Processes port: programs spawned with argument arrays (no shell) in a process group of their own, so that a
 * cancel ends the script and everything it started.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readlink, realpath } from 'node:fs/promises';
import path from 'node:path';
import type { ProcessRequest, ProcessResult, Processes } from '../ports.js';

/** How long a cancelled script's process group gets to exit after SIGTERM before SIGKILL. */
const KILL_GRACE_MS = 3_000;

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is already gone.
  }
}

/** A program to run in a process group of its own (the git adapter runs git through this too). */
export interface GroupRequest extends Omit<ProcessRequest, 'env'> {
  /** The whole environment of the process (nothing is inherited besides). */
  readonly env: NodeJS.ProcessEnv;
  /** After a cancel's SIGTERM, how long the group gets before SIGKILL. */
  readonly killGraceMs?: number;
}

/**
 * Spawns `command` (argument array, no shell) as the leader of a new process group. Aborting `signal` sends the
 * group SIGTERM, then SIGKILL after the grace; stragglers are killed once the leader is gone. Resolves when the leader
 * has exited and its output is read; rejects only when the program cannot start (or the signal had already aborted).
 */
export async function runInGroup(request: GroupRequest): Promise<ProcessResult> {
  request.signal?.throwIfAborted();
  return new Promise((resolve, reject) => {
    const child = spawn(request.command, [...request.args], {
      cwd: request.cwd,
      env: request.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (child.pid !== undefined) request.onStart?.(child.pid);
    let forceKill: NodeJS.Timeout | undefined;
    const onAbort = () => {
      killGroup(child, 'SIGTERM');
      forceKill = setTimeout(() => killGroup(child, 'SIGKILL'), request.killGraceMs ?? KILL_GRACE_MS);
      forceKill.unref();
    };
    request.signal?.addEventListener('abort', onAbort, { once: true });
    for (const stream of ['stdout', 'stderr'] as const) {
      child[stream].setEncoding('utf8');
      child[stream].on('data', (chunk: string) => request.onOutput?.(chunk, stream));
    }
    const finish = () => {
      request.signal?.removeEventListener('abort', onAbort);
      if (forceKill) clearTimeout(forceKill);
    };
    child.once('error', (error) => {
      finish();
      reject(new Error(`Could not start ${request.command}: ${error.message}`));
    });
    child.once('close', (exitCode, signal) => {
      finish();
      // A cancelled program's children may outlive it; the group kill covers them, this reaps stragglers.
      if (request.signal?.aborted) killGroup(child, 'SIGKILL');
      resolve({ exitCode, signal });
    });
  });
}

export class NodeProcesses implements Processes {
  async run(request: ProcessRequest): Promise<ProcessResult> {
    return runInGroup({ ...request, env: { ...process.env, ...request.env } });
  }

  async isRunning(pid: number, cwd: string): Promise<boolean> {
    if (!Number.isInteger(pid) || pid <= 1) return false;
    try {
      process.kill(-pid, 0);
    } catch {
      // ESRCH: the whole group is gone; EPERM: another user's group, so not a script of ours.
      return false;
    }
    // Linux (Codespaces): a leader that still runs shows its working folder; scripts often exec, so the command may not.
    const leaderCwd = await readlink(`/proc/${pid}/cwd`).catch(() => undefined);
    if (leaderCwd === undefined) return true;
    return leaderCwd === (await realpath(cwd).catch(() => path.resolve(cwd)));
  }
}
