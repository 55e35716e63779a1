/**
 * Phase 2's GitHub steps (2.1 preflight, 2.2 release PR and merge) against a whole rehearsal world in this process: the
 * engine (ReleaseService, StepRunner) on the world's lendos clone, the real GitHub adapter (Octokit over HTTP) and git.
 * Branches are pushed with git to the world's bare remote, as a person would.
 */
import { execFile } from 'node:child_process';
import { writeFileSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { systemClock } from '../../src/adapters/clock.js';
import { createGitHub } from '../../src/adapters/github/index.js';
import { FileJournalStore } from '../../src/adapters/journal-file.js';
import { FileRunLocks } from '../../src/adapters/run-locks.js';
import { createStepPorts } from '../../src/adapters/step-ports.js';
import { GitWorkspaceRepo } from '../../src/adapters/workspace-repo.js';
import { withRehearsal } from '../../src/core/config/environment.js';
import { defaultConfig } from '../../src/core/config/defaults.js';
import type { LendosConfig } from '../../src/core/config/types.js';
import type { EventData, JournalEvent } from '../../src/core/journal/types.js';
import { ExecutorRegistry } from '../../src/engine/registry.js';
import { ReleaseService } from '../../src/engine/release-service.js';
import { StepRunner, type RunResult } from '../../src/engine/step-runner.js';
import type { FormField, Prompt } from '../../src/engine/step-types.js';
import type { GitHub, PullInfo, RepoRef, UpgradePorts } from '../../src/ports.js';
import { releasePullExecutors } from '../../src/steps/github/index.js';
import type { Scenario } from '../../rehearsal/src/index.js';
import { CollectingLog } from './phase1-world.js';
import { startTestWorld, waitFor, type TestWorld } from './rehearsal/world-helpers.js';

export const LENDOS: RepoRef = { owner: 'rplendos', name: 'lendos' };
export const GENERATED = 'services/portal-daml-upgrade/src/main/daml/Generated';
const exec = promisify(execFile);
const GIT_ENV = {
  GIT_AUTHOR_NAME: 'Ada Release',
  GIT_AUTHOR_EMAIL: 'ada@example.com',
  GIT_COMMITTER_NAME: 'Ada Release',
  GIT_COMMITTER_EMAIL: 'ada@example.com',
};

/** Answers every confirmation with `answer`, remembering the questions. */
export class AnsweringPrompt implements Prompt {
  readonly asked: string[] = [];
  constructor(private readonly answer = true) {}
  async confirm(message: string, _action: string, detail?: string): Promise<boolean> {
    this.asked.push(detail ? `${message}\n${detail}` : message);
    return this.answer;
  }
  async confirmTyped(): Promise<boolean> {
    return false;
  }
  async form(_title: string, fields: readonly FormField[]): Promise<Record<string, string>> {
    return Object.fromEntries(fields.map((f) => [f.id, f.value]));
  }
}

export interface StepRun {
  readonly result: RunResult;
  readonly log: CollectingLog;
  readonly prompt: AnsweringPrompt;
}

export class GitHubWorld {
  config: LendosConfig;
  readonly root: string;
  readonly service: ReleaseService;
  readonly ports: UpgradePorts;
  readonly gh: GitHub;
  private readonly registry = new ExecutorRegistry(releasePullExecutors);

  private constructor(readonly test: TestWorld) {
    const d = test.world.description;
    this.root = d.workspace.lendos;
    this.config = withRehearsal(defaultConfig(), d);
    this.service = new ReleaseService({
      store: new FileJournalStore(this.root),
      repo: new GitWorkspaceRepo(this.root),
      clock: systemClock,
      config: () => this.config,
      isAutomated: (id) => this.registry.isAutomated(id),
    });
    this.ports = createStepPorts(
      this.root,
      () => this.config,
      () => d,
      async () => 'Ada Release <ada@example.com>',
    );
    this.gh = createGitHub({
      baseUrl: d.github.apiUrl,
      token: d.github.token,
      tokenSource: 'the rehearsal world',
    });
  }

  static async start(scenario: string | Scenario, versions: readonly string[]): Promise<GitHubWorld> {
    const world = new GitHubWorld(await startTestWorld(scenario));
    for (const version of versions) {
      await world.service.startRelease(version);
      await world.markDependenciesDone('staging.preflight', version);
    }
    return world;
  }

  async git(...args: string[]): Promise<string> {
    return (await exec('git', args, { cwd: this.root, env: { ...process.env, ...GIT_ENV } })).stdout.trim();
  }

  /** `release/<v>` cut from origin/develop with VERSION set to `versionFile` (default: the version), pushed. */
  async pushReleaseBranch(version: string, versionFile = version): Promise<string> {
    await this.git('fetch', '-q', 'origin');
    await this.git('checkout', '-q', '-B', `release/${version}`, 'origin/develop');
    writeFileSync(path.join(this.root, 'VERSION'), `${versionFile}\n`);
    await this.git('commit', '-qam', `Bump VERSION to ${versionFile} for release`);
    await this.git('push', '-q', 'origin', `release/${version}`);
    return this.git('rev-parse', 'HEAD');
  }

  /** Commits `files` (path → content; null removes it) on the checked-out branch and pushes it; answers the new head. */
  async commitAndPush(
    branch: string,
    message: string,
    files: Record<string, string | null>,
  ): Promise<string> {
    await this.git('checkout', '-q', branch);
    for (const [file, content] of Object.entries(files)) {
      const full = path.join(this.root, file);
      if (content === null) {
        rmSync(full, { force: true });
        continue;
      }
      mkdirSync(path.dirname(full), { recursive: true });
      writeFileSync(full, content);
    }
    await this.git('add', '-A', '--', ...Object.keys(files));
    await this.git('commit', '-qm', message);
    await this.git('push', '-q', 'origin', branch);
    return this.git('rev-parse', 'HEAD');
  }

  runner(): StepRunner {
    return new StepRunner(this.service, this.registry, this.ports, new FileRunLocks(this.root), 'cli');
  }

  async run(version: string, stepId: string, answer = true): Promise<StepRun> {
    const prompt = new AnsweringPrompt(answer);
    const log = new CollectingLog();
    const result = await this.runner().run(version, stepId, {
      prompt,
      log,
      signal: new AbortController().signal,
    });
    return { result, log, prompt };
  }

  /** Marks every step `stepId` waits for as done by hand, as a person who did them outside LendOS would. */
  async markDependenciesDone(stepId: string, version: string): Promise<void> {
    const view = await this.service.view(version);
    const byId = new Map(view.plan.map((p) => [p.step.id, p]));
    const needed = new Set<string>();
    const visit = (id: string) => {
      for (const dep of byId.get(id)?.step.dependsOn ?? [])
        if (!needed.has(dep)) (needed.add(dep), visit(dep));
    };
    visit(stepId);
    for (const planned of view.plan) {
      if (needed.has(planned.step.id) && planned.state.status !== 'succeeded') {
        await this.service.markDone(version, planned.step.id, { force: true, note: 'done before the test' });
      }
    }
  }

  async events(version: string, stepId: string): Promise<JournalEvent[]> {
    return (await new FileJournalStore(this.root).read(version)).events.filter((e) => e.step === stepId);
  }

  async evidence(version: string, stepId: string): Promise<EventData> {
    return (await this.service.view(version)).plan.find((p) => p.step.id === stepId)?.state.evidence ?? {};
  }

  /** The open release PR of `version` (to main). */
  async releasePull(version: string): Promise<PullInfo | undefined> {
    return (await this.gh.findPulls(LENDOS, { head: `release/${version}`, base: 'main' }))[0];
  }

  /** Waits until the world's product approver has reviewed PR `number`. */
  async approved(number: number): Promise<void> {
    await waitFor(
      `luis-product's review of #${number}`,
      async () =>
        (await this.gh.listReviews(LENDOS, number)).some((r) => r.user === 'luis-product') ? true : undefined,
      20_000,
    );
  }

  /** Closes or reopens a PR through the REST API (the port has no such method: LendOS never closes PRs). */
  async setPullState(number: number, state: 'open' | 'closed'): Promise<void> {
    const d = this.test.world.description;
    const res = await fetch(`${d.github.apiUrl}/repos/rplendos/lendos/pulls/${number}`, {
      method: 'PATCH',
      headers: { authorization: `token ${d.github.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ state }),
    });
    if (!res.ok) throw new Error(`PATCH #${number}: ${res.status} ${await res.text()}`);
  }

  cleanup(): Promise<void> {
    return this.test.cleanup();
  }
}
