/**
 * The editor's view of the workspace's releases: the active release, its folded state, configuration problems.
 * Refreshes on journal changes (this process's events and file changes from the CLI), never by polling.
 */
import * as vscode from 'vscode';
import { messageOf } from '../core/errors.js';
import type { ConfigProblem } from '../core/config/types.js';
import type { ReleaseService, ReleaseView } from '../engine/release-service.js';

export class ReleaseSession implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.emitter.event;
  private current: ReleaseView | undefined;
  private hasReleases = false;
  private loading: Promise<void> | undefined;
  private next: Promise<void> | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    readonly service: ReleaseService,
    private readonly log: vscode.LogOutputChannel,
    readonly configProblems: () => readonly ConfigProblem[],
  ) {
    const sub = service.changed.on(() => void this.refresh());
    this.disposables.push({ dispose: () => sub.dispose() }, this.emitter);
  }

  get view(): ReleaseView | undefined {
    return this.current;
  }

  /**
   * Re-reads the journal. A read already under way may have started before what the caller just wrote, so calls
   * meanwhile share one more read after it, and resolve when that one is done.
   */
  refresh(): Promise<void> {
    if (!this.loading) {
      this.loading = this.load().finally(() => {
        this.loading = undefined;
      });
      return this.loading;
    }
    this.next ??= this.loading.then(() => {
      this.next = undefined;
      return this.refresh();
    });
    return this.next;
  }

  private async load(): Promise<void> {
    try {
      const active = await this.service.activeRelease();
      this.hasReleases = (await this.service.versions()).length > 0 || (await this.service.hasDevFlow());
      this.current = active ? await this.service.view(active) : undefined;
      for (const w of this.current?.warnings ?? []) this.log.warn(`Journal ${active}: ${w.message}`);
    } catch (error) {
      this.log.error(`Could not read the release journal: ${messageOf(error)}`);
      this.current = undefined;
    }
    await Promise.all([
      vscode.commands.executeCommand('setContext', 'lendos.hasActiveRelease', this.current !== undefined),
      vscode.commands.executeCommand('setContext', 'lendos.hasReleases', this.hasReleases),
      vscode.commands.executeCommand('setContext', 'lendos.ready', true),
    ]);
    this.emitter.fire();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
