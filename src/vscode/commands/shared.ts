import * as vscode from 'vscode';
import { messageOf, UserError } from '../../core/errors.js';
import { neutralise } from '../../core/text.js';
import type { PlannedStep } from '../../core/plan.js';
import { answersFrom, type ScriptedAnswers } from '../../engine/scripted-prompt.js';
import { vscodePrompt } from '../prompt.js';
import type { ReleaseSession } from '../session.js';
import type { ReleaseNode } from '../tree.js';

/** What a command returns to a caller (tests, other commands): its value, or the message a person was shown. */
export type CommandResult<T = string> = { ok: true; value: T } | { ok: false; message: string };

export async function report<T>(work: () => Promise<T>): Promise<CommandResult<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    const message = messageOf(error);
    // The message may quote the cluster (a Lease holder) or a script's output.
    if (error instanceof UserError) void vscode.window.showErrorMessage(neutralise(message));
    else void vscode.window.showErrorMessage(`LendOS: ${neutralise(message)}`);
    return { ok: false, message };
  }
}

/**
 * A command's question before it changes a remote: the person is asked in a modal; a test harness's scripted answers
 * (`answers`, taken in test mode only) answer it instead.
 */
export async function confirmUnlessScripted(
  answers: ScriptedAnswers | undefined,
  mode: vscode.ExtensionMode,
  question: { readonly message: string; readonly action: string; readonly detail?: string },
): Promise<boolean> {
  const scripted = answersFrom(answers, mode === vscode.ExtensionMode.Test, { warn: (line) => void vscode.window.showWarningMessage(neutralise(line)) });
  return scripted ? scripted.yes : vscodePrompt.confirm(question.message, question.action, question.detail);
}

/** Says what was done on GitHub, with a button that opens it there. */
export function announceOnGitHub(message: string, url: string): void {
  void vscode.window
    .showInformationMessage(neutralise(message), 'Open on GitHub')
    .then((action) => action && vscode.env.openExternal(vscode.Uri.parse(url)));
}

export function requireActive(session: ReleaseSession) {
  const view = session.view;
  if (!view) throw new UserError('No release is active: start one with "LendOS: Start Release…".');
  return view;
}

/** The step a command is about: a tree node, a step id, or one picked from a list. */
export async function resolveStep(
  session: ReleaseSession,
  arg: ReleaseNode | string | undefined,
  placeHolder: string,
  filter: (p: PlannedStep) => boolean,
): Promise<PlannedStep | undefined> {
  const view = requireActive(session);
  const id = typeof arg === 'string' ? arg : arg && 'stepId' in arg ? arg.stepId : undefined;
  if (id) {
    const planned = view.plan.find((p) => p.step.id === id);
    if (!planned) throw new UserError(`There is no step "${id}" in release ${view.version}.`);
    return planned;
  }
  const candidates = view.plan.filter(filter);
  if (candidates.length === 0) throw new UserError('No step of the active release fits this command right now.');
  const picked = await vscode.window.showQuickPick(
    candidates.map((p) => ({ label: `${p.step.section} ${p.step.title}`, description: p.step.id, detail: p.status, planned: p })),
    { placeHolder, matchOnDescription: true },
  );
  return picked?.planned;
}
