/** How a release, phase, group or step looks in the tree: icon, description, tooltip, context value. */
import * as vscode from 'vscode';
import { stepAbilities, type DisplayStatus, type PlannedStep } from '../core/plan.js';
import { stepTooltipMarkdown } from './tree-text.js';

export { failedStageLines, statusLabel, stepDescription } from './tree-text.js';

const ICONS: Record<DisplayStatus, [string, string | undefined]> = {
  succeeded: ['pass-filled', 'testing.iconPassed'],
  failed: ['error', 'testing.iconFailed'],
  running: ['sync~spin', 'charts.blue'],
  cancelled: ['circle-slash', 'testing.iconErrored'],
  skipped: ['debug-step-over', 'descriptionForeground'],
  ready: ['circle-large-outline', undefined],
  blocked: ['lock-small', 'disabledForeground'],
  'waiting-approval': ['account', 'charts.yellow'],
};

export function statusIcon(status: DisplayStatus, automated = false): vscode.ThemeIcon {
  // A ready automated step invites a click on Run; a ready manual one a Mark done.
  const [id, color] = status === 'ready' && automated ? ['play-circle', 'charts.green'] : ICONS[status];
  return new vscode.ThemeIcon(id, color ? new vscode.ThemeColor(color) : undefined);
}

/** The tooltip: the runbook's guidance; outside text is escaped (tree-text.ts), and the Markdown is not trusted. */
export function stepTooltip(planned: PlannedStep): vscode.MarkdownString {
  return new vscode.MarkdownString(stepTooltipMarkdown(planned), true);
}

/** Context flags the menus in package.json match with `viewItem =~ /\bflag\b/`. */
export function stepContextValue(planned: PlannedStep): string {
  const can = stepAbilities(planned);
  const flags = ['step', planned.step.kind, planned.status, 'hasSection'];
  if (can.markDone) flags.push('canMarkDone');
  if (can.skip) flags.push('canSkip');
  if (can.reset) flags.push('canReset');
  if (can.diagnose) flags.push('canDiagnose');
  // A stage runs alone through run-upgrade.sh --stage: its action is the rerun, not the procedure's Run.
  if (can.run) flags.push(planned.step.stage ? 'canRunStage' : 'canRun');
  // An approval LendOS finds on GitHub: Run waits for it, Check Approval Now looks once; Mark Done (with a note) stays.
  if (can.check) flags.push('canCheck');
  if (planned.step.stage) flags.push('stage');
  return flags.join(' ');
}
