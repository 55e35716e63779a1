/** Run Step: an automated step, with progress, cancellation and its live output in a terminal. */
import * as vscode from 'vscode';
import { UserError } from '../../core/errors.js';
import type { PlannedStep } from '../../core/plan.js';
import type { UpgradeStage } from '../../core/runbook/types.js';
import { neutralise, neutraliseLine } from '../../core/text.js';
import type { StepRunner } from '../../engine/step-runner.js';
import { answersFrom, scriptedPrompt, type ScriptedAnswers } from '../../engine/scripted-prompt.js';
import type { Prompt } from '../../engine/step-types.js';
import { withValues } from '../prompt.js';
import type { ReleaseSession } from '../session.js';
import type { StageChannels } from '../stage-logs.js';
import type { StepTerminals } from '../step-terminal.js';
import { statusLabel } from '../tree-items.js';
import type { ReleaseNode } from '../tree.js';
import { report, requireActive, resolveStep, type CommandResult } from './shared.js';

/** A variant of Run Step: form values given beforehand (not asked), which steps it offers, how "not done" is shown. */
export interface RunStepOptions {
  readonly values?: Readonly<Record<string, string>>;
  readonly pick?: { readonly placeHolder: string; readonly filter: (p: PlannedStep) => boolean };
  /** Show a step that did not succeed as a warning (an answer, e.g. "not approved yet") rather than an error. */
  readonly notDoneAsWarning?: boolean;
}

const RUNNABLE = { placeHolder: 'Run which step?', filter: (p: PlannedStep) => (p.step.kind === 'automated' || p.step.checkable === true) && p.status !== 'blocked' };

/** What Run Step needs from the editor. */
export interface RunStepDeps {
  readonly session: ReleaseSession;
  readonly runner: StepRunner;
  readonly terminals: StepTerminals;
  readonly stages: StageChannels;
  /** Brings a step into sight in the Release view. */
  readonly reveal: (stepId: string) => void;
  /** Scripted answers count only in the test harness's mode. */
  readonly mode: vscode.ExtensionMode;
  /** The editor's questions (modals, forms, a proposed change shown in its file). */
  readonly prompt: Prompt;
}

export function runStep(deps: RunStepDeps, options: RunStepOptions = {}) {
  const { session, runner, terminals, stages, reveal, mode } = deps;
  /** `answers`: run without asking, as `lendos run --yes` does — honoured for the test harness only. */
  return (arg?: ReleaseNode | string, answers?: ScriptedAnswers): Promise<CommandResult<string | undefined>> =>
    report(async () => {
      const pick = options.pick ?? RUNNABLE;
      const planned = await resolveStep(session, arg, pick.placeHolder, pick.filter);
      if (!planned) return undefined;
      const version = requireActive(session).version;
      const { step } = planned;
      reveal(step.id);
      const terminal = terminals.for(version);
      terminal.terminal.show(true);
      terminal.info(`── ${step.section} ${step.title} — ${new Date().toLocaleTimeString()} ──`);
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `LendOS: ${step.section} ${step.title}`, cancellable: true },
        async (progress, token) => {
          const abort = new AbortController();
          token.onCancellationRequested(() => abort.abort());
          const watch = session.onDidChange(() => {
            const message = session.view?.plan.find((p) => p.step.id === step.id)?.state.progress;
            if (message) progress.report({ message: neutraliseLine(message) });
          });
          try {
            const scripted = answersFrom(answers, mode === vscode.ExtensionMode.Test, terminal);
            const prompt = withValues(scripted ? scriptedPrompt(scripted, terminal) : deps.prompt, options.values);
            const environment = step.environment ?? 'staging';
            const stageLog = (stage: UpgradeStage) => stages.sink(environment, stage);
            return await runner.run(version, step.id, { prompt, log: terminal, signal: abort.signal, stageLog });
          } finally {
            watch.dispose();
          }
        },
      );
      terminal.info(`${result.status}: ${result.summary}`);
      if (result.status !== 'succeeded' && options.notDoneAsWarning) {
        void vscode.window.showWarningMessage(neutralise(result.summary), 'Show Output').then((a) => a && terminal.terminal.show());
      } else if (result.status === 'failed') {
        notifyFailure(session, step.id, `${step.title} failed: ${neutralise(result.summary)}`, () => terminal.terminal.show());
      }
      return result.status;
    });
}

/** A failed step says so with its actions; a failed upgrade stage (itself, or under the run) offers its log and the rerun. */
function notifyFailure(session: ReleaseSession, stepId: string, message: string, showOutput: () => void): void {
  const plan = session.view?.plan ?? [];
  const stage = plan.find((p) => p.step.stage && p.status === 'failed' && (p.step.id === stepId || p.step.parent === stepId));
  const actions = stage ? ['Show Stage Log', 'Rerun Stage', 'Show Output'] : ['Show Output'];
  void vscode.window.showErrorMessage(message, ...actions).then((action) => {
    if (action === 'Show Output') showOutput();
    else if (action === 'Show Stage Log') void vscode.commands.executeCommand('lendos.showStageLog', stage?.step.id);
    else if (action === 'Rerun Stage') void vscode.commands.executeCommand('lendos.runUpgradeStage', stage?.step.id);
  });
}

const STAGE_ICONS: Record<string, string> = { failed: '$(error)', succeeded: '$(pass-filled)', running: '$(sync~spin)', cancelled: '$(circle-slash)' };

function stagePickItems(stages: readonly PlannedStep[]): (vscode.QuickPickItem & { id?: string })[] {
  const items: (vscode.QuickPickItem & { id?: string })[] = [];
  for (const environment of new Set(stages.map((p) => p.step.environment))) {
    items.push({ label: environment ?? '', kind: vscode.QuickPickItemKind.Separator });
    for (const p of stages.filter((s) => s.step.environment === environment)) {
      items.push({
        label: `${STAGE_ICONS[p.status] ?? '$(circle-large-outline)'} ${p.step.stage}`,
        description: `${environment} · ${neutraliseLine(p.state.progress ?? statusLabel(p.status))}`,
        detail: neutraliseLine((p.state.message ?? p.step.guidance).split(/\r?\n|\r/)[0] ?? ''),
        id: p.step.id,
      });
    }
  }
  return items;
}

/** Run Upgrade Stage: the seven stages of each environment with their states; reruns the one picked (`--stage`). */
export function runUpgradeStage(session: ReleaseSession, runOne: ReturnType<typeof runStep>) {
  // A stage rerun after its run failed goes on with the stages after it: the run resumes from the cluster.
  const run = async (stepId: string | undefined, answers?: ScriptedAnswers): Promise<CommandResult<string | undefined>> => {
    const result = await runOne(stepId, answers);
    if (!stepId || !result.ok || result.value !== 'succeeded') return result;
    await session.refresh();
    const parentId = session.view?.plan.find((p) => p.step.id === stepId)?.step.parent;
    const parent = session.view?.plan.find((p) => p.step.id === parentId);
    return parent?.status === 'failed' ? runOne(parent.step.id, answers) : result;
  };
  return async (arg?: ReleaseNode | string, answers?: ScriptedAnswers): Promise<CommandResult<string | undefined>> => {
    const stepId = typeof arg === 'string' ? arg : arg?.kind === 'step' ? arg.stepId : undefined;
    if (stepId) return run(stepId, answers);
    const view = session.view;
    if (!view) return run(undefined);
    // Only what can run now: not a stage still waiting for the steps before it, nor one running.
    const stages = view.plan.filter((p) => p.step.stage && p.step.kind === 'automated' && p.status !== 'blocked' && p.status !== 'running');
    if (stages.length === 0) {
      return report(() => Promise.reject(new UserError('No upgrade stage can run now: the stages wait for the upgrade run (3.2) to start them, after scale down and the snapshot.')));
    }
    // A failed stage is the usual reason to be here: its environment comes first.
    const failedFirst = [...stages].sort((a, b) => Number(b.status === 'failed') - Number(a.status === 'failed'));
    const firstEnvironment = failedFirst[0]?.step.environment;
    const ordered = [...stages.filter((p) => p.step.environment === firstEnvironment), ...stages.filter((p) => p.step.environment !== firstEnvironment)];
    const picked = await vscode.window.showQuickPick(stagePickItems(ordered), {
      title: 'LendOS: Run Upgrade Stage',
      placeHolder: 'Rerun which stage? (run-upgrade.sh --stage <stage>)',
      matchOnDescription: true,
    });
    return picked?.id ? run(picked.id, answers) : { ok: true, value: undefined };
  };
}

/** Show Stage Log: the stage's output channel, where its pods' logs stream live. */
export function showStageLog(session: ReleaseSession, stages: StageChannels) {
  return (arg?: ReleaseNode | string): Promise<CommandResult<string | undefined>> =>
    report(async () => {
      const planned = await resolveStep(session, arg, 'Show the log of which stage?', (p) => Boolean(p.step.stage));
      if (!planned) return undefined;
      const { stage, environment } = planned.step;
      if (!stage || !environment) throw new UserError(`${planned.step.title} is not an upgrade stage: its output is in its terminal and the LendOS log.`);
      const channel = stages.channel(environment, stage);
      channel.show(true);
      return channel.name;
    });
}
