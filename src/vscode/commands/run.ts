/** Run Step: an automated step, with progress, cancellation and its live output in a terminal. */
import * as vscode from 'vscode';
import type { StepRunner } from '../../engine/step-runner.js';
import { scriptedPrompt, type ScriptedAnswers } from '../../engine/scripted-prompt.js';
import { vscodePrompt } from '../prompt.js';
import type { UpgradeStage } from '../../core/runbook/types.js';
import type { ReleaseSession } from '../session.js';
import type { StageChannels } from '../stage-logs.js';
import { StepTerminal } from '../step-terminal.js';
import type { ReleaseNode } from '../tree.js';
import { report, requireActive, resolveStep, type CommandResult } from './shared.js';

export function runStep(session: ReleaseSession, runner: StepRunner, log: vscode.LogOutputChannel, stages: StageChannels) {
  /** `answers`: run without asking, as `lendos run --yes` does (for scripts, tasks and tests). */
  return (arg?: ReleaseNode | string, answers?: ScriptedAnswers): Promise<CommandResult<string | undefined>> =>
    report(async () => {
      const planned = await resolveStep(session, arg, 'Run which step?', (p) => p.step.kind === 'automated' && p.status !== 'blocked');
      if (!planned) return undefined;
      const version = requireActive(session).version;
      const { step } = planned;
      const terminal = new StepTerminal(`LendOS ${step.section} ${step.title}`, log);
      terminal.terminal.show(true);
      terminal.info(`${step.section} ${step.title} — release ${version}`);
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `LendOS: ${step.section} ${step.title}`, cancellable: true },
        async (progress, token) => {
          const abort = new AbortController();
          token.onCancellationRequested(() => abort.abort());
          const watch = session.onDidChange(() => {
            const message = session.view?.plan.find((p) => p.step.id === step.id)?.state.progress;
            if (message) progress.report({ message });
          });
          try {
            const prompt = answers ? scriptedPrompt(answers, terminal) : vscodePrompt;
            const environment = step.environment ?? 'staging';
            const stageLog = (stage: UpgradeStage) => stages.sink(environment, stage);
            return await runner.run(version, step.id, { prompt, log: terminal, signal: abort.signal, stageLog });
          } finally {
            watch.dispose();
          }
        },
      );
      terminal.info(`${result.status}: ${result.summary}`);
      if (result.status === 'failed') {
        void vscode.window.showErrorMessage(`${step.title} failed: ${result.summary}`, 'Show Output').then((a) => a && terminal.terminal.show());
      }
      return result.status;
    });
}

/** Run Upgrade Stage: the seven stages of an environment with their states; reruns the one picked (`--stage`). */
export function runUpgradeStage(session: ReleaseSession, run: ReturnType<typeof runStep>) {
  return async (arg?: string, answers?: ScriptedAnswers): Promise<CommandResult<string | undefined>> => {
    if (typeof arg === 'string') return run(arg, answers);
    const view = session.view;
    if (!view) return run(undefined);
    const stages = view.plan.filter((p) => p.step.stage && p.step.kind === 'automated');
    const picked = await vscode.window.showQuickPick(
      stages.map((p) => ({
        label: `${p.step.environment} · ${p.step.stage}`,
        description: p.status,
        detail: p.state.message ?? p.step.guidance.split('\n')[0],
        id: p.step.id,
      })),
      { title: 'LendOS: Run Upgrade Stage', placeHolder: 'Rerun which stage? (run-upgrade.sh --stage <stage>)' },
    );
    return picked ? run(picked.id, answers) : { ok: true, value: undefined };
  };
}
