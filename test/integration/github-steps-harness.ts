/**
 * The GitHub steps of Phase 2 and 3 (approvals, gitflow) against a whole rehearsal world in this process: the engine
 * (ReleaseService, StepRunner) on the world's lendos clone, the real ports (Octokit, git) pointed at the world. The
 * release PR is opened and merged through the world's GitHub with Octokit, as 2.2 would, and its evidence journalled.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Octokit } from '@octokit/rest';
import { systemClock } from '../../src/adapters/clock.js';
import { FileJournalStore } from '../../src/adapters/journal-file.js';
import { FileRunLocks } from '../../src/adapters/run-locks.js';
import { createStepPorts } from '../../src/adapters/step-ports.js';
import { GitWorkspaceRepo } from '../../src/adapters/workspace-repo.js';
import { defaultConfig } from '../../src/core/config/defaults.js';
import { withRehearsal } from '../../src/core/config/environment.js';
import type { LendosConfig } from '../../src/core/config/types.js';
import type { EventData, JournalEvent } from '../../src/core/journal/types.js';
import { ReleaseService } from '../../src/engine/release-service.js';
import { ExecutorRegistry } from '../../src/engine/registry.js';
import { StepRunner, type RunResult } from '../../src/engine/step-runner.js';
import type { FormField, Prompt } from '../../src/engine/step-types.js';
import { approvalAndGitflowExecutors } from '../../src/steps/github/approvals-gitflow.js';
import type { Scenario } from '../../rehearsal/src/index.js';
import { CollectingLog } from './phase1-world.js';
import { startTestWorld, waitFor, type TestWorld } from './rehearsal/world-helpers.js';

export const VERSION = '2025.4.0';
export const RELEASE = `release/${VERSION}`;
const ACTOR = 'Ada Release <ada@example.com>';
const quiet = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** Answers confirmations by what they ask (first matching pattern; yes otherwise) and forms with given values. */
export class AnsweringPrompt implements Prompt {
  readonly asked: string[] = [];
  constructor(
    private readonly values: Record<string, string> = {},
    private readonly answers: [RegExp, boolean][] = [],
  ) {}
  async confirm(message: string): Promise<boolean> {
    this.asked.push(message);
    return this.answers.find(([pattern]) => pattern.test(message))?.[1] ?? true;
  }
  async confirmTyped(): Promise<boolean> {
    return true;
  }
  async form(_title: string, fields: readonly FormField[]): Promise<Record<string, string>> {
    return Object.fromEntries(fields.map((f) => [f.id, this.values[f.id] ?? f.value]));
  }
}

export interface StepRun {
  readonly result: RunResult;
  readonly log: CollectingLog;
  readonly prompt: AnsweringPrompt;
}

export class GitHubStepsWorld {
  readonly config: LendosConfig;
  readonly service: ReleaseService;
  readonly store: FileJournalStore;
  private readonly registry = new ExecutorRegistry(approvalAndGitflowExecutors);

  private constructor(readonly test: TestWorld) {
    const description = test.world.description;
    const defaults = defaultConfig();
    // Approvals are looked for every second: the tests watch the wait without waiting long.
    this.config = withRehearsal(
      { ...defaults, github: { ...defaults.github, approvalPollSeconds: 1 } },
      description,
    );
    this.store = new FileJournalStore(this.root);
    this.service = new ReleaseService({
      store: this.store,
      repo: new GitWorkspaceRepo(this.root),
      clock: systemClock,
      config: () => this.config,
      isAutomated: (id) => this.registry.isAutomated(id),
    });
  }

  static async start(scenario: string | Scenario): Promise<GitHubStepsWorld> {
    const created = new GitHubStepsWorld(await startTestWorld(scenario));
    await created.service.startRelease(VERSION);
    return created;
  }

  get root(): string {
    return this.test.world.description.workspace.lendos;
  }

  /** Git in the world's lendos clone (the workspace). */
  git(...args: string[]): string {
    return execFileSync('git', args, {
      cwd: this.root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    }).trim();
  }

  /** Git in the world's bare lendos remote (what GitHub holds). */
  remoteGit(...args: string[]): string {
    const cwd = this.test.world.description.remotes.lendos;
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  }

  /** The engineer's Octokit (the token LendOS uses), or the product approver's own. */
  octokit(who: 'engineer' | 'approver' = 'engineer'): Octokit {
    const { apiUrl, token, approverToken } = this.test.world.description.github;
    return new Octokit({ auth: who === 'approver' ? approverToken : token, baseUrl: apiUrl, log: quiet });
  }

  /** 1.1 and 1.2 as done: `release/<version>` from develop with VERSION bumped, pushed. */
  pushRelease(): void {
    this.git('fetch', '-q', 'origin');
    this.git('checkout', '-q', '-B', RELEASE, 'origin/develop');
    writeFileSync(path.join(this.root, 'VERSION'), `${VERSION}\n`);
    this.git('commit', '-qam', `Bump VERSION to ${VERSION} for release`);
    this.git('push', '-q', '-u', 'origin', RELEASE);
  }

  /** Opens the release PR as 2.2 does; answers its number. */
  async openReleasePull(): Promise<number> {
    const { data } = await this.octokit().rest.pulls.create({
      owner: 'rplendos',
      repo: 'lendos',
      base: 'main',
      head: RELEASE,
      title: `Release ${VERSION}`,
    });
    return data.number;
  }

  /** Merges the release PR with a merge commit and journals 2.2's evidence ({pr, mergeSha}); answers the merge SHA. */
  async mergeReleasePull(pr: number): Promise<string> {
    const at = { owner: 'rplendos', repo: 'lendos', pull_number: pr };
    const pull = (await this.octokit().rest.pulls.get(at)).data;
    const { data } = await this.octokit().rest.pulls.merge({
      ...at,
      merge_method: 'merge',
      sha: pull.head.sha,
    });
    await this.recordSuccess('staging.merge-to-main', { pr, mergeSha: data.sha });
    return data.sha;
  }

  async comment(who: 'engineer' | 'approver', pr: number, body: string): Promise<string> {
    const { data } = await this.octokit(who).rest.issues.createComment({
      owner: 'rplendos',
      repo: 'lendos',
      issue_number: pr,
      body,
    });
    return data.html_url;
  }

  runner(): StepRunner {
    const ports = createStepPorts(
      this.root,
      () => this.config,
      () => this.test.world.description,
      async () => ACTOR,
    );
    return new StepRunner(this.service, this.registry, ports, new FileRunLocks(this.root), 'editor');
  }

  async run(
    stepId: string,
    options: { prompt?: AnsweringPrompt; signal?: AbortSignal } = {},
  ): Promise<StepRun> {
    const prompt = options.prompt ?? new AnsweringPrompt();
    const log = new CollectingLog();
    const result = await this.runner().run(VERSION, stepId, {
      prompt,
      log,
      signal: options.signal ?? new AbortController().signal,
    });
    return { result, log, prompt };
  }

  /** Marks a step done by hand (dependencies not checked), as a person who did it outside LendOS would. */
  async markDone(stepId: string, note = 'done before the test'): Promise<void> {
    await this.service.markDone(VERSION, stepId, { force: true, note });
  }

  /** Journals a step's success with evidence, as its executor would have. */
  async recordSuccess(stepId: string, evidence: EventData): Promise<void> {
    await this.service.appendEvent({ release: VERSION, step: stepId, type: 'step.started' });
    await this.service.appendEvent({
      release: VERSION,
      step: stepId,
      type: 'step.succeeded',
      message: 'recorded by the test',
      data: evidence,
    });
  }

  async evidence(stepId: string): Promise<EventData> {
    const view = await this.service.view(VERSION);
    return view.plan.find((p) => p.step.id === stepId)?.state.evidence ?? {};
  }

  async events(stepId: string): Promise<JournalEvent[]> {
    return (await this.store.read(VERSION)).events.filter((e) => e.step === stepId);
  }

  /** Waits until the journal holds an event of `stepId` that `match` accepts. */
  waitForEvent(
    stepId: string,
    match: (e: JournalEvent) => boolean,
    timeoutMs = 30_000,
  ): Promise<JournalEvent> {
    return waitFor(`an event of ${stepId}`, async () => (await this.events(stepId)).find(match), timeoutMs);
  }

  cleanup(): Promise<void> {
    return this.test.cleanup();
  }
}
