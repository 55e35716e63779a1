/**
 * The AWS/PQS upgrade steps against a whole rehearsal world in this process: the engine (ReleaseService, StepRunner)
 * on the world's lendos clone, with the real adapters (RDS, STS, ECR, PQS, Kubernetes) pointed at the world.
 */
import { DescribeDBClusterSnapshotsCommand, RDSClient, type DBClusterSnapshot } from '@aws-sdk/client-rds';
import { githubPorts } from './github-ports.js';
import { recordIdentity } from '../../src/adapters/config-file.js';
import { withRehearsal } from '../../src/core/config/environment.js';
import { FileRunLocks } from '../../src/adapters/run-locks.js';
import { fromIni } from '@aws-sdk/credential-providers';
import { environmentAwsOptions, lazyAwsIdentity, lazyEcr, lazyRds } from '../../src/adapters/aws/lazy.js';
import { GitCli } from '../../src/adapters/git.js';
import { FetchHttpProbe } from '../../src/adapters/http-probe.js';
import { systemClock } from '../../src/adapters/clock.js';
import { FileJournalStore } from '../../src/adapters/journal-file.js';
import { lazyKube } from '../../src/adapters/kube/lazy.js';
import { lazyPqs, pqsOptionsFor } from '../../src/adapters/pqs/lazy.js';
import { NodeProcesses } from '../../src/adapters/processes.js';
import { GitWorkspaceRepo } from '../../src/adapters/workspace-repo.js';
import { defaultConfig } from '../../src/core/config/defaults.js';
import type { LendosConfig } from '../../src/core/config/types.js';
import type { EventData, JournalEvent } from '../../src/core/journal/types.js';
import { ReleaseService } from '../../src/engine/release-service.js';
import { ExecutorRegistry } from '../../src/engine/registry.js';
import { StepRunner, type RunResult } from '../../src/engine/step-runner.js';
import type { FormField, Prompt } from '../../src/engine/step-types.js';
import type { UpgradePorts } from '../../src/ports.js';
import { upgradeAwsExecutors } from '../../src/steps/upgrade/aws.js';
import type { Scenario } from '../../rehearsal/src/index.js';
import { CollectingLog } from './phase1-world.js';
import { startTestWorld, type TestWorld } from './rehearsal/world-helpers.js';

export const VERSION = '2025.4.0';
export const ACTOR = 'Ada Release <ada@example.com>';
export const UPGRADE_REPOSITORY = 'right-pedal/portal-daml-upgrade';

/** The runbook's defaults, with each environment's account reached through its runbook profile. */
export function testConfig(): LendosConfig {
  const config = defaultConfig();
  const { staging, production } = config.environments;
  return {
    ...config,
    environments: {
      ...config.environments,
      staging: { ...staging, awsProfile: 'lendos-stg/SREOperatorAccess' },
      production: { ...production, awsProfile: 'bxci-prod/SREOperatorAccess' },
    },
  };
}

/** A prompt whose typed confirmation can be refused; it remembers what it was asked. */
export class TypedPrompt implements Prompt {
  readonly typed: { message: string; expected: string }[] = [];
  readonly confirms: string[] = [];
  constructor(private readonly typedAnswer = true) {}
  async confirm(message: string): Promise<boolean> {
    this.confirms.push(message);
    return true;
  }
  async confirmTyped(message: string, expected: string): Promise<boolean> {
    this.typed.push({ message, expected });
    return this.typedAnswer;
  }
  async form(_title: string, fields: readonly FormField[]): Promise<Record<string, string>> {
    return Object.fromEntries(fields.map((f) => [f.id, f.value]));
  }
}

export interface StepRun {
  readonly result: RunResult;
  readonly log: CollectingLog;
  readonly prompt: TypedPrompt;
}

export class UpgradeAwsWorld {
  readonly config: LendosConfig;
  readonly service: ReleaseService;
  readonly store: FileJournalStore;
  readonly ports: UpgradePorts;
  private readonly registry = new ExecutorRegistry(upgradeAwsExecutors);

  private constructor(readonly test: TestWorld) {
    const description = test.world.description;
    this.config = withRehearsal(testConfig(), description);
    const root = description.workspace.lendos;
    this.store = new FileJournalStore(root);
    this.service = new ReleaseService({
      store: this.store,
      repo: new GitWorkspaceRepo(root),
      clock: systemClock,
      config: () => this.config,
      isAutomated: (id) => this.registry.isAutomated(id),
    });
    this.ports = this.portsFor(root);
  }

  static async start(scenario: string | Scenario): Promise<UpgradeAwsWorld> {
    const created = new UpgradeAwsWorld(await startTestWorld(scenario));
    await created.service.startRelease(VERSION);
    return created;
  }

  private portsFor(root: string): UpgradePorts {
    const d = this.test.world.description;
    const env = (name: 'staging' | 'production') => this.config.environments[name];
    const files = { configFile: d.aws.configFile, credentialsFile: d.aws.credentialsFile };
    const kube = lazyKube(() => ({ kubeconfig: d.kubeconfig }));
    return {
      workspaceRoot: root,
      git: new GitCli(),
      processes: new NodeProcesses(),
      ecr: lazyEcr(() => ({ region: d.aws.region, profile: this.config.aws.artifactsProfile, endpoint: d.aws.ecrEndpoint, ...files })),
      scriptEnv: {},
      kube,
      rds: (name) => lazyRds(() => environmentAwsOptions(env(name), 'rds', d.aws))(),
      identity: (name) => lazyAwsIdentity(() => environmentAwsOptions(env(name), 'sts', d.aws))(),
      pqs: (name) => lazyPqs(() => pqsOptionsFor(env(name), d, async (...at) => (await kube()).readSecret(...at)))(),
      http: new FetchHttpProbe(),
      actor: async () => ACTOR,
      recordIdentity: (environment, identity) => recordIdentity(root, environment, identity as Record<string, string>),
      ...githubPorts(root, () => this.config, d),
    };
  }

  /** A runner as a freshly started window would build it (nothing running in it). */
  runner(): StepRunner {
    return new StepRunner(this.service, this.registry, this.ports, new FileRunLocks(this.ports.workspaceRoot), 'editor');
  }

  async run(stepId: string, options: { prompt?: TypedPrompt; signal?: AbortSignal; runner?: StepRunner } = {}): Promise<StepRun> {
    const prompt = options.prompt ?? new TypedPrompt();
    const log = new CollectingLog();
    const runner = options.runner ?? this.runner();
    const result = await runner.run(VERSION, stepId, { prompt, log, signal: options.signal ?? new AbortController().signal });
    return { result, log, prompt };
  }

  /** Marks every step `stepId` waits for as done by hand, as a person who did them outside LendOS would. */
  async markDependenciesDone(stepId: string, notes: Record<string, string> = {}): Promise<void> {
    const view = await this.service.view(VERSION);
    const byId = new Map(view.plan.map((p) => [p.step.id, p]));
    const needed = new Set<string>();
    const visit = (id: string) => {
      for (const dep of byId.get(id)?.step.dependsOn ?? []) {
        if (!needed.has(dep)) {
          needed.add(dep);
          visit(dep);
        }
      }
    };
    visit(stepId);
    for (const planned of view.plan) {
      const done = planned.state.status === 'succeeded' || planned.state.status === 'skipped';
      if (!needed.has(planned.step.id) || done) continue;
      const note = notes[planned.step.id];
      if (planned.step.kind === 'approval' && note === undefined) {
        // LendOS now refuses an approval without a note; a journal written before that rule can still hold one.
        await this.service.appendEvent({ release: VERSION, step: planned.step.id, type: 'step.marked-done', data: {} });
        continue;
      }
      await this.service.markDone(VERSION, planned.step.id, { force: true, note });
    }
  }

  /** Journals a step's success with evidence, as its executor would have. */
  async recordSuccess(stepId: string, evidence: EventData): Promise<void> {
    await this.service.appendEvent({ release: VERSION, step: stepId, type: 'step.started' });
    await this.service.appendEvent({ release: VERSION, step: stepId, type: 'step.succeeded', message: 'recorded by the test', data: evidence });
  }

  async evidence(stepId: string): Promise<EventData> {
    const view = await this.service.view(VERSION);
    return view.plan.find((p) => p.step.id === stepId)?.state.evidence ?? {};
  }

  async events(stepId: string): Promise<JournalEvent[]> {
    return (await this.store.read(VERSION)).events.filter((e) => e.step === stepId);
  }

  /** The cluster's snapshots named for this release, straight from the world's RDS through the SDK. */
  async releaseSnapshots(cluster: string, profile: string): Promise<DBClusterSnapshot[]> {
    const d = this.test.world.description;
    const client = new RDSClient({
      region: d.aws.region,
      endpoint: d.aws.rdsEndpoint,
      credentials: fromIni({ profile, filepath: d.aws.credentialsFile, configFilepath: d.aws.configFile }),
    });
    try {
      const answer = await client.send(new DescribeDBClusterSnapshotsCommand({ DBClusterIdentifier: cluster }));
      return (answer.DBClusterSnapshots ?? []).filter((s) => s.DBClusterSnapshotIdentifier?.startsWith('canton-upgrade-2025-4-0-'));
    } finally {
      client.destroy();
    }
  }

  cleanup(): Promise<void> {
    return this.test.cleanup();
  }
}
