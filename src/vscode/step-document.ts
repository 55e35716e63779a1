/** Read-only Markdown documents with a step's guidance, the commands it replaces and its evidence. */
import * as vscode from 'vscode';
import type { PlannedStep } from '../core/plan.js';
import { neutraliseLine } from '../core/text.js';
import type { ReleaseSession } from './session.js';
import { statusLabel } from './tree-items.js';

export const STEP_SCHEME = 'lendos-step';

export function stepUri(version: string, stepId: string): vscode.Uri {
  return vscode.Uri.from({ scheme: STEP_SCHEME, path: `/${version}/${stepId}.md` });
}

/** Diagnoses shown this session, by document URI. */
const diagnoses = new Map<string, string>();

/** Opens a diagnosis (Markdown) as a read-only rendered page. */
export async function showDiagnosis(version: string, stepId: string, markdown: string): Promise<void> {
  const uri = vscode.Uri.from({ scheme: STEP_SCHEME, path: `/${version}/${stepId}.diagnosis.md` });
  diagnoses.set(uri.toString(), markdown);
  const rendered = await Promise.resolve(vscode.commands.executeCommand('markdown.showPreview', uri)).then(() => true, () => false);
  if (!rendered) await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: true });
}

export class StepDocumentProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.emitter.event;
  private readonly open = new Set<string>();
  private readonly subscription: vscode.Disposable;

  constructor(private readonly session: ReleaseSession) {
    this.subscription = session.onDidChange(() => {
      for (const uri of this.open) this.emitter.fire(vscode.Uri.parse(uri));
    });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const diagnosis = diagnoses.get(uri.toString());
    if (diagnosis !== undefined) return diagnosis;
    this.open.add(uri.toString());
    const [, version, file] = uri.path.split('/');
    const stepId = (file ?? '').replace(/\.md$/, '');
    const view = this.session.view;
    const planned = view && view.version === version ? view.plan.find((p) => p.step.id === stepId) : undefined;
    return planned ? renderStep(planned) : `# ${stepId}\n\nThis step is not part of the active release ${view?.version ?? ''}.\n`;
  }

  dispose(): void {
    this.subscription.dispose();
    this.emitter.dispose();
  }
}

export function renderStep({ step, state, status, blockedBy }: PlannedStep): string {
  const lines = [
    `# ${step.section} ${step.title}`,
    '',
    `Status: **${statusLabel(status)}** · kind: ${step.kind}${step.optional ? ' · optional' : ''}` +
      (step.typicalMinutes ? ` · typically ${step.typicalMinutes} min` : ''),
    '',
  ];
  // Markdown a step wrote from escaped outside text (dev's changelog) comes first, a section of its own.
  const changelog = state.evidence['changelog'];
  if (typeof changelog === 'string') lines.push(...changelog.split('\n').map(neutraliseLine), '');
  lines.push(step.guidance, '');
  if (step.commands.length > 0) lines.push('## The commands this step replaces', '', '```bash', ...step.commands, '```', '');
  lines.push('## Success looks like', '', step.success, '');
  if (blockedBy.length > 0) lines.push(`Waiting for: ${blockedBy.join(', ')}`, '');
  const evidence = Object.entries(state.evidence).filter(([key]) => key !== 'changelog');
  if (evidence.length > 0) {
    lines.push('## Evidence', '', '| what | value |', '| --- | --- |');
    // Evidence holds outside text (log lines, holders): one inert line per cell, its pipes escaped.
    const cell = (text: string) => neutraliseLine(text).replace(/\|/g, '\\|');
    for (const [key, value] of evidence) lines.push(`| ${cell(key)} | ${cell(typeof value === 'string' ? value : JSON.stringify(value))} |`);
    lines.push('');
  }
  if (step.checkable && state.status !== 'succeeded') {
    lines.push(
      'LendOS looks for this approval on the release PR: **Run Step** waits for it, **Check Approval Now** looks once. ' +
        'If product approved elsewhere, use **Mark Step Done** with who approved and where.',
      '',
    );
  } else if (step.kind !== 'automated' && state.status !== 'succeeded') {
    lines.push('When you have done this, use **Mark Step Done** on the step in the Release view.', '');
  }
  return lines.join('\n');
}
