/**
 * LendOS: Check Codespace Setup — what a release needs on this machine, as a report with what to do for each gap — and
 * LendOS: Sign in to GitHub.
 */
import * as vscode from 'vscode';
import type { LendosConfig } from '../../core/config/types.js';
import type { SetupCheck, SetupPorts } from '../../steps/setup-check.js';
import { neutraliseLine } from '../../core/text.js';
import { report, type CommandResult } from './shared.js';

export function checkCodespaceSetup(setup: () => { readonly ports: SetupPorts; readonly config: LendosConfig }) {
  return (): Promise<CommandResult<readonly SetupCheck[]>> =>
    report(async () => {
      const { setup: check } = await import('../../steps/index.js');
      const { ports, config } = setup();
      const checks = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'LendOS: checking the Codespace setup…' },
        () => check.checkSetup(ports, config),
      );
      const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: check.setupReport(checks) });
      const shown = await Promise.resolve(vscode.commands.executeCommand('markdown.showPreview', document.uri)).then(() => true, () => false);
      if (!shown) await vscode.window.showTextDocument(document, { preview: true });
      const gaps = checks.filter((c) => c.status !== 'ok');
      if (gaps.length > 0) void vscode.window.showWarningMessage(`Codespace setup: ${gaps.map((c) => c.check).join(', ')} need attention (see the report).`);
      return checks;
    });
}

/** Sign in to GitHub: VS Code's GitHub session with the `repo` scope (asked for when there is none), and who it is. */
export function signInToGitHub() {
  return (): Promise<CommandResult<string | undefined>> =>
    report(async () => {
      const session = await vscode.authentication.getSession('github', ['repo'], { createIfNone: true });
      void vscode.window.showInformationMessage(`Signed in to GitHub as ${neutraliseLine(session.account.label)}.`);
      return session.account.label;
    });
}
