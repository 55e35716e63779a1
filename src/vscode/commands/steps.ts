/** Mark Step Done, Skip Step, Reset Step, Show Step Guidance, Open Runbook Section. */
import * as vscode from 'vscode';
import { UserError } from '../../core/errors.js';
import type { ReleaseSession } from '../session.js';
import { stepUri } from '../step-document.js';
import type { ReleaseNode } from '../tree.js';
import { report, requireActive, resolveStep, type CommandResult } from './shared.js';

type StepArg = ReleaseNode | string | undefined;
export interface MarkDoneOptions {
  note?: string;
  /** Mark done although dependencies are not done (tests and scripted use; people are asked). */
  force?: boolean;
}

export function markStepDone(session: ReleaseSession) {
  return (arg?: StepArg, options: MarkDoneOptions = {}): Promise<CommandResult<string | undefined>> =>
    report(async () => {
      const planned = await resolveStep(session, arg, 'Mark which step done?', (p) => p.step.kind !== 'automated' && p.state.status !== 'succeeded');
      if (!planned) return undefined;
      const { step } = planned;
      if (step.kind === 'automated') throw new UserError(`${step.title} is automated: run it instead of marking it done.`);
      let force = options.force ?? false;
      // A person clicking is asked; a scripted call (a step id) gets the engine's explanation instead.
      if (planned.blockedBy.length > 0 && !force && typeof arg !== 'string') {
        if (!(await confirmOutOfOrder(planned.blockedBy))) return undefined;
        force = true;
      }
      let note = options.note;
      if (step.kind === 'approval' && note === undefined) {
        note = await vscode.window.showInputBox({
          title: `${step.section} ${step.title}`,
          prompt: 'Who approved, and where is it recorded? (e.g. "Luis, Teams thread 2025-11-12")',
          ignoreFocusOut: true,
          validateInput: (v) => (v.trim() ? undefined : 'Say who approved so the journal records it.'),
        });
        if (note === undefined) return undefined;
      }
      await session.service.markDone(requireActive(session).version, step.id, { note, force });
      return step.id;
    });
}

async function confirmOutOfOrder(blockedBy: readonly string[]): Promise<boolean> {
  const answer = await vscode.window.showWarningMessage(
    `This step depends on steps that are not done: ${blockedBy.join(', ')}. Mark it done anyway?`,
    { modal: true },
    'Mark Done Anyway',
  );
  return answer === 'Mark Done Anyway';
}

export function skipStep(session: ReleaseSession) {
  return (arg?: StepArg, reason?: string): Promise<CommandResult<string | undefined>> =>
    report(async () => {
      const planned = await resolveStep(session, arg, 'Skip which optional step?', (p) => p.step.optional && p.status !== 'skipped');
      if (!planned) return undefined;
      await session.service.skip(requireActive(session).version, planned.step.id, reason);
      return planned.step.id;
    });
}

export function resetStep(session: ReleaseSession) {
  return (arg?: StepArg): Promise<CommandResult<string | undefined>> =>
    report(async () => {
      const planned = await resolveStep(session, arg, 'Reset which step?', (p) => p.state.status !== 'pending' && p.state.status !== 'running');
      if (!planned) return undefined;
      if (typeof arg !== 'string') {
        const answer = await vscode.window.showWarningMessage(
          `Reset "${planned.step.title}" to pending? Its journal history stays; only its state is cleared.`,
          { modal: true },
          'Reset',
        );
        if (answer !== 'Reset') return undefined;
      }
      await session.service.reset(requireActive(session).version, planned.step.id);
      return planned.step.id;
    });
}

export function showStep(session: ReleaseSession) {
  return (arg?: StepArg): Promise<CommandResult<string | undefined>> =>
    report(async () => {
      const planned = await resolveStep(session, arg, 'Show which step?', () => true);
      if (!planned) return undefined;
      const uri = stepUri(requireActive(session).version, planned.step.id);
      // Rendered, as guidance reads best; the Markdown source where the built-in preview is not there.
      const rendered = await Promise.resolve(vscode.commands.executeCommand('markdown.showPreview', uri)).then(() => true, () => false);
      if (!rendered) {
        const doc = await vscode.workspace.openTextDocument(uri);
        await vscode.languages.setTextDocumentLanguage(doc, 'markdown');
        await vscode.window.showTextDocument(doc, { preview: true, preserveFocus: true });
      }
      return planned.step.id;
    });
}

export function openRunbookSection(session: ReleaseSession, runbookPath: () => string) {
  return (arg?: StepArg): Promise<CommandResult<string | undefined>> =>
    report(async () => {
      const planned = await resolveStep(session, arg, 'Open the runbook at which step?', () => true);
      if (!planned) return undefined;
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(runbookPath()));
      const lines = doc.getText().split('\n');
      // Anchors are whole lines of the runbook; a substring search would land on the wrong "Prerequisites".
      const exact = lines.findIndex((line) => line.trim() === planned.step.anchor);
      const index = Math.max(0, exact >= 0 ? exact : lines.findIndex((line) => line.includes(planned.step.anchor)));
      const range = new vscode.Range(index, 0, index, lines[index]?.length ?? 0);
      await vscode.window.showTextDocument(doc, { selection: range, preview: true });
      return planned.step.anchor;
    });
}
