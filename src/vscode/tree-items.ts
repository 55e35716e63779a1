/** How a release, phase, group or step looks in the tree: icon, description, tooltip, context value. */
import * as vscode from 'vscode';
import { durationOf, formatDuration, type DisplayStatus, type PlannedStep } from '../core/plan.js';
import type { JsonValue } from '../core/journal/types.js';

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

const LABELS: Record<DisplayStatus, string> = {
  succeeded: 'done',
  failed: 'failed',
  running: 'running',
  cancelled: 'cancelled',
  skipped: 'skipped',
  ready: 'ready',
  blocked: 'blocked',
  'waiting-approval': 'awaiting approval',
};

export function statusIcon(status: DisplayStatus, automated = false): vscode.ThemeIcon {
  // A ready automated step invites a click on Run; a ready manual one a Mark done.
  const [id, color] = status === 'ready' && automated ? ['play-circle', 'charts.green'] : ICONS[status];
  return new vscode.ThemeIcon(id, color ? new vscode.ThemeColor(color) : undefined);
}

export function statusLabel(status: DisplayStatus): string {
  return LABELS[status];
}

/** The one piece of evidence worth a glance: a step's own headline, a snapshot id, a tag, a PR number, a branch. */
function keyEvidence(evidence: Record<string, JsonValue>): string | undefined {
  for (const key of ['headline', 'snapshotId', 'tag', 'pr', 'branch', 'commit']) {
    const value = evidence[key];
    if (typeof value === 'string' || typeof value === 'number') return key === 'pr' ? `PR #${value}` : String(value);
  }
  return undefined;
}

const FAILED_STAGE_LINES = 5;

/** The last log lines a failed upgrade stage journalled, newest last; none for anything else. */
export function failedStageLines(planned: PlannedStep | undefined): string[] {
  if (!planned?.step.stage || planned.status !== 'failed') return [];
  const lines = planned.state.evidence.lastLines;
  if (!Array.isArray(lines)) return [];
  return lines.filter((line): line is string => typeof line === 'string' && line.trim() !== '').slice(-FAILED_STAGE_LINES);
}

export function stepDescription(planned: PlannedStep, now: Date): string {
  const parts = [planned.state.progress ?? statusLabel(planned.status)];
  const ms = durationOf(planned.state, now);
  if (ms !== undefined && planned.status !== 'skipped') parts.push(formatDuration(ms));
  const pods = planned.state.evidence.pods;
  if (planned.step.stage && planned.status === 'succeeded' && typeof pods === 'number') parts.push(`${pods} pod(s)`);
  const evidence = keyEvidence(planned.state.evidence);
  if (evidence) parts.push(evidence);
  if (planned.state.markedByHand && planned.status === 'succeeded') parts.push('by hand');
  if (planned.step.optional && planned.status !== 'succeeded') parts.push('optional');
  return parts.join(' · ');
}

export function stepTooltip(planned: PlannedStep): vscode.MarkdownString {
  const { step, state } = planned;
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown(`**${step.section} ${step.title}** — _${step.kind}${step.optional ? ', optional' : ''}_\n\n`);
  md.appendMarkdown(step.guidance + '\n\n');
  if (step.commands.length > 0) {
    md.appendMarkdown('Replaces:\n');
    md.appendCodeblock(step.commands.join('\n'), 'bash');
  }
  md.appendMarkdown(`\n**Success:** ${step.success}\n\n`);
  if (step.typicalMinutes) md.appendMarkdown(`Typical duration: ${step.typicalMinutes} min\n\n`);
  if (planned.blockedBy.length > 0) md.appendMarkdown(`Waiting for: ${planned.blockedBy.join(', ')}\n\n`);
  if (state.actor && state.status !== 'pending') md.appendMarkdown(`Last change by ${state.actor}\n\n`);
  if (state.message) md.appendMarkdown(`> ${state.message}\n`);
  return md;
}

/** Context flags the menus in package.json match with `viewItem =~ /\bflag\b/`. */
export function stepContextValue(planned: PlannedStep): string {
  const flags = ['step', planned.step.kind, planned.status, 'hasSection'];
  const status = planned.state.status;
  if (planned.step.kind !== 'automated' && status !== 'succeeded' && status !== 'running') flags.push('canMarkDone');
  if (planned.step.optional && status !== 'skipped' && status !== 'running') flags.push('canSkip');
  if (status !== 'pending' && status !== 'running') flags.push('canReset');
  const runnable = planned.step.kind === 'automated' && status !== 'running' && planned.status !== 'blocked';
  // A stage runs alone through run-upgrade.sh --stage: its action is the rerun, not the procedure's Run.
  if (runnable) flags.push(planned.step.stage ? 'canRunStage' : 'canRun');
  if (planned.step.stage) flags.push('stage');
  return flags.join(' ');
}
