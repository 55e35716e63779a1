/** The engine's questions, asked with VS Code's own UI: modal confirmations, typed confirmation, quick-pick forms. */
import * as vscode from 'vscode';
import { neutralise } from '../core/text.js';
import type { FormField, Prompt } from '../engine/step-types.js';

export const vscodePrompt: Prompt = {
  async confirm(message, action, detail) {
    // A question may quote the cluster (a stale Lease's holder).
    const answer = await vscode.window.showWarningMessage(
      neutralise(message),
      { modal: true, detail: detail && neutralise(detail) },
      action,
    );
    return answer === action;
  },

  async confirmTyped(message, expected) {
    const typed = await vscode.window.showInputBox({
      title: neutralise(message),
      prompt: `Type "${expected}" to confirm. This changes ${expected}.`,
      ignoreFocusOut: true,
      validateInput: (v) => (v === expected ? undefined : `Type exactly "${expected}" to go on, or press Escape to stop.`),
    });
    return typed === expected;
  },

  form: (title, fields) => quickPickForm(title, fields),
};

type FormItem = vscode.QuickPickItem & { fieldId?: string; confirm?: boolean };

/** One form: every field with its proposed value and where it came from; pick a field to edit it, then confirm. */
async function quickPickForm(title: string, fields: readonly FormField[]): Promise<Record<string, string> | undefined> {
  const values = Object.fromEntries(fields.map((f) => [f.id, f.value]));
  for (;;) {
    const problems = fields.map((f) => f.validate?.(values[f.id] ?? '')).filter((p): p is string => Boolean(p));
    const items: FormItem[] = [
      {
        label: problems.length === 0 ? '$(check) Confirm and run' : '$(warning) Fix the values below first',
        detail: problems.join(' · ') || undefined,
        confirm: problems.length === 0,
        alwaysShow: true,
      },
      { label: 'Values', kind: vscode.QuickPickItemKind.Separator },
      ...fields.map((f) => ({ label: `$(edit) ${f.label}: ${values[f.id]}`, detail: f.source ? `from ${f.source}` : undefined, fieldId: f.id })),
    ];
    const picked = await vscode.window.showQuickPick(items, { title, placeHolder: 'Review the proposed values; pick one to change it', ignoreFocusOut: true });
    if (!picked) return undefined;
    if (picked.confirm) return values;
    const field = fields.find((f) => f.id === picked.fieldId);
    if (!field) continue;
    const edited = await vscode.window.showInputBox({
      title: `${title}: ${field.label}`,
      value: values[field.id],
      prompt: field.source ? `Proposed from ${field.source}` : undefined,
      validateInput: field.validate,
      ignoreFocusOut: true,
    });
    if (edited !== undefined) values[field.id] = edited;
  }
}

/** `prompt`, with the form values in `values` given beforehand: a form asking only for those is not shown. */
export function withValues(prompt: Prompt, values: Readonly<Record<string, string>> | undefined): Prompt {
  if (!values) return prompt;
  return {
    ...prompt,
    form: async (title, fields) =>
      fields.every((f) => values[f.id] !== undefined)
        ? Object.fromEntries(fields.map((f) => [f.id, values[f.id] as string]))
        : prompt.form(title, fields),
  };
}

/** For work nobody is watching (re-observing after a reload): every question is answered "no". */
export const declinePrompt: Prompt = {
  confirm: async () => false,
  confirmTyped: async () => false,
  form: async () => undefined,
};
