/** Run Step: an automated step, with progress, cancellation and its live output in a terminal. */
import * as vscode from 'vscode';
import type { StepRunner } from '../../engine/step-runner.js';
import { scriptedPrompt, type ScriptedAnswers } from '../../engine/scripted-prompt.js';
import { vscodePrompt } from '../prompt.js';
import type { ReleaseSession } from '../session.js';
import { StepTerminal } from '../step-terminal.js';
import type { ReleaseNode } from '../tree.js';
import { report, requireActive, resolveStep, type CommandResult } from './shared.js';

export function runStep(session: ReleaseSession, runner: StepRunner, log: vscode.LogOutputChannel) {
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
            return await runner.run(version, step.id, { prompt, log: terminal, signal: abort.signal });
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
