/**
 * The Kubernetes side of the upgrade procedure on a rehearsal world started in this process: the engine (ReleaseService
 * + StepRunner) over the world's lendos clone, the real kube adapter on the world's kubeconfig, the workloads clone's
 * run-upgrade.sh run asynchronously, and a release whose earlier steps are marked done.
 */
import http from 'node:http';
import { githubPorts } from './github-ports.js';
import { recordIdentity } from '../../src/adapters/config-file.js';
import { environmentAwsOptions, lazyAwsIdentity, lazyRds } from '../../src/adapters/aws/lazy.js';
import { withRehearsal } from '../../src/core/config/environment.js';
import { FileRunLocks } from '../../src/adapters/run-locks.js';
import type { AddressInfo } from 'node:net';
import * as k8s from '@kubernetes/client-node';
import { lazyEcr } from '../../src/adapters/aws/lazy.js';
import { GitCli } from '../../src/adapters/git.js';
import { systemClock } from '../../src/adapters/clock.js';
import { FileJournalStore } from '../../src/adapters/journal-file.js';
import { lazyKube } from '../../src/adapters/kube/lazy.js';
import { NodeProcesses } from '../../src/adapters/processes.js';
import { GitWorkspaceRepo } from '../../src/adapters/workspace-repo.js';
import { defaultConfig } from '../../src/core/config/defaults.js';
import type { LendosConfig } from '../../src/core/config/types.js';
import { UserError } from '../../src/core/errors.js';
import type { JournalEvent } from '../../src/core/journal/types.js';
import type { UpgradeStage } from '../../src/core/runbook/types.js';
import { ReleaseService } from '../../src/engine/release-service.js';
import { ExecutorRegistry } from '../../src/engine/registry.js';
import { StepRunner, type RunResult } from '../../src/engine/step-runner.js';
import type { LogSink } from '../../src/engine/step-types.js';
import type { HttpProbe, UpgradePorts } from '../../src/ports.js';
import { upgradeKubeExecutors } from '../../src/steps/upgrade/index.js';
import type { ClusterName, Scenario } from '../../rehearsal/src/index.js';
import { CollectingLog, ScriptedPrompt } from './phase1-world.js';
import { kubeConfig, run, startTestWorld, type TestWorld } from './rehearsal/world-helpers.js';
import { asAda } from './helpers.js';

export const VERSION = '2025.4.0';
export const FROM = '0.1.92';
export const TO = '0.1.93';

/** A prompt that answers the production guard as told, and records what it was asked. */
export class GuardPrompt extends ScriptedPrompt {
  readonly typed: { message: string; expected: string }[] = [];
  constructor(
    private readonly typedAnswer: boolean,
    answers: ConstructorParameters<typeof ScriptedPrompt>[0] = {},
  ) {
    super(answers);
  }
  override async confirmTyped(message?: string, expected?: string): Promise<boolean> {
    this.typed.push({ message: message ?? '', expected: expected ?? '' });
    return this.typedAnswer;
  }
}

/** One sink per stage, keeping everything written to it. */
export class StageSinks {
  readonly text = new Map<UpgradeStage, string>();
  sink = (stage: UpgradeStage): LogSink => {
    const add = (chunk: string) => this.text.set(stage, (this.text.get(stage) ?? '') + chunk);
    return { info: (l) => add(`${l}\n`), warn: (l) => add(`${l}\n`), error: (l) => add(`${l}\n`), output: add };
  };
  lines(stage: UpgradeStage): string[] {
    return (this.text.get(stage) ?? '').split('\n').filter(Boolean);
  }
}

/** A frontend on loopback that answers 200. */
export async function startFrontend(): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const fetchProbe: HttpProbe = {
  async get(url, timeoutMs) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
      await response.arrayBuffer();
      return { status: response.status };
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error) };
    }
  },
};

export interface RunOptions {
  typed?: boolean;
  confirm?: boolean | ((message: string) => boolean);
  signal?: AbortSignal;
  stages?: StageSinks;
}

export class KubeProcedureWorld {
  service!: ReleaseService;
  runner!: StepRunner;
  readonly ports: UpgradePorts;
  private readonly registry = new ExecutorRegistry(upgradeKubeExecutors);

  private constructor(
    readonly test: TestWorld,
    public config: LendosConfig,
  ) {
    const world = test.world;
    const aws = world.description.aws;
    const notConfigured = (what: string) => async () => {
      throw new UserError(`${what} is not configured in this test world.`, 'not-configured');
    };
    this.ports = {
      workspaceRoot: world.description.workspace.lendos,
      git: new GitCli(),
      processes: new NodeProcesses(),
      ecr: lazyEcr(() => ({ region: aws.region, profile: config.aws.artifactsProfile, endpoint: aws.ecrEndpoint, configFile: aws.configFile, credentialsFile: aws.credentialsFile })),
      scriptEnv: { ...world.description.env, RUN_UPGRADE_POLL_MS: '50' },
      kube: lazyKube(() => ({ kubeconfig: world.description.kubeconfig })),
      pqs: notConfigured('PQS'),
      rds: (name) => lazyRds(() => environmentAwsOptions(config.environments[name], 'rds', aws))(),
      identity: (name) => lazyAwsIdentity(() => environmentAwsOptions(config.environments[name], 'sts', aws))(),
      http: fetchProbe,
      actor: async () => 'Ada Release <ada@example.com>',
      recordIdentity: (environment, identity) => recordIdentity(world.description.workspace.lendos, environment, identity as Record<string, string>),
      ...githubPorts(world.description.workspace.lendos, () => this.config, world.description),
    };
    this.restart();
  }

  static async start(scenario: string | Scenario, configure: (config: LendosConfig) => LendosConfig = (c) => c): Promise<KubeProcedureWorld> {
    const test = await startTestWorld(scenario);
    try {
      const created = new KubeProcedureWorld(test, configure(withRehearsal(defaultConfig(), test.world.description)));
      await created.service.startRelease(VERSION);
      await created.service.appendEvent({ release: VERSION, step: 'prep.upgrade-branch', type: 'step.succeeded', data: { from: FROM, to: TO } });
      return created;
    } catch (error) {
      await test.cleanup();
      throw error;
    }
  }

  /** A new engine over the same journal, as after a reload of the window. */
  restart(): void {
    const root = this.test.world.description.workspace.lendos;
    this.service = new ReleaseService({
      store: new FileJournalStore(root),
      repo: new GitWorkspaceRepo(root),
      clock: systemClock,
      config: () => this.config,
      isAutomated: (id) => this.registry.isAutomated(id),
    });
    this.runner = new StepRunner(this.service, this.registry, this.ports, new FileRunLocks(root), 'editor');
  }

  /** Marks every step before `stepId` (in runbook order) done, as a person would have. */
  async completeBefore(stepId: string): Promise<void> {
    const view = await this.service.view(VERSION);
    for (const planned of view.plan) {
      if (planned.step.id === stepId) return;
      if (planned.status !== 'succeeded' && planned.status !== 'skipped') await this.markDone(planned.step.id);
    }
  }

  /** Approvals carry the note LendOS requires of them. */
  async markDone(stepId: string): Promise<void> {
    const approval = (await this.service.view(VERSION)).runbook.steps.find((s) => s.id === stepId)?.kind === 'approval';
    await this.service.markDone(VERSION, stepId, { force: true, note: approval ? 'Approved in the test harness' : undefined });
  }

  async run(stepId: string, options: RunOptions = {}): Promise<{ result: RunResult; log: CollectingLog; prompt: GuardPrompt }> {
    const prompt = new GuardPrompt(options.typed ?? true, { confirm: options.confirm ?? true });
    const log = new CollectingLog();
    const result = await this.runner.run(VERSION, stepId, {
      prompt,
      log,
      signal: options.signal ?? new AbortController().signal,
      ...(options.stages ? { stageLog: options.stages.sink } : {}),
    });
    return { result, log, prompt };
  }

  async events(stepId?: string): Promise<JournalEvent[]> {
    const { events } = await new FileJournalStore(this.test.world.description.workspace.lendos).read(VERSION);
    return stepId ? events.filter((e) => e.step === stepId) : events;
  }

  async state(stepId: string) {
    const view = await this.service.view(VERSION);
    const planned = view.plan.find((p) => p.step.id === stepId);
    if (!planned) throw new Error(`no step ${stepId}`);
    return planned.state;
  }

  kc(cluster: ClusterName = 'staging'): k8s.KubeConfig {
    return kubeConfig(this.test.world, cluster);
  }

  /** The test's own read; retried through the 5xx a scenario injects for every client (flaky-network). */
  async replicas(namespace: string, deployment: string, cluster: ClusterName = 'staging'): Promise<number> {
    const api = this.kc(cluster).makeApiClient(k8s.AppsV1Api);
    for (let attempt = 1; ; attempt += 1) {
      try {
        return (await api.readNamespacedDeploymentScale({ name: deployment, namespace })).spec?.replicas ?? -1;
      } catch (error) {
        const code = (error as { code?: number }).code ?? 0;
        if (attempt >= 5 || (code < 500 && code !== 429)) throw error;
      }
    }
  }

  /** Bumps the backends' tags in values-tags-<cluster>.yaml on the workloads remote, as Phase 2's values-tags step would. */
  async bumpBackendTags(cluster: ClusterName): Promise<void> {
    const cwd = this.test.world.description.workspace.workloads;
    const file = `values-tags-${cluster}.yaml`;
    const env = asAda();
    const script = `s/tag: v0\\.0\\.812/tag: v0.0.813/; s/tag: v0\\.0\\.806/tag: v0.0.807/`;
    for (const args of [['-i', script, file]]) await run('sed', args, { cwd, env });
    for (const args of [['commit', '-qam', 'Bump backends for the upgrade'], ['push', '-q', 'origin', 'HEAD:main']]) {
      const done = await run('git', args, { cwd, env });
      if (done.code !== 0) throw new Error(`git ${args.join(' ')}: ${done.stderr}`);
    }
  }

  async close(): Promise<void> {
    await this.test.cleanup();
  }
}
