/** Shared by the world-*.test.ts fidelity suites: a world per suite in a temp folder, and child processes against it. */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { loadScenario, startWorld, type ClusterName, type Scenario, type World } from '../../../rehearsal/src/index.js';

/** A shipped scenario at the pace of `fast`, keeping its faults and seed. */
export function atFastPace(name: string): Scenario {
  const fast = loadScenario('fast');
  return { ...loadScenario(name), timeScale: fast.timeScale, durations: fast.durations };
}

export interface TestWorld {
  world: World;
  dir: string;
  /** Stops the world and removes its folder. */
  cleanup(): Promise<void>;
}

export async function startTestWorld(scenario: string | Scenario): Promise<TestWorld> {
  const dir = mkdtempSync(path.join(tmpdir(), 'lendos-world-test-'));
  try {
    const world = await startWorld({ scenario, dir, quiet: true });
    return {
      world,
      dir,
      cleanup: async () => {
        await world.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/** This process's environment without AWS, Kubernetes, GitHub or rehearsal settings, plus the world's own (world.env). */
export function worldEnv(world: World, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(AWS_|KUBE|LENDOS_|GITHUB_)/.test(k)));
  // As world.env does: the world's tool wrappers (aws) first on PATH.
  const PATH = [world.description.bin, base['PATH']].filter(Boolean).join(path.delimiter);
  return { ...base, ...world.description.env, PATH, RUN_UPGRADE_POLL_MS: '50', ...extra };
}

export interface ProcessResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a program asynchronously: a synchronous child would block the world's servers in this very process. */
export function run(file: string, args: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<ProcessResult> {
  return new Promise((resolve) => {
    execFile(file, [...args], { ...options, encoding: 'utf8', maxBuffer: 32 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** client-node on the world's kubeconfig, at the runbook's context of `cluster`. */
export function kubeConfig(world: World, cluster: ClusterName): k8s.KubeConfig {
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(world.description.kubeconfig);
  kc.setCurrentContext(world.description.contexts[cluster]);
  return kc;
}

/** Polls `probe` until it returns a value; the failure names `what` and the last value seen. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export { UPGRADE_STAGES } from '../../../src/core/runbook/types.js';
