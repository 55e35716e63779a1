/** Every command of package.json, registered in one table so a test can compare both lists. */
import * as vscode from 'vscode';
import type { StepRunner } from '../../engine/step-runner.js';
import type { ReleaseSession } from '../session.js';
import { addPreflightWorkflow, runPreflight, type GitHubAccess } from './preflight.js';
import { postReleaseReport } from './report-post.js';
import { runStep, runUpgradeStage, showStageLog } from './run.js';
import { checkApproval } from './approval.js';
import type { StageChannels } from '../stage-logs.js';
import type { StepTerminals } from '../step-terminal.js';
import { startRehearsal, stopRehearsal } from './rehearsal.js';
import { exportReleaseReport, refresh, releaseMenu, showJournal, startRelease, switchRelease, syncDev } from './release.js';
import { copyImageUri } from '../values-tags-lazy.js';
import { markStepDone, openRunbookSection, resetStep, showStep, skipStep } from './steps.js';
import type { ChangeReviews } from '../review-change.js';
import { CHECKLIST_VIEW_TYPE, type ChecklistShell } from '../checklist-lazy.js';
import { report } from './shared.js';
import type { LendosConfig } from '../../core/config/types.js';
import type { SetupPorts } from '../../steps/setup-check.js';
import { checkCodespaceSetup, signInToGitHub } from './setup.js';
import { diagnoseStep, startHotfix } from './troubleshoot.js';

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
  /** What Check Codespace Setup looks at. */
  readonly setup: () => { readonly ports: SetupPorts; readonly config: LendosConfig };
  /** Proposed changes under review in their files (values-tags), and the editor's prompt that shows them. */
  readonly reviews: ChangeReviews;
  /** The release checklist webview. */
  readonly checklist: ChecklistShell;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function commandTable(deps: CommandDeps): Record<string, (...args: any[]) => unknown> {
  const { session } = deps;
  const run = { ...deps, mode: deps.context.extensionMode, prompt: deps.reviews.prompt };
  return {
    'lendos.startRelease': startRelease(session),
    'lendos.switchRelease': switchRelease(session),
    'lendos.syncDev': syncDev(session),
    'lendos.markStepDone': markStepDone(session),
    'lendos.skipStep': skipStep(session),
    'lendos.resetStep': resetStep(session),
    'lendos.showStep': showStep(session),
    'lendos.openRunbookSection': openRunbookSection(session, deps.runbookPath),
    'lendos.showJournal': showJournal(session, deps.journalPath),
    'lendos.exportReleaseReport': exportReleaseReport(session),
    'lendos.postReleaseReport': postReleaseReport(session, deps.github, deps.context.extensionMode),
    'lendos.releaseMenu': releaseMenu(),
    'lendos.openChecklist': () => report(async () => (await deps.checklist.open(), CHECKLIST_VIEW_TYPE)),
    'lendos.refresh': refresh(session),
    'lendos.runStep': runStep(run),
    'lendos.runUpgradeStage': runUpgradeStage(session, runStep(run)),
    'lendos.showStageLog': showStageLog(session, deps.stages),
    'lendos.diagnoseStep': diagnoseStep({ session, ports: () => deps.runner.ports, config: () => deps.setup().config, reveal: deps.reveal }),
    'lendos.startHotfix': startHotfix(session),
    'lendos.runPreflight': runPreflight(runStep(run)),
    'lendos.addPreflightWorkflow': addPreflightWorkflow(deps.github, deps.context.extensionMode),
    'lendos.checkApproval': checkApproval(run),
    'lendos.applyProposedChange': (uri?: vscode.Uri) => deps.reviews.answer(true, uri),
    'lendos.discardProposedChange': (uri?: vscode.Uri) => deps.reviews.answer(false, uri),
    'lendos.checkCodespaceSetup': checkCodespaceSetup(deps.setup),
    'lendos.signInToGitHub': signInToGitHub(),
    'lendos.startRehearsal': startRehearsal(deps.context),
    'lendos.stopRehearsal': stopRehearsal(deps.context),
    'lendos.copyImageUri': copyImageUri(),
  };
}

export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
  return Object.entries(commandTable(deps)).map(([id, handler]) => vscode.commands.registerCommand(id, handler));
}
