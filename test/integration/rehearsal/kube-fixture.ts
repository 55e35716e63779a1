import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { createClock } from '../../../rehearsal/src/clock.js';
import type { ClusterName, Fault, Scenario, ScenarioDurations } from '../../../rehearsal/src/contracts.js';
import { startKubeCluster, writeKubeconfig, type KubeCluster, type KubeClusterOptions } from '../../../rehearsal/src/kube/index.js';

/** What the kube fidelity suites share: a cluster, a kubeconfig for it, and a client-node KubeConfig. */
export interface KubeFixture {
  cluster: KubeCluster;
  kc: k8s.KubeConfig;
  kubeconfig: string;
  context: string;
  dir: string;
  close(): Promise<void>;
}

export const token = 'rehearsal-kube-token';
export const stagingContext = 'lendos-stg/SREOperatorAccess';

export const values = {
  'lendos-portal-backend': 'v0.0.812',
  'lendos-portal-frontend': 'v0.0.548',
  'signing-portal-backend': 'v0.0.806',
  'signing-portal-frontend': 'v0.0.541',
};

export function scenario(faults: Fault[] = [], durations: Partial<ScenarioDurations> = {}): Scenario {
  return {
    name: 'kube-test',
    description: 'kube fidelity suite',
    seed: 7,
    timeScale: 0.01,
    durations: { podReady: 2_000, podTerminate: 2_000, stage: 20_000, snapshot: 1_000, restore: 1_000, argoSync: 5_000, mainBuild: 1_000, ...durations },
    faults,
  };
}

export async function startFixture(
  options: { scenario?: Scenario; name?: ClusterName; valuesTags?: KubeClusterOptions['valuesTags']; eventHistoryLimit?: number } = {},
): Promise<KubeFixture> {
  const world = options.scenario ?? scenario();
  const cluster = await startKubeCluster({
    name: options.name ?? 'staging',
    token,
    clock: createClock({ timeScale: world.timeScale, seed: world.seed }),
    scenario: world,
    valuesTags: options.valuesTags ?? (async () => ({ ...values })),
    eventHistoryLimit: options.eventHistoryLimit,
  });
  const dir = mkdtempSync(join(tmpdir(), 'lendos-kube-'));
  const kubeconfig = join(dir, 'kubeconfig');
  await writeKubeconfig(kubeconfig, [{ context: stagingContext, url: cluster.url, token }]);
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(kubeconfig);
  return {
    cluster,
    kc,
    kubeconfig,
    context: stagingContext,
    dir,
    close: async () => {
      await cluster.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls until `check` returns a value (not undefined/false); fails after `timeoutMs` with `what`. */
export async function waitFor<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await check();
    if (result !== undefined && result !== false) return result;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The `code` of a rejected client-node call. */
export async function apiErrorCode(call: Promise<unknown>): Promise<number> {
  try {
    await call;
  } catch (error) {
    if (error instanceof k8s.ApiException) return error.code;
    throw error;
  }
  throw new Error('expected the call to fail');
}

export function bodyOf(error: unknown): Record<string, unknown> {
  const body = (error as { body?: unknown }).body;
  return (typeof body === 'string' ? JSON.parse(body) : body) as Record<string, unknown>;
}

export function podPhase(pod: { status?: { phase?: string } } | undefined): string | undefined {
  return pod?.status?.phase;
}

export function isReady(pod: { status?: { conditions?: { type: string; status: string }[] } }): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** A Job shaped like the daml-upgrade chart's (run-upgrade.sh) for one stage. */
export function stageJob(stage: string, options: { version?: string; parallelism?: number; backoffLimit?: number; name?: string } = {}): k8s.V1Job {
  const version = options.version ?? '0.1.93';
  const labels = {
    'app.kubernetes.io/name': 'daml-upgrade',
    'io.lendos.app/current-version': version,
    'io.lendos.app/previous-version': '0.1.92',
    'io.lendos.app/upgrade-stage': stage,
  };
  const parallelism = options.parallelism ?? 1;
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: options.name ?? `daml-upgrade-${version.replace(/\./g, '-')}-${stage}`, labels },
    spec: {
      parallelism,
      completions: parallelism,
      backoffLimit: options.backoffLimit ?? 0,
      template: {
        metadata: { labels },
        spec: {
          restartPolicy: 'Never',
          containers: [{
            name: 'upgrade',
            image: `381492038457.dkr.ecr.us-east-1.amazonaws.com/right-pedal/portal-daml-upgrade:v${version}.0.1.92.1-runner`,
            args: ['--ledger-host', 'canton-participant.canton-participant.svc.cluster.local', '--ledger-port', '5011'],
          }],
        },
      },
    },
  };
}
