/**
 * The release engine as the shells see it: start and switch releases, read their state, and record what a person
 * did by hand (mark done, skip, reset). Every change is a journal event; every read is a fold.
 */
import { CalVer, suggestNextVersion } from '../core/calver.js';
import type { ConfigProblem, LendosConfig } from '../core/config/types.js';
import { Emitter } from '../core/emitter.js';
import { UserError } from '../core/errors.js';
import { foldJournal } from '../core/journal/fold.js';
import { JOURNAL_VERSION, type EventData, type JournalEvent, type JournalWarning, type ReleaseState } from '../core/journal/types.js';
import { planRelease, type PlannedStep } from '../core/plan.js';
import { buildRunbook, DEV_FLOW, isDevFlow } from '../core/runbook/index.js';
import type { Runbook, StepDef } from '../core/runbook/types.js';
import type { Clock, JournalStore, WorkspaceRepo } from '../ports.js';
import { checkWorkspace } from './workspace.js';

export interface ReleaseView {
  readonly version: string;
  readonly runbook: Runbook;
  readonly state: ReleaseState;
  readonly plan: PlannedStep[];
  readonly warnings: JournalWarning[];
}

export interface ReleaseSummary {
  readonly version: string;
  readonly active: boolean;
  readonly startedAt?: string;
  readonly startedBy?: string;
  readonly done: number;
  readonly total: number;
}

export interface ReleaseServiceDeps {
  readonly store: JournalStore;
  readonly repo: WorkspaceRepo;
  readonly clock: Clock;
  readonly config: () => LendosConfig;
  /** Whether a step has an executor; such steps show as automated, the rest stay manual. */
  readonly isAutomated?: (stepId: string) => boolean;
  /** Problems of the configuration: while there are any, no step runs (it could act on the wrong environment). */
  readonly configProblems?: () => readonly ConfigProblem[];
}

export class ReleaseService {
  /** Fires with the release version whose journal changed (by this process). */
  readonly changed = new Emitter<string>();
  private actorName: Promise<string> | undefined;

  constructor(private readonly deps: ReleaseServiceDeps) {}

  async suggestVersion(): Promise<{ version: string; reason: string }> {
    await checkWorkspace(this.deps.repo);
    const [branches, versionFile] = await Promise.all([this.deps.repo.branches(), this.deps.repo.readVersionFile()]);
    const started = await this.deps.store.list();
    const suggestion = suggestNextVersion({
      branches: [...branches, ...started.map((v) => `release/${v}`)],
      versionFile,
      today: this.deps.clock.now(),
      kind: 'release',
    });
    return { version: suggestion.version.format(), reason: suggestion.reason };
  }

  /** Undefined when the text can start a release, else what is wrong and what to do. */
  async validateNewVersion(text: string): Promise<string | undefined> {
    const parsed = CalVer.tryParse(text);
    if (!parsed.ok) return parsed.error.message;
    const version = parsed.value.format();
    // A journal without a recorded start (an empty file) can be started: its start is appended.
    const { state } = (await this.deps.store.exists(version)) ? await this.load(version) : { state: undefined };
    if (state?.startedAt !== undefined) {
      const by = state.startedBy ? ` by ${state.startedBy}` : '';
      const at = state.startedAt ? ` on ${state.startedAt.slice(0, 16).replace('T', ' ')} UTC` : '';
      return `Release ${version} was already started${at}${by}: use "LendOS: Switch Release" to continue it.`;
    }
    return undefined;
  }

  async startRelease(text: string): Promise<string> {
    await checkWorkspace(this.deps.repo);
    const problem = await this.validateNewVersion(text);
    if (problem) throw new UserError(problem);
    const version = CalVer.parse(text).format();
    await this.append({ release: version, type: 'release.started', data: { version } });
    await this.deps.store.setActiveRelease(version);
    this.changed.fire(version);
    return version;
  }

  /**
   * Fix-forward (Section 3.4): starts the next hotfix of `failed` (YYYY.R.H+1) as the active release, linked both
   * ways — the hotfix's journal names the release it fixes, the failed one's names its hotfix.
   */
  async startHotfix(failed: string, text?: string): Promise<string> {
    const of = CalVer.tryParse(failed);
    if (!of.ok) throw new UserError(`cannot fix forward: ${of.error.message}`);
    const original = of.value.format();
    const { state } = await this.view(original);
    if (state.startedAt === undefined) throw new UserError(`There is no release ${original} in this workspace to fix forward: check the version (lendos status lists the releases).`);
    if (state.hotfix) throw new UserError(`Release ${original} is already fixed forward by ${state.hotfix}: continue that one (LendOS: Switch Release, or --release ${state.hotfix}).`);
    const expected = of.value.nextHotfix().format();
    const version = text === undefined ? expected : CalVer.tryParse(text);
    if (typeof version !== 'string' && !version.ok) throw new UserError(`cannot start the hotfix: ${version.error.message}`);
    const hotfix = typeof version === 'string' ? version : version.value.format();
    if (hotfix !== expected) throw new UserError(`The hotfix of ${original} is ${expected} (the next hotfix number), not ${hotfix}. Nothing was started.`);
    await this.startRelease(hotfix);
    await this.append({ release: hotfix, type: 'release.linked', data: { hotfixOf: original } });
    await this.append({ release: original, type: 'release.linked', data: { hotfix } });
    this.changed.fire(hotfix);
    return hotfix;
  }

  async activeRelease(): Promise<string | undefined> {
    const active = await this.deps.store.activeRelease();
    if (active && (await this.deps.store.exists(active))) return active;
    return undefined;
  }

  async switchRelease(version: string): Promise<void> {
    if (!(await this.deps.store.exists(version))) {
      throw new UserError(`There is no release ${version} in this workspace: start it with "LendOS: Start Release…".`);
    }
    await this.deps.store.setActiveRelease(version);
    this.changed.fire(version);
  }

  /** Versions that have a journal (the dev flow's is not a release's); cheap (no journal is read). */
  async versions(): Promise<string[]> {
    return (await this.deps.store.list()).filter((version) => !isDevFlow(version));
  }

  /** Whether the dev flow was ever started in this workspace. */
  hasDevFlow(): Promise<boolean> {
    return this.deps.store.exists(DEV_FLOW);
  }

  /**
   * Makes the dev flow (Section 4, its own journal) the active one, starting it on first use. A sync in progress is
   * continued; once the last one is done, a new one begins: its steps are reset (their history stays in the journal).
   */
  async startDevSync(): Promise<{ readonly reset: readonly string[]; readonly fresh: boolean }> {
    const fresh = !(await this.hasDevFlow());
    if (fresh) await this.append({ release: DEV_FLOW, type: 'release.started', data: { flow: DEV_FLOW } });
    const { plan } = await this.view(DEV_FLOW);
    const finished = plan.every((p) => p.step.optional || p.state.status === 'succeeded' || p.state.status === 'skipped');
    const reset = finished ? plan.filter((p) => p.state.status !== 'pending').map((p) => p.step.id) : [];
    for (const step of reset) await this.append({ release: DEV_FLOW, step, type: 'step.reset', message: 'A new dev sync begins.' });
    await this.deps.store.setActiveRelease(DEV_FLOW);
    this.changed.fire(DEV_FLOW);
    return { reset, fresh };
  }

  /** Every release with its progress (reads and folds each journal). */
  async releases(): Promise<ReleaseSummary[]> {
    const [versions, active] = await Promise.all([this.versions(), this.deps.store.activeRelease()]);
    const summaries = await Promise.all(
      versions.map(async (version) => {
        const view = await this.view(version);
        const required = view.plan.filter((p) => !p.step.optional);
        const done = required.filter((p) => p.status === 'succeeded' || p.status === 'skipped').length;
        return { version, active: version === active, startedAt: view.state.startedAt, startedBy: view.state.startedBy, done, total: required.length };
      }),
    );
    return summaries.sort((a, b) => compareVersions(b.version, a.version));
  }

  async view(version: string): Promise<ReleaseView> {
    const { events, warnings } = await this.deps.store.read(version);
    return this.viewOf(version, events, warnings);
  }

  private viewOf(version: string, events: readonly JournalEvent[], warnings: JournalWarning[]): ReleaseView {
    const state = foldJournal(version, events);
    const runbook = withExecutors(buildRunbook(version, this.deps.config()), this.deps.isAutomated);
    return { version, runbook, state, plan: planRelease(runbook, state), warnings };
  }

  /** The release's report from its journal: Markdown for people, JSON for tools (core/report.ts). */
  async report(version: string, format: 'md' | 'json'): Promise<string> {
    // One read of the journal: its events make both the plan and the timeline.
    const { events, warnings } = await this.deps.store.read(version);
    const view = this.viewOf(version, events, warnings);
    const input = { version, phases: view.runbook.phases, plan: view.plan, events };
    // Its own bundle (dist/report.js): the report is written now and then, not at activation.
    const { reportJson, reportMarkdown } = await import('../core/report.js');
    return format === 'json' ? `${JSON.stringify(reportJson(input), null, 2)}\n` : reportMarkdown(input);
  }

  async markDone(version: string, stepId: string, options: { note?: string; force?: boolean } = {}): Promise<void> {
    const { step, planned } = await this.stepOf(version, stepId);
    if (planned.state.status === 'running') throw new UserError(`${step.title} is running; wait for it or cancel it first.`);
    if (planned.status === 'succeeded') throw new UserError(`${step.title} is already done.`);
    if (step.kind === 'approval' && !options.note?.trim()) {
      throw new UserError(`${step.title} is an approval: say who approved and where it is recorded (e.g. "Luis, REL-123") so the journal keeps it.`, 'note-required');
    }
    if (planned.blockedBy.length > 0 && !options.force) {
      throw new UserError(`${step.title} depends on steps that are not done: ${planned.blockedBy.join(', ')}. Finish them first, or confirm to mark it done anyway.`, 'blocked');
    }
    const data: EventData = options.note ? { note: options.note } : {};
    await this.append({ release: version, step: stepId, type: 'step.marked-done', data, message: options.note });
  }

  async skip(version: string, stepId: string, reason?: string): Promise<void> {
    const { step, planned } = await this.stepOf(version, stepId);
    if (!step.optional) throw new UserError(`${step.title} is required and cannot be skipped; only optional steps can.`);
    if (planned.state.status === 'running') throw new UserError(`${step.title} is running; wait for it or cancel it first.`);
    if (planned.status === 'skipped') throw new UserError(`${step.title} is already skipped.`);
    await this.append({ release: version, step: stepId, type: 'step.skipped', message: reason });
  }

  async reset(version: string, stepId: string): Promise<void> {
    const { step, planned } = await this.stepOf(version, stepId);
    if (planned.state.status === 'running') throw new UserError(`${step.title} is running; it cannot be reset while it runs.`);
    if (planned.state.status === 'pending') throw new UserError(`${step.title} has not been started; there is nothing to reset.`);
    await this.append({ release: version, step: stepId, type: 'step.reset' });
  }

  private async stepOf(version: string, stepId: string): Promise<{ step: StepDef; planned: PlannedStep }> {
    const view = await this.view(version);
    const planned = view.plan.find((p) => p.step.id === stepId);
    if (!planned) throw new UserError(`There is no step "${stepId}" in release ${version}: run "lendos plan" to list the step ids.`);
    return { step: planned.step, planned };
  }

  private async load(version: string): Promise<{ state: ReleaseState; warnings: JournalWarning[] }> {
    const { events, warnings } = await this.deps.store.read(version);
    return { state: foldJournal(version, events), warnings };
  }

  config(): LendosConfig {
    return this.deps.config();
  }

  get clock(): Clock {
    return this.deps.clock;
  }

  configProblems(): readonly ConfigProblem[] {
    return this.deps.configProblems?.() ?? [];
  }

  /** `Name <email>` of the person at this workspace (git config). */
  actor(): Promise<string> {
    this.actorName ??= this.deps.repo.actor();
    return this.actorName;
  }

  /** Appends one event stamped with time and actor; the step runner writes through this. */
  appendEvent(event: Omit<JournalEvent, 'v' | 'time' | 'actor'>): Promise<void> {
    return this.append(event);
  }

  private async append(event: Omit<JournalEvent, 'v' | 'time' | 'actor'>): Promise<void> {
    const full: JournalEvent = { v: JOURNAL_VERSION, time: this.deps.clock.now().toISOString(), actor: await this.actor(), ...event };
    await this.deps.store.append(full);
    this.changed.fire(event.release);
  }
}

/** A manual step with an executor is automated; an approval with one stays an approval that LendOS can check. */
function withExecutors(runbook: Runbook, isAutomated: ((stepId: string) => boolean) | undefined): Runbook {
  if (!isAutomated) return runbook;
  const steps = runbook.steps.map((s) => {
    if (!isAutomated(s.id)) return s;
    if (s.kind === 'manual') return { ...s, kind: 'automated' as const };
    return s.kind === 'approval' ? { ...s, checkable: true } : s;
  });
  return { ...runbook, steps };
}

function compareVersions(a: string, b: string): number {
  const pa = CalVer.tryParse(a);
  const pb = CalVer.tryParse(b);
  if (pa.ok && pb.ok) return pa.value.compare(pb.value);
  return a.localeCompare(b);
}

