/**
 * 2.2 Identify built artifact tags against a whole rehearsal world in this process: the engine (ReleaseService,
 * StepRunner) on the world's lendos clone with the product's ports (Octokit, the AWS SDK's ECR, git) pointed at it.
 * Until 2.2 Merge has its executor, the tests merge through the world's GitHub and write its evidence themselves.
 */
import { systemClock } from '../../src/adapters/clock.js';
import { FileJournalStore } from '../../src/adapters/journal-file.js';
import { FileRunLocks } from '../../src/adapters/run-locks.js';
import { createStepPorts } from '../../src/adapters/step-ports.js';
import { GitWorkspaceRepo } from '../../src/adapters/workspace-repo.js';
import { defaultConfig } from '../../src/core/config/defaults.js';
import { withRehearsal } from '../../src/core/config/environment.js';
import type { GitHubConfig, LendosConfig } from '../../src/core/config/types.js';
import type { EventData, JournalEvent } from '../../src/core/journal/types.js';
import { ReleaseService } from '../../src/engine/release-service.js';
import { ExecutorRegistry } from '../../src/engine/registry.js';
import { scriptedPrompt } from '../../src/engine/scripted-prompt.js';
import { StepRunner, type RunResult } from '../../src/engine/step-runner.js';
import type { FormField, Prompt, StepExecutor } from '../../src/engine/step-types.js';
import type { UpgradePorts } from '../../src/ports.js';
import { identifyBuiltTags } from '../../src/steps/github/built-tags.js';
import { SERVICE_BUILDS } from '../../rehearsal/src/github/main-build.js';
import type { Scenario } from '../../rehearsal/src/index.js';
import { CollectingLog } from './phase1-world.js';
import { mergeIntoMain, pushCommit } from './rehearsal/github-merge.js';
import { startTestWorld, type TestWorld } from './rehearsal/world-helpers.js';

export const VERSION = '2025.4.0';
export const STEP = 'staging.identify-tags';
export const MERGE_STEP = 'staging.merge-to-main';
const ACTOR = 'Ada Release <ada@example.com>';

/** Scripted answers (accept, or `values` by field), remembering each form it was shown. */
export class FormPrompt implements Prompt {
  readonly forms: { title: string; fields: FormField[] }[] = [];
  private readonly scripted: Prompt;
  constructor(values?: Record<string, string>, log = new CollectingLog()) {
    this.scripted = scriptedPrompt({ yes: true, values }, log);
  }
  confirm(message: string, action: string): Promise<boolean> {
    return this.scripted.confirm(message, action);
  }
  confirmTyped(message: string, expected: string): Promise<boolean> {
    return this.scripted.confirmTyped(message, expected);
  }
  form(title: string, fields: readonly FormField[]): Promise<Record<string, string> | undefined> {
    this.forms.push({ title, fields: [...fields] });
    return this.scripted.form(title, fields);
  }
}

export interface StepRun {
  readonly result: RunResult;
  readonly log: CollectingLog;
  readonly prompt: FormPrompt;
}

export class BuiltTagsWorld {
  config: LendosConfig;
  readonly service: ReleaseService;
  readonly store: FileJournalStore;
  readonly ports: UpgradePorts;
  private readonly registry: ExecutorRegistry;
  private merges = 0;

  private constructor(
    readonly test: TestWorld,
    github: Partial<GitHubConfig>,
    executors: readonly StepExecutor<UpgradePorts>[],
  ) {
    this.registry = new ExecutorRegistry(executors);
    const d = test.world.description;
    const base = withRehearsal(defaultConfig(), d);
    this.config = { ...base, github: { ...base.github, ...github } };
    const root = d.workspace.lendos;
    this.store = new FileJournalStore(root);
    this.service = new ReleaseService({
      store: this.store,
      repo: new GitWorkspaceRepo(root),
      clock: systemClock,
      config: () => this.config,
      isAutomated: (id) => this.registry.isAutomated(id),
    });
    this.ports = createStepPorts(
      root,
      () => this.config,
      () => d,
      async () => ACTOR,
    );
  }

  /** `executors`: 2.2's alone, or with the steps that follow it (values-tags). */
  static async start(
    scenario: string | Scenario,
    github: Partial<GitHubConfig> = {},
    executors: readonly StepExecutor<UpgradePorts>[] = [identifyBuiltTags],
  ): Promise<BuiltTagsWorld> {
    const created = new BuiltTagsWorld(await startTestWorld(scenario), github, executors);
    await created.service.startRelease(VERSION);
    return created;
  }

  get world() {
    return this.test.world;
  }

  /** A change on the release branch merged into main through GitHub (the build starts); answers the merge commit. */
  async merge(): Promise<string> {
    this.merges += 1;
    if (this.merges === 1) pushCommit(this.world, `release/${VERSION}`, 'VERSION', VERSION);
    else pushCommit(this.world, `release/${VERSION}`, 'HOTFIX.md', `fix ${this.merges}`);
    return mergeIntoMain(this.world, `release/${VERSION}`);
  }

  /** 2.2 Merge's evidence, as its executor records it. */
  async recordMerge(sha: string): Promise<void> {
    await this.service.appendEvent({ release: VERSION, step: MERGE_STEP, type: 'step.started' });
    await this.service.appendEvent({
      release: VERSION,
      step: MERGE_STEP,
      type: 'step.succeeded',
      message: 'merged by the test',
      data: { mergeSha: sha },
    });
  }

  async run(options: { prompt?: FormPrompt; signal?: AbortSignal } = {}): Promise<StepRun> {
    const log = new CollectingLog();
    const prompt = options.prompt ?? new FormPrompt(undefined, log);
    return { result: await this.runStep(STEP, { prompt, log, signal: options.signal }), log, prompt };
  }

  /** Runs any step of the registry with the engine's runner. */
  async runStep(stepId: string, options: { prompt: Prompt; log: CollectingLog; signal?: AbortSignal }): Promise<RunResult> {
    const runner = new StepRunner(
      this.service,
      this.registry,
      this.ports,
      new FileRunLocks(this.ports.workspaceRoot),
      'editor',
    );
    return runner.run(VERSION, stepId, {
      prompt: options.prompt,
      log: options.log,
      signal: options.signal ?? new AbortController().signal,
    });
  }

  async events(stepId = STEP): Promise<JournalEvent[]> {
    return (await this.store.read(VERSION)).events.filter((e) => e.step === stepId);
  }

  async evidence(stepId = STEP): Promise<EventData> {
    const view = await this.service.view(VERSION);
    return view.plan.find((p) => p.step.id === stepId)?.state.evidence ?? {};
  }

  /** What the world's build of `sha` pushed, read from the manifests' revision annotation: image → tag. */
  builtFrom(sha: string): Record<string, { tag: string; digest: string }> {
    const built: Record<string, { tag: string; digest: string }> = {};
    for (const { repository } of SERVICE_BUILDS) {
      const image = this.world.ecr
        .images(repository)
        .find((i) => i.manifest.includes(`"org.opencontainers.image.revision":"${sha}"`));
      if (image?.tags[0])
        built[repository.replace(/^right-pedal\//, '')] = { tag: image.tags[0], digest: image.digest };
    }
    return built;
  }

  cleanup(): Promise<void> {
    return this.test.cleanup();
  }
}
