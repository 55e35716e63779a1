/**
 * LendOS: Run Preflight (the 2.1 step through the runner, its checks in the step's terminal) and LendOS: Add Preflight
 * Workflow (shows the GitHub Actions workflow, then — once confirmed — opens the PR adding it to lendos).
 */
import * as vscode from 'vscode';
import type { ScriptedAnswers } from '../../engine/scripted-prompt.js';
import type { GitHub, RepoRef } from '../../ports.js';
import { announceOnGitHub, confirmUnlessScripted, report, type CommandResult } from './shared.js';

const PREFLIGHT_STEP = 'staging.preflight';

/** `run`: the Run Step command; its answers are honoured for the test harness only, as Run Step's are. */
export function runPreflight(
  run: (stepId: string, answers?: ScriptedAnswers) => Promise<CommandResult<string | undefined>>,
) {
  return (answers?: ScriptedAnswers) => run(PREFLIGHT_STEP, answers);
}

export interface GitHubAccess {
  readonly gh: GitHub;
  readonly lendos: RepoRef;
}

export function addPreflightWorkflow(github: () => Promise<GitHubAccess>, mode: vscode.ExtensionMode) {
  return (answers?: ScriptedAnswers): Promise<CommandResult<string | undefined>> =>
    report(async () => {
      const { preflight } = await import('../../steps/index.js');
      const document = await vscode.workspace.openTextDocument({
        language: 'yaml',
        content: preflight.PREFLIGHT_WORKFLOW,
      });
      await vscode.window.showTextDocument(document, { preview: true });
      const { gh, lendos } = await github();
      const where = `${lendos.owner}/${lendos.name}`;
      const question =
        `Open a PR in ${where} adding ${preflight.PREFLIGHT_WORKFLOW_PATH} (branch ${preflight.PREFLIGHT_WORKFLOW_BRANCH} → develop)? ` +
        'GitHub Actions then runs lendos preflight --pr N on every release PR to main.';
      const detail =
        'Set the repository variable LENDOS_CLI_PACKAGE before merging it: the comments at the top of the workflow say how.';
      const confirmed = await confirmUnlessScripted(answers, mode, { message: question, action: 'Open PR', detail });
      if (!confirmed) return undefined;
      const proposal = await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: `LendOS: proposing the preflight workflow to ${where}`,
        },
        () => preflight.proposePreflightWorkflow(gh, lendos),
      );
      if (proposal.kind === 'up-to-date') {
        void vscode.window.showInformationMessage(
          `${where}'s ${proposal.branch} already has ${preflight.PREFLIGHT_WORKFLOW_PATH} as LendOS proposes it.`,
        );
        return proposal.branch;
      }
      const { pull } = proposal;
      announceOnGitHub(`${proposal.created ? 'Opened' : 'Updated the open'} PR #${pull.number} adding the preflight workflow: ${pull.url}`, pull.url);
      return pull.url;
    });
}
