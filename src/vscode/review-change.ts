/**
 * A proposed change to a file (values-tags), shown inline before anything is written: in the file itself, each old
 * value struck through with the new one beside it, and Apply / Discard right there (a CodeLens over the file and the
 * editor's title bar). A file that is not on disk as the step read it is shown in a diff editor of two virtual
 * documents instead. Nothing is written here: Apply answers the step, which writes.
 */
import * as vscode from 'vscode';
import { basename, dirname, isAbsolute } from 'node:path';
import type { Prompt, ProposedChange } from '../engine/step-types.js';
import { vscodePrompt } from './prompt.js';
import { changedSegments, type Segment } from './review-segments.js';

export const PROPOSED_SCHEME = 'lendos-proposed';
const REVIEWING = 'lendos.reviewingChange';

interface Pending {
  readonly change: ProposedChange;
  readonly uri: vscode.Uri;
  readonly segments: readonly Segment[];
  readonly resolve: (apply: boolean) => void;
}

export class ChangeReviews implements vscode.Disposable, vscode.CodeLensProvider, vscode.TextDocumentContentProvider {
  readonly prompt: Prompt = { ...vscodePrompt, reviewChange: (change) => this.review(change) };
  private pending: Pending | undefined;
  private readonly virtual = new Map<string, string>();
  private readonly lensChanged = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.lensChanged.event;
  private readonly removed = vscode.window.createTextEditorDecorationType({
    textDecoration: 'line-through',
    backgroundColor: new vscode.ThemeColor('diffEditor.removedTextBackground'),
  });
  private readonly added = vscode.window.createTextEditorDecorationType({});
  private readonly disposables: vscode.Disposable[];
  /** The CodeLens provider exists only while a change is under review: no cost on other files. */
  private lenses: vscode.Disposable | undefined;

  constructor() {
    this.disposables = [
      this.removed,
      this.added,
      this.lensChanged,
      vscode.workspace.registerTextDocumentContentProvider(PROPOSED_SCHEME, this),
      vscode.window.onDidChangeVisibleTextEditors(() => this.decorate()),
      vscode.workspace.onDidCloseTextDocument((document) => {
        if (this.pending && document.uri.toString() === this.pending.uri.toString()) this.settle(false);
      }),
      // The proposal was made for the file as it was: edited under review, it no longer applies.
      vscode.workspace.onDidChangeTextDocument(({ document, contentChanges }) => {
        if (contentChanges.length === 0 || !this.pending || document.uri.toString() !== this.pending.uri.toString()) return;
        this.settle(false);
        void vscode.window.showWarningMessage(`${document.uri.fsPath} was edited while its proposed change was under review, so the change was discarded. Save or revert the file, then run the step again.`);
      }),
    ];
  }

  /** The change under review, if any. */
  get reviewing(): ProposedChange | undefined {
    return this.pending?.change;
  }

  /** Shows the change and answers whether the person applied it; a change shown before is discarded. */
  async review(change: ProposedChange): Promise<boolean> {
    this.settle(false);
    const file = vscode.Uri.file(change.path);
    const onDisk = isAbsolute(change.path) ? await readRaw(file) : undefined;
    // The editor shows a file without its BOM: columns are counted the same way.
    const segments = onDisk === change.before ? changedSegments(withoutBom(change.before), withoutBom(change.after)) : undefined;
    const answer = new Promise<boolean>((resolve) => {
      this.pending = { change, uri: segments ? file : this.virtualUri('after', change), segments: segments ?? [], resolve };
    });
    await vscode.commands.executeCommand('setContext', REVIEWING, true);
    if (segments) {
      this.lenses ??= vscode.languages.registerCodeLensProvider({ scheme: 'file', pattern: new vscode.RelativePattern(dirname(change.path), basename(change.path)) }, this);
      await vscode.window.showTextDocument(file, { preview: false });
      this.decorate();
      this.lensChanged.fire();
    } else {
      await this.openDiff(change);
    }
    void vscode.window
      .showInformationMessage(`${change.title}: review the proposed change in ${change.path}.`, change.action, 'Discard')
      .then((picked) => picked && this.pending?.change === change && this.settle(picked === change.action));
    return answer;
  }

  /** Apply (true) or Discard (false), from the CodeLens, the title bar or the palette. */
  answer(apply: boolean, uri?: vscode.Uri): boolean {
    if (!this.pending || (uri && uri.toString() !== this.pending.uri.toString() && uri.scheme !== PROPOSED_SCHEME)) return false;
    this.settle(apply);
    return true;
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const pending = this.pending;
    if (!pending || document.uri.toString() !== pending.uri.toString()) return [];
    const top = new vscode.Range(0, 0, 0, 0);
    const count = pending.segments.length;
    return [
      new vscode.CodeLens(top, { title: `${pending.change.title}: ${count} change${count === 1 ? '' : 's'} proposed`, command: '' }),
      new vscode.CodeLens(top, { title: `$(check) ${pending.change.action}`, command: 'lendos.applyProposedChange', arguments: [pending.uri] }),
      new vscode.CodeLens(top, { title: '$(discard) Discard', command: 'lendos.discardProposedChange', arguments: [pending.uri] }),
      new vscode.CodeLens(top, { title: '$(diff) Open as Diff', command: 'vscode.diff', arguments: this.diffArguments(pending.change) }),
    ];
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.virtual.get(uri.toString()) ?? '';
  }

  private virtualUri(side: 'before' | 'after', change: ProposedChange): vscode.Uri {
    const name = change.path.split(/[\\/]/).pop() ?? 'proposed';
    const uri = vscode.Uri.from({ scheme: PROPOSED_SCHEME, path: `/${side}/${name}`, query: change.title });
    this.virtual.set(uri.toString(), side === 'before' ? change.before : change.after);
    return uri;
  }

  private diffArguments(change: ProposedChange): [vscode.Uri, vscode.Uri, string] {
    return [this.virtualUri('before', change), this.virtualUri('after', change), `${change.title} (proposed)`];
  }

  private async openDiff(change: ProposedChange): Promise<void> {
    await vscode.commands.executeCommand('vscode.diff', ...this.diffArguments(change), { preview: false });
  }

  private decorate(): void {
    const pending = this.pending;
    for (const editor of vscode.window.visibleTextEditors) {
      const mine = pending !== undefined && editor.document.uri.toString() === pending.uri.toString();
      const segments = mine ? pending.segments : [];
      const ranges = segments.map((s) => new vscode.Range(s.line, s.start, s.line, s.end));
      editor.setDecorations(this.removed, ranges);
      editor.setDecorations(
        this.added,
        segments.map((s) => ({
          range: new vscode.Range(s.line, s.end, s.line, s.end),
          hoverMessage: `proposed: ${s.after}`,
          renderOptions: {
            after: {
              contentText: s.after,
              margin: '0 0 0 0.4em',
              color: new vscode.ThemeColor('editor.foreground'),
              backgroundColor: new vscode.ThemeColor('diffEditor.insertedTextBackground'),
            },
          },
        })),
      );
    }
  }

  private settle(apply: boolean): void {
    const pending = this.pending;
    if (!pending) return;
    this.pending = undefined;
    this.lenses?.dispose();
    this.lenses = undefined;
    this.decorate();
    this.lensChanged.fire();
    void vscode.commands.executeCommand('setContext', REVIEWING, false);
    pending.resolve(apply);
  }

  dispose(): void {
    this.settle(false);
    for (const d of this.disposables) d.dispose();
  }
}

function readRaw(file: vscode.Uri): Promise<string | undefined> {
  return Promise.resolve(vscode.workspace.fs.readFile(file)).then((bytes) => new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes), () => undefined);
}

function withoutBom(text: string): string {
  return text.startsWith('\uFEFF') ? text.slice(1) : text;
}
