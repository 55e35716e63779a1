/**
 * values-tags files in the editor, registered at activation without loading YAML or AWS: the hover, the diagnostics
 * and the quick fixes load dist/values-tags.js on first use (a hover, or a values-tags file opened or saved).
 */
import * as vscode from 'vscode';
import { neutraliseLine } from '../core/text.js';
import { recordedTagsOfPlan, type RecordedTag } from '../core/values-tags/facts.js';
import type { ReleaseView } from '../engine/release-service.js';
import type { Clock, Ecr } from '../ports.js';
import type { ValuesTagsFeatures } from './values-tags/index.js';

export const VALUES_TAGS_PATTERN = '**/values-tags*.{yaml,yml}';
export const VALUES_TAGS_SELECTOR: vscode.DocumentSelector = { pattern: VALUES_TAGS_PATTERN };
/** Diagnostics wait this long after an open or a save, so a burst of saves is checked once. */
export const CHECK_DEBOUNCE_MS = 300;
const SOURCE = 'LendOS values-tags';

export interface ValuesTagsDeps {
  readonly ecr: () => Promise<Ecr>;
  readonly clock: Clock;
  /** Service image → the tag the active release recorded (2.2); empty without one. */
  readonly recorded: () => Readonly<Record<string, RecordedTag>>;
  /** Service image → ECR repository (config `ecr.serviceRepositories`). */
  readonly configured: () => Readonly<Record<string, string>>;
  readonly log: vscode.LogOutputChannel;
}

export class ValuesTagsShell implements vscode.Disposable {
  readonly diagnostics = vscode.languages.createDiagnosticCollection('lendos-values-tags');
  private loaded: Promise<ValuesTagsFeatures> | undefined;
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly generations = new Map<string, number>();

  constructor(private readonly deps: ValuesTagsDeps) {}

  features(): Promise<ValuesTagsFeatures> {
    this.loaded ??= import('./values-tags/index.js').then(
      (m) => m.createValuesTagsFeatures(this.deps),
      (error: unknown) => {
        // A failed load is tried again on the next use rather than remembered.
        this.loaded = undefined;
        throw error;
      },
    );
    return this.loaded;
  }

  isValuesTags(doc: vscode.TextDocument): boolean {
    return vscode.languages.match(VALUES_TAGS_SELECTOR, doc) > 0;
  }

  /** Checks the file after the debounce; a later schedule of the same file supersedes this one. */
  schedule(doc: vscode.TextDocument): void {
    if (!this.isValuesTags(doc)) return;
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    const generation = (this.generations.get(key) ?? 0) + 1;
    this.generations.set(key, generation);
    this.timers.set(key, setTimeout(() => void this.check(doc, key, generation), CHECK_DEBOUNCE_MS));
  }

  /** Checks every open values-tags file again (the release's recorded tags changed). */
  scheduleOpen(): void {
    for (const doc of vscode.workspace.textDocuments) this.schedule(doc);
  }

  private async check(doc: vscode.TextDocument, key: string, generation: number): Promise<void> {
    this.timers.delete(key);
    try {
      const found = await (await this.features()).diagnostics(doc);
      if (this.generations.get(key) === generation && !doc.isClosed) this.diagnostics.set(doc.uri, found);
    } catch (error) {
      this.deps.log.error(`values-tags check of ${doc.uri.fsPath} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  forget(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    this.generations.set(key, (this.generations.get(key) ?? 0) + 1);
    this.diagnostics.delete(doc.uri);
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.diagnostics.dispose();
  }
}

export function registerValuesTags(shell: ValuesTagsShell, onReleaseChange: vscode.Event<void>): vscode.Disposable[] {
  const hover: vscode.HoverProvider = { provideHover: async (doc, position) => (await shell.features()).hover(doc, position) };
  const actions: vscode.CodeActionProvider = {
    provideCodeActions: async (doc, _range, context) => {
      const ours = context.diagnostics.filter((d) => d.source === SOURCE);
      return ours.length === 0 ? [] : (await shell.features()).codeActions(doc, ours);
    },
  };
  // Files already open when the extension starts are checked right after activation, not during it.
  setTimeout(() => shell.scheduleOpen(), 0);
  return [
    shell,
    vscode.languages.registerHoverProvider(VALUES_TAGS_SELECTOR, hover),
    vscode.languages.registerCodeActionsProvider(VALUES_TAGS_SELECTOR, actions, { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] }),
    vscode.workspace.onDidOpenTextDocument((doc) => shell.schedule(doc)),
    vscode.workspace.onDidSaveTextDocument((doc) => shell.schedule(doc)),
    vscode.workspace.onDidCloseTextDocument((doc) => shell.forget(doc)),
    onReleaseChange(() => {
      if (vscode.workspace.textDocuments.some((doc) => shell.isValuesTags(doc))) shell.scheduleOpen();
    }),
  ];
}

/** `lendos.copyImageUri`: the hover's link copies `<registry>/<repository>:<tag>` to the clipboard. */
export function copyImageUri() {
  return async (uri?: unknown): Promise<void> => {
    if (typeof uri !== 'string' || uri === '') {
      void vscode.window.showInformationMessage('Hover an image tag in a values-tags file and choose Copy image URI.');
      return;
    }
    await vscode.env.clipboard.writeText(uri);
    void vscode.window.showInformationMessage(`Copied ${neutraliseLine(uri)}`);
  };
}

/** The active release's recorded tags (2.2), read from the folded journal; `facts.ts` has no YAML in it. */
export function releaseTagsOf(view: ReleaseView | undefined): Record<string, RecordedTag> {
  return view ? recordedTagsOfPlan(view.version, view.plan) : {};
}
