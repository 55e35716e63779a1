/** Runs a rehearsal world as its own process group (`lendos rehearse --headless`), so it outlives window reloads. */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../core/errors.js';

export interface RunningWorld {
  readonly pid: number;
  readonly dir: string;
  readonly worldFile: string;
  readonly workspace: string;
  readonly scenario: string;
}

/** Scenario names shipped with the extension (`rehearsal/scenarios/*.yaml`). */
export function listScenarioNames(extensionRoot: string): string[] {
  const dir = path.join(extensionRoot, 'rehearsal', 'scenarios');
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.yaml')).map((f) => f.slice(0, -5)).sort() : [];
}

function readWorld(worldFile: string, pid?: number): RunningWorld | undefined {
  try {
    const w = JSON.parse(readFileSync(worldFile, 'utf8')) as { pid: number; dir: string; scenario: string; workspace: { lendos: string } };
    if (pid !== undefined && w.pid !== pid) return undefined;
    return { pid: w.pid, dir: w.dir, worldFile, workspace: w.workspace.lendos, scenario: w.scenario };
  } catch {
    return undefined;
  }
}

export async function startWorldProcess(options: { cli: string; dir: string; scenario: string; timeoutMs?: number; signal?: AbortSignal }): Promise<RunningWorld> {
  const worldFile = path.join(options.dir, 'world.json');
  const child = spawn(process.execPath, [options.cli, 'rehearse', '--headless', '--dir', options.dir, '--scenario', options.scenario], {
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4000)));
  let exited: number | string | undefined;
  child.on('exit', (code, sig) => (exited = code ?? sig ?? 'unknown'));
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    const world = child.pid ? readWorld(worldFile, child.pid) : undefined;
    if (world) {
      child.stderr?.destroy();
      child.unref();
      return world;
    }
    if (exited !== undefined || Date.now() > deadline || options.signal?.aborted) {
      if (exited === undefined && child.pid) process.kill(-child.pid, 'SIGTERM');
      throw new UserError(`The rehearsal world did not start${exited !== undefined ? ` (exit ${exited})` : ''}: ${stderr.trim() || 'no output'}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The world a world.json describes, when its process still runs. */
export function runningWorld(worldFile: string): RunningWorld | undefined {
  const world = readWorld(worldFile);
  return world && isAlive(world.pid) ? world : undefined;
}

/** Stops the world's whole process group (SIGTERM; it closes its servers and exits). */
export async function stopWorldProcess(world: RunningWorld, timeoutMs = 10_000): Promise<void> {
  try {
    process.kill(-world.pid, 'SIGTERM');
  } catch {
    return;
  }
  const deadline = Date.now() + timeoutMs;
  while (isAlive(world.pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  if (isAlive(world.pid)) process.kill(-world.pid, 'SIGKILL');
}
