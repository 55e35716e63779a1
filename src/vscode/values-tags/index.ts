/**
 * The values-tags editor features, loaded on first hover or first check (dist/values-tags.js): the YAML parser and the
 * ECR facts live here, never in the main bundle.
 */
import * as vscode from 'vscode';
import { messageOf } from '../../core/errors.js';
import {
  hoverMarkdown,
  locateTags,
  tagReplacements,
  repositoryOfSite,
  unavailableMarkdown,
  COPY_IMAGE_URI_COMMAND,
  type RecordedTag,
  type TagDiagnostic,
  type TagSite,
} from '../../core/values-tags/index.js';
import { checkValuesTags, EcrFacts, isRepositoryMissing } from '../../steps/values-tags/index.js';
import type { ValuesTagsDeps } from '../values-tags-lazy.js';

export const DIAGNOSTIC_SOURCE = 'LendOS values-tags';

const SEVERITY: Record<TagDiagnostic['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

function rangeOf(doc: vscode.TextDocument, start: number, end: number): vscode.Range {
  return new vscode.Range(doc.positionAt(start), doc.positionAt(end));
}

function imageUriOf(site: TagSite, repository: string): string {
  return `${site.repository ?? repository}:${site.tag}`;
}

export class ValuesTagsFeatures {
  readonly facts: EcrFacts;

  constructor(private readonly deps: ValuesTagsDeps) {
    this.facts = new EcrFacts(deps.ecr, deps.clock);
  }

  private located: { uri: string; version: number; sites: readonly TagSite[] } | undefined;

  /** The file's tag sites, parsed once per version of the document (hovers come in bursts). */
  private sitesOf(doc: vscode.TextDocument): readonly TagSite[] {
    const uri = doc.uri.toString();
    if (this.located?.uri !== uri || this.located.version !== doc.version) this.located = { uri, version: doc.version, sites: locateTags(doc.getText()).sites };
    return this.located.sites;
  }

  private recorded(): Readonly<Record<string, RecordedTag>> {
    return this.deps.recorded();
  }

  async hover(doc: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    const offset = doc.offsetAt(position);
    const site = this.sitesOf(doc).find((s) => s.start <= offset && offset <= s.end);
    if (!site) return undefined;
    const repository = repositoryOfSite(site, this.deps.configured());
    if (!repository) return undefined;
    const markdown = await this.hoverText(site, repository);
    markdown.isTrusted = { enabledCommands: [COPY_IMAGE_URI_COMMAND] };
    return new vscode.Hover(markdown, rangeOf(doc, site.start, site.end));
  }

  private async hoverText(site: TagSite, repository: string): Promise<vscode.MarkdownString> {
    try {
      const tagFacts = await this.facts.facts(repository, site.tag, this.recorded()[site.service]);
      return new vscode.MarkdownString(hoverMarkdown({ service: site.service, imageUri: imageUriOf(site, repository), ...tagFacts }));
    } catch (error) {
      const message = isRepositoryMissing(error) ? `ECR has no repository ${repository}: check the image's repository: value.` : messageOf(error);
      return new vscode.MarkdownString(unavailableMarkdown(site.service, site.tag, repository, message));
    }
  }

  async diagnostics(doc: vscode.TextDocument): Promise<vscode.Diagnostic[]> {
    const found = await checkValuesTags({ text: doc.getText(), facts: this.facts, recorded: this.recorded(), configured: this.deps.configured() });
    return found.map((d) => {
      const diagnostic = new vscode.Diagnostic(rangeOf(doc, d.start, d.end), d.message, SEVERITY[d.severity]);
      diagnostic.source = DIAGNOSTIC_SOURCE;
      diagnostic.code = d.code;
      return diagnostic;
    });
  }

  /** Quick fixes: the release's recorded tag written in place of a missing or older one, by the exact edit. */
  codeActions(doc: vscode.TextDocument, diagnostics: readonly vscode.Diagnostic[]): vscode.CodeAction[] {
    const fixable = diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE && (d.code === 'tag-missing' || d.code === 'tag-older'));
    if (fixable.length === 0) return [];
    const text = doc.getText();
    const { sites } = locateTags(text);
    const recorded = this.recorded();
    return fixable.flatMap((diagnostic) => {
      const site = sites.find((s) => s.start === doc.offsetAt(diagnostic.range.start));
      const wanted = site ? recorded[site.service] : undefined;
      if (!site || !wanted || wanted.tag === site.tag) return [];
      const action = new vscode.CodeAction(`Use ${wanted.tag}, the tag release ${wanted.release} recorded (2.2)`, vscode.CodeActionKind.QuickFix);
      action.edit = tagEdit(doc, text, site.service, wanted.tag);
      action.diagnostics = [diagnostic];
      action.isPreferred = true;
      return [action];
    });
  }
}

/** applyTagEdits' result as a WorkspaceEdit of the changed tag scalars only (each site of the service, in its quoting). */
export function tagEdit(doc: vscode.TextDocument, text: string, service: string, tag: string): vscode.WorkspaceEdit {
  const edit = new vscode.WorkspaceEdit();
  for (const r of tagReplacements(doc.uri.fsPath, text, service, tag)) edit.replace(doc.uri, rangeOf(doc, r.start, r.end), r.text);
  return edit;
}

export function createValuesTagsFeatures(deps: ValuesTagsDeps): ValuesTagsFeatures {
  return new ValuesTagsFeatures(deps);
}
