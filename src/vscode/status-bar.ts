/** The status bar item: the active release and its current step. */
import * as vscode from 'vscode';
import { currentStep, progressOf } from '../core/plan.js';
import { isDevFlow } from '../core/runbook/index.js';
import type { ReleaseSession } from './session.js';
import { statusLabel } from './tree-items.js';

export function createStatusBar(session: ReleaseSession, worldFile: () => string | undefined): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('lendos.release', vscode.StatusBarAlignment.Left, 50);
  item.name = 'LendOS Release';
  item.command = 'lendos.releaseMenu';
  const update = () => {
    const view = session.view;
    if (!view) {
      item.hide();
      return;
    }
    const core = view.plan.filter((p) => p.step.phase !== 'recovery');
    const current = currentStep(core);
    const { done, total } = progressOf(core);
    const icon = current?.status === 'running' ? '$(sync~spin)' : current?.status === 'failed' ? '$(error)' : '$(rocket)';
    const rehearsal = worldFile() ? '$(beaker) REHEARSAL · ' : '';
    const name = isDevFlow(view.version) ? 'dev sync' : view.version;
    item.text = rehearsal + (current
      ? `${icon} ${name} · ${current.step.section} ${current.step.title}`
      : `$(pass-filled) ${name} · all steps done`);
    item.tooltip = new vscode.MarkdownString(
      `**LendOS ${isDevFlow(view.version) ? 'dev sync' : `release ${view.version}`}** — ${done}/${total} steps done` +
        (current ? `\n\nCurrent: ${current.step.section} ${current.step.title} (${statusLabel(current.status)})` : '') +
        (worldFile() ? `\n\nRehearsal world: ${worldFile()}` : ''),
    );
    item.show();
  };
  const sub = session.onDidChange(update);
  update();
  return vscode.Disposable.from(item, sub);
}
