/**
 * The release checklist, registered at activation without loading it: the command and the panel serializer load
 * dist/checklist.js (src/vscode/checklist/) when a checklist opens or VS Code restores one after a reload.
 */
import * as vscode from 'vscode';
import type { ChecklistPanels } from './checklist/index.js';
import type { ReleaseSession } from './session.js';

export const CHECKLIST_VIEW_TYPE = 'lendos.checklist';

export class ChecklistShell implements vscode.Disposable {
  private loaded: Promise<ChecklistPanels> | undefined;
  private panels: ChecklistPanels | undefined;
  private readonly serializer: vscode.Disposable;
  /** Every message from a checklist that the host refused, as logged. */
  readonly refused: string[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly session: ReleaseSession,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.serializer = vscode.window.registerWebviewPanelSerializer(CHECKLIST_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel) => (await this.load()).adopt(panel),
    });
  }

  private load(): Promise<ChecklistPanels> {
    this.loaded ??= import('./checklist/index.js').then(
      (m) => (this.panels = new m.ChecklistPanels(this.extensionUri, this.session, this.log, this.refused)),
      (error: unknown) => {
        // A failed load is tried again on the next use rather than remembered.
        this.loaded = undefined;
        throw error;
      },
    );
    return this.loaded;
  }

  /** Opens the checklist, or brings the open one to the front. */
  async open(): Promise<vscode.WebviewPanel> {
    return (await this.load()).open();
  }

  get current(): vscode.WebviewPanel | undefined {
    return this.panels?.current;
  }

  /** Handles one message as if the webview had sent it (the e2e suite sends malformed ones this way). */
  async receive(message: unknown): Promise<void> {
    await (await this.load()).receive(message);
  }

  dispose(): void {
    this.serializer.dispose();
    this.panels?.dispose();
  }
}
