/**
 * LendOS: Open Release Checklist (lazy bundle dist/checklist.js, loaded by checklist-lazy.ts when a panel opens or is
 * restored) — the active release on one page, in a webview (its own bundle, dist/webview/). The
 * host sends the whole model on `ready` and on every change of the session (journal events, this process's and the
 * CLI's), never by polling; the webview's clicks come back as protocol messages, each checked by `parseWebviewMessage`
 * and run through the same commands as the tree's menus (with the step as a tree node, so the person is asked).
 * A strict CSP with a nonce; only dist/webview/ is readable; the shell's serializer brings the panel back after a reload.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { checklistModel } from '../../core/checklist/model.js';
import { describeRefused, parseWebviewMessage, type ChecklistAction, type HostMessage, type WebviewMessage } from '../../core/checklist/protocol.js';
import type { ReleaseSession } from '../session.js';
import { CHECKLIST_VIEW_TYPE } from '../checklist-lazy.js';

const COMMANDS: Record<ChecklistAction, string> = {
  run: 'lendos.runStep',
  diagnose: 'lendos.diagnoseStep',
  markDone: 'lendos.markStepDone',
  skip: 'lendos.skipStep',
  reset: 'lendos.resetStep',
  showGuidance: 'lendos.showStep',
  showLog: 'lendos.showStageLog',
  openRunbook: 'lendos.openRunbookSection',
};

interface CommandOutcome {
  readonly ok?: boolean;
  readonly message?: string;
}

export class ChecklistPanels implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly session: ReleaseSession,
    private readonly log: vscode.LogOutputChannel,
    /** Every message the host refused, as logged (the shell's list, for tests). */
    private readonly refused: string[],
  ) {
    this.disposables.push(session.onDidChange(() => this.post({ type: 'state', model: this.model() })));
  }

  /** Opens the checklist, or brings the open one to the front. */
  open(): vscode.WebviewPanel {
    if (this.panel) {
      this.panel.reveal();
      return this.panel;
    }
    const panel = vscode.window.createWebviewPanel(CHECKLIST_VIEW_TYPE, 'Release Checklist', vscode.ViewColumn.Active, {});
    this.adopt(panel);
    return panel;
  }

  get current(): vscode.WebviewPanel | undefined {
    return this.panel;
  }

  /** Handles one message as if the webview had sent it (the e2e suite sends malformed ones this way too). */
  async receive(message: unknown): Promise<void> {
    const parsed = parseWebviewMessage(message);
    if (!parsed) {
      const what = describeRefused(message);
      this.refused.push(what);
      this.log.warn(`Release checklist: ignored ${what}.`);
      return;
    }
    await this.handle(parsed);
  }

  /** Takes `panel` over: a new one, or one VS Code restored after a reload. */
  adopt(panel: vscode.WebviewPanel): void {
    this.panel?.dispose();
    this.panel = panel;
    const root = vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview');
    panel.webview.options = { enableScripts: true, enableCommandUris: false, localResourceRoots: [root] };
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'lendos.svg');
    panel.webview.html = this.html(panel.webview, root);
    const subscriptions = [
      panel.webview.onDidReceiveMessage((message: unknown) => void this.receive(message)),
      panel.onDidDispose(() => {
        for (const s of subscriptions) s.dispose();
        if (this.panel === panel) this.panel = undefined;
      }),
    ];
  }

  private async handle(message: WebviewMessage): Promise<void> {
    if (message.type === 'ready') return this.post({ type: 'state', model: this.model() });
    if (message.type === 'openLink') {
      const opened = await vscode.env.openExternal(vscode.Uri.parse(message.url, true));
      return this.post({ type: 'result', requestId: message.requestId, ok: opened });
    }
    const planned = this.session.view?.plan.find((p) => p.step.id === message.stepId);
    if (!planned) return this.post({ type: 'result', requestId: message.requestId, ok: false, message: `There is no step "${message.stepId}" in the active release.` });
    const command = message.action === 'run' && planned.step.stage ? 'lendos.runUpgradeStage' : COMMANDS[message.action];
    const outcome = (await vscode.commands.executeCommand(command, { kind: 'step', stepId: planned.step.id })) as CommandOutcome | undefined;
    this.post({ type: 'result', requestId: message.requestId, ok: outcome?.ok !== false, ...(outcome?.message ? { message: outcome.message } : {}) });
  }

  private model() {
    const view = this.session.view;
    return view ? checklistModel(view.version, view.runbook.phases, view.plan, new Date()) : undefined;
  }

  private post(message: HostMessage): void {
    if (message.type === 'state' && this.panel) this.panel.title = message.model ? `${message.model.title} — Checklist` : 'Release Checklist';
    void this.panel?.webview.postMessage(message);
  }

  private html(webview: vscode.Webview, root: vscode.Uri): string {
    const nonce = randomBytes(16).toString('base64');
    const asset = (file: string) => webview.asWebviewUri(vscode.Uri.joinPath(root, file)).toString();
    const csp = [
      "default-src 'none'",
      `script-src 'nonce-${nonce}'`,
      `style-src ${webview.cspSource} 'nonce-${nonce}'`,
      `font-src ${webview.cspSource}`,
      `img-src ${webview.cspSource}`,
    ].join('; ');
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" id="vscode-codicon-stylesheet" nonce="${nonce}" href="${asset('codicon.css')}">
<link rel="stylesheet" nonce="${nonce}" href="${asset('checklist-style.css')}">
<title>Release Checklist</title>
</head>
<body>
<main id="root" aria-live="polite"><p>Loading the release…</p></main>
<div id="status" role="status"></div>
<script nonce="${nonce}" src="${asset('checklist.js')}"></script>
</body>
</html>`;
  }

  dispose(): void {
    this.panel?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
