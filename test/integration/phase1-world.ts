/**
 * A rehearsal world for the Phase 1 step tests: the seeded lendos remote (a fresh copy per world), an engineer's clone,
 * the rehearsal ECR with AWS config files, and the engine (ReleaseService + StepRunner) over the real adapters.
 */
import { after, afterEach, before } from 'mocha';
import { FileRunLocks } from '../../src/adapters/run-locks.js';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { systemClock } from '../../src/adapters/clock.js';
import { FileJournalStore } from '../../src/adapters/journal-file.js';
import { GitCli } from '../../src/adapters/git.js';
import { NodeProcesses } from '../../src/adapters/processes.js';
import { lazyEcr } from '../../src/adapters/aws/lazy.js';
import { GitWorkspaceRepo } from '../../src/adapters/workspace-repo.js';
import { defaultConfig } from '../../src/core/config/defaults.js';
import type { JournalEvent } from '../../src/core/journal/types.js';
import { ReleaseService } from '../../src/engine/release-service.js';
import { ExecutorRegistry } from '../../src/engine/registry.js';
import { StepRunner, type RunResult } from '../../src/engine/step-runner.js';
import type { FormField, LogSink, Prompt } from '../../src/engine/step-types.js';
import type { Phase1Ports } from '../../src/ports.js';
import { phase1Executors } from '../../src/steps/index.js';
import { createClock } from '../../rehearsal/src/clock.js';
import type { Fault, Scenario } from '../../rehearsal/src/contracts.js';
import {
  createEcrRegistry,
  startAwsServer,
  writeAwsConfig,
  type AwsServer,
} from '../../rehearsal/src/aws/index.js';
import { cloneWorkspace, createRemotes } from '../../rehearsal/src/git/index.js';
import { instantScenario } from './rehearsal/scenario-fixture.js';

export const VERSION = '2025.4.0';
export const REGION = 'us-east-1';
const credentials = { accessKeyId: 'AKIAPHASE1TEST000001', secretAccessKey: 'phase1-test-secret' };

export function scenario(faults: Fault[] = []): Scenario {
  return instantScenario('phase1-test', 11, faults);
}

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** Seeds the lendos remote once; each world copies it, so worlds never see each other's pushes. */
export class RemoteTemplate {
  private dir = '';
  lendos = '';

  async create(): Promise<void> {
    this.dir = mkdtempSync(path.join(os.tmpdir(), 'lendos-phase1-template-'));
    const world = scenario();
    this.lendos = (await createRemotes(this.dir, { clock: createClock(world), scenario: world })).lendos;
  }

  remove(): void {
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Answers programmatically and remembers what was asked. */
export class ScriptedPrompt implements Prompt {
  readonly confirms: { message: string; detail?: string }[] = [];
  readonly forms: { title: string; fields: readonly FormField[] }[] = [];

  constructor(
    private readonly answers: {
      /** The answer to every confirmation, or per question. */
      confirm?: boolean | ((message: string) => boolean);
      form?: (fields: readonly FormField[]) => Record<string, string> | undefined;
    } = {},
  ) {}

  async confirm(message: string, _action: string, detail?: string): Promise<boolean> {
    this.confirms.push({ message, detail });
    const answer = this.answers.confirm ?? true;
    return typeof answer === 'function' ? answer(message) : answer;
  }

  async confirmTyped(): Promise<boolean> {
    return true;
  }

  async form(title: string, fields: readonly FormField[]): Promise<Record<string, string> | undefined> {
    this.forms.push({ title, fields });
    return this.answers.form
      ? this.answers.form(fields)
      : Object.fromEntries(fields.map((f) => [f.id, f.value]));
  }
}

export class CollectingLog implements LogSink {
  readonly lines: string[] = [];
  output_ = '';
  constructor(private readonly onOutput?: (chunk: string) => void) {}
  info(line: string): void {
    this.lines.push(`info: ${line}`);
  }
  warn(line: string): void {
    this.lines.push(`warn: ${line}`);
  }
  error(line: string): void {
    this.lines.push(`error: ${line}`);
  }
  output(chunk: string): void {
    this.output_ += chunk;
    this.onOutput?.(chunk);
  }
  text(): string {
    return `${this.lines.join('\n')}\n${this.output_}`;
  }
}

export interface StepRun {
  readonly result: RunResult;
  readonly log: CollectingLog;
  readonly prompt: ScriptedPrompt;
}

export interface WorldOptions {
  faults?: Fault[];
  scriptEnv?: Record<string, string>;
  /** Changes made in the clone (and pushed) before the release starts. */
  prepare?: (root: string) => void;
}

export class Phase1World {
  readonly root: string;
  readonly remote: string;
  readonly store: FileJournalStore;
  readonly service: ReleaseService;
  readonly runner: StepRunner;
  readonly ports: Phase1Ports;

  private constructor(
    private readonly dir: string,
    readonly server: AwsServer,
    aws: { configFile: string; credentialsFile: string },
    scriptEnv: Record<string, string>,
  ) {
    this.root = path.join(dir, 'lendos');
    this.remote = path.join(dir, 'lendos.git');
    const registry = new ExecutorRegistry(phase1Executors);
    this.store = new FileJournalStore(this.root);
    this.service = new ReleaseService({
      store: this.store,
      repo: new GitWorkspaceRepo(this.root),
      clock: systemClock,
      config: defaultConfig,
      isAutomated: (id) => registry.isAutomated(id),
    });
    const profile = defaultConfig().aws.artifactsProfile;
    this.ports = {
      workspaceRoot: this.root,
      git: new GitCli(),
      processes: new NodeProcesses(),
      ecr: lazyEcr(() => ({ region: REGION, profile, endpoint: server.url, ...aws })),
      scriptEnv: {
        AWS_ENDPOINT_URL_ECR: server.url,
        AWS_CONFIG_FILE: aws.configFile,
        AWS_SHARED_CREDENTIALS_FILE: aws.credentialsFile,
        ...scriptEnv,
      },
    };
    this.runner = new StepRunner(this.service, registry, this.ports, new FileRunLocks(this.ports.workspaceRoot), 'editor');
  }

  static async create(template: RemoteTemplate, options: WorldOptions = {}): Promise<Phase1World> {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'lendos-phase1-'));
    cpSync(template.lendos, path.join(dir, 'lendos.git'), { recursive: true });
    const world = scenario(options.faults);
    await cloneWorkspace(path.join(dir, 'lendos.git'), path.join(dir, 'lendos'), { scenario: world });
    options.prepare?.(path.join(dir, 'lendos'));
    const clock = createClock(world);
    const server = await startAwsServer({
      clock,
      scenario: world,
      credentials,
      ecr: createEcrRegistry(clock, world),
    });
    const aws = writeAwsConfig(path.join(dir, 'aws'), credentials, REGION);
    const created = new Phase1World(dir, server, aws, options.scriptEnv ?? {});
    await created.service.startRelease(VERSION);
    return created;
  }

  async run(
    stepId: string,
    answers: ConstructorParameters<typeof ScriptedPrompt>[0] = {},
    shell: { signal?: AbortSignal; onOutput?: (chunk: string) => void } = {},
  ): Promise<StepRun> {
    const prompt = new ScriptedPrompt(answers);
    const log = new CollectingLog(shell.onOutput);
    const result = await this.runner.run(VERSION, stepId, {
      prompt,
      log,
      signal: shell.signal ?? new AbortController().signal,
    });
    return { result, log, prompt };
  }

  async events(stepId?: string): Promise<JournalEvent[]> {
    const { events } = await this.store.read(VERSION);
    return stepId ? events.filter((e) => e.step === stepId) : events;
  }

  /** The step's folded evidence. */
  async evidence(stepId: string): Promise<Record<string, unknown>> {
    const view = await this.service.view(VERSION);
    return view.plan.find((p) => p.step.id === stepId)?.state.evidence ?? {};
  }

  /** `git ls-remote` of the world's remote: every ref and its commit. */
  remoteRefs(): string {
    return git(this.root, 'ls-remote', this.remote);
  }

  async close(): Promise<void> {
    await this.server.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * Mocha hooks for a suite of Phase 1 worlds: one seeded remote template for the suite, and every world a test
 * creates closed after that test.
 */
export function usePhase1Worlds(): { template: RemoteTemplate; world: (options?: WorldOptions) => Promise<Phase1World> } {
  const template = new RemoteTemplate();
  const worlds: Phase1World[] = [];
  before(() => template.create());
  afterEach(async () => {
    await Promise.all(worlds.splice(0).map((w) => w.close()));
  });
  after(() => template.remove());
  const world = async (options?: WorldOptions) => {
    const created = await Phase1World.create(template, options);
    worlds.push(created);
    return created;
  };
  return { template, world };
}
