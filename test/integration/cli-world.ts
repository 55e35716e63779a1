/**
 * The built CLI (`dist/cli.js`, what ships: its lazy bundles load as in production) as real processes against a
 * rehearsal world: one-shot runs, long runs that a test can watch, interrupt or kill, and the world's state read back.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { createContext } from '../../src/cli/context.js';
import { FileJournalStore } from '../../src/adapters/journal-file.js';
import type { JournalEvent } from '../../src/core/journal/types.js';
import type { ClusterName, Scenario } from '../../rehearsal/src/index.js';
import { CLI, ensureBuiltCli } from './cli-helpers.js';
import { kubeConfig, run, startTestWorld, waitFor, worldEnv, type ProcessResult, type TestWorld } from './rehearsal/world-helpers.js';

export const VERSION = '2025.4.0';

/** A `lendos` process still running: its output so far, and its end. */
export interface LiveCli {
  readonly child: ChildProcess;
  readonly pid: number;
  output(): string;
  readonly exited: Promise<ProcessResult>;
}

export class CliWorld {
  private constructor(readonly test: TestWorld) {}

  static async start(scenario: string | Scenario): Promise<CliWorld> {
    ensureBuiltCli();
    const world = new CliWorld(await startTestWorld(scenario));
    const { service } = await createContext(world.root);
    await service.startRelease(VERSION);
    await service.appendEvent({ release: VERSION, step: 'prep.upgrade-branch', type: 'step.succeeded', data: { from: '0.1.92', to: '0.1.93' } });
    return world;
  }

  get root(): string {
    return this.test.world.description.workspace.lendos;
  }

  /** Marks every step before `stepId` (runbook order) done, as a person would have. */
  async completeBefore(stepId: string): Promise<void> {
    const { service } = await createContext(this.root);
    const view = await service.view(VERSION);
    for (const planned of view.plan) {
      if (planned.step.id === stepId) return;
      if (planned.status !== 'succeeded' && planned.status !== 'skipped') {
        await service.markDone(VERSION, planned.step.id, { force: true, note: 'done before the test' });
      }
    }
  }

  /** `lendos <args> --world <world.json>` to its end; stdin is not a terminal. */
  lendos(...args: string[]): Promise<ProcessResult> {
    return run(process.execPath, [CLI, ...args, '--world', this.test.world.worldFile], { cwd: this.root, env: worldEnv(this.test.world) });
  }

  /** `lendos <args>` left running: the test watches it, interrupts it (SIGINT) or kills it (SIGKILL). */
  spawn(...args: string[]): LiveCli {
    const child = spawn(process.execPath, [CLI, ...args, '--world', this.test.world.worldFile], {
      cwd: this.root,
      env: worldEnv(this.test.world),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<ProcessResult>((resolve) => child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr })));
    return { child, pid: child.pid ?? 0, output: () => stdout + stderr, exited };
  }

  async events(stepId?: string): Promise<JournalEvent[]> {
    const { events } = await new FileJournalStore(this.root).read(VERSION);
    return stepId ? events.filter((e) => e.step === stepId) : events;
  }

  /** Waits until the journal shows `stepId` with an event of `type`. */
  waitForEvent(stepId: string, type: JournalEvent['type'], timeoutMs = 60_000): Promise<JournalEvent> {
    return waitFor(`${type} of ${stepId}`, async () => (await this.events(stepId)).find((e) => e.type === type), timeoutMs);
  }

  /** The step lock files present now (`<version>/<key>.lock`). */
  lockFiles(): string[] {
    const dir = path.join(this.root, '.lendos', 'runs', 'locks', VERSION);
    return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.lock')) : [];
  }

  kc(cluster: ClusterName = 'staging'): k8s.KubeConfig {
    return kubeConfig(this.test.world, cluster);
  }

  async replicas(namespace: string, deployment: string, cluster: ClusterName = 'staging'): Promise<number> {
    const scale = await this.kc(cluster).makeApiClient(k8s.AppsV1Api).readNamespacedDeploymentScale({ name: deployment, namespace });
    return scale.spec?.replicas ?? -1;
  }

  async lease(cluster: ClusterName = 'staging'): Promise<k8s.V1Lease | undefined> {
    const api = this.kc(cluster).makeApiClient(k8s.CoordinationV1Api);
    return api.readNamespacedLease({ name: 'lendos-release-upgrade', namespace: 'lendos-portal' }).catch(() => undefined);
  }

  /** The upgrade Jobs of 0.1.93 by stage: name → uid. */
  async jobUids(cluster: ClusterName = 'staging'): Promise<Record<string, string>> {
    const jobs = await this.kc(cluster).makeApiClient(k8s.BatchV1Api).listNamespacedJob({ namespace: 'lendos-portal', labelSelector: 'io.lendos.app/current-version=0.1.93' });
    return Object.fromEntries(jobs.items.map((j) => [j.metadata?.labels?.['io.lendos.app/upgrade-stage'] ?? '', j.metadata?.uid ?? '']));
  }

  async close(): Promise<void> {
    await this.test.cleanup();
  }
}
