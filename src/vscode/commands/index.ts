/** Every command of package.json, registered in one table so a test can compare both lists. */
import * as vscode from 'vscode';
import type { StepRunner } from '../../engine/step-runner.js';
import type { ReleaseSession } from '../session.js';
import { addPreflightWorkflow, runPreflight, type GitHubAccess } from './preflight.js';
import { runStep, runUpgradeStage, showStageLog } from './run.js';
import { checkApproval } from './approval.js';
import type { StageChannels } from '../stage-logs.js';
import type { StepTerminals } from '../step-terminal.js';
import { startRehearsal, stopRehearsal } from './rehearsal.js';
import { refresh, showJournal, startRelease, switchRelease } from './release.js';
import { copyImageUri } from '../values-tags-lazy.js';
import { markStepDone, openRunbookSection, resetStep, showStep, skipStep } from './steps.js';

export interface CommandDeps {
  readonly session: ReleaseSession;
  readonly runner: StepRunner;
  readonly terminals: StepTerminals;
  /** Brings a step into sight in the Release view. */
  readonly reveal: (stepId: string) => void;
  readonly context: vscode.ExtensionContext;
  readonly stages: StageChannels;
  readonly journalPath: (version: string) => string;
  readonly runbookPath: () => string;
  /** GitHub and the lendos repository, for commands that act on GitHub outside a step. */
  readonly github: () => Promise<GitHubAccess>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function commandTable(deps: CommandDeps): Record<string, (...args: any[]) => unknown> {
  const { session } = deps;
  return {
    'lendos.startRelease': startRelease(session),
    'lendos.switchRelease': switchRelease(session),
    'lendos.markStepDone': markStepDone(session),
    'lendos.skipStep': skipStep(session),
    'lendos.resetStep': resetStep(session),
    'lendos.showStep': showStep(session),
    'lendos.openRunbookSection': openRunbookSection(session, deps.runbookPath),
    'lendos.showJournal': showJournal(session, deps.journalPath),
    'lendos.refresh': refresh(session),
    'lendos.runStep': runStep(session, deps.runner, deps.terminals, deps.stages, deps.reveal, deps.context.extensionMode),
    'lendos.runUpgradeStage': runUpgradeStage(session, runStep(session, deps.runner, deps.terminals, deps.stages, deps.reveal, deps.context.extensionMode)),
    'lendos.showStageLog': showStageLog(session, deps.stages),
    'lendos.runPreflight': runPreflight(runStep(session, deps.runner, deps.terminals, deps.stages, deps.reveal, deps.context.extensionMode)),
    'lendos.addPreflightWorkflow': addPreflightWorkflow(deps.github, deps.context.extensionMode),
    'lendos.checkApproval': checkApproval(session, deps.runner, deps.terminals, deps.stages, deps.reveal, deps.context.extensionMode),
    'lendos.startRehearsal': startRehearsal(deps.context),
    'lendos.stopRehearsal': stopRehearsal(deps.context),
    'lendos.copyImageUri': copyImageUri(),
  };
}

export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
  return Object.entries(commandTable(deps)).map(([id, handler]) => vscode.commands.registerCommand(id, handler));
}
