/** LendOS: Check Codespace Setup — what a release needs on this machine, as a report with what to do for each gap. */
import * as vscode from 'vscode';
import type { LendosConfig } from '../../core/config/types.js';
import type { SetupCheck, SetupPorts } from '../../steps/setup-check.js';
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
