/**
 * The words of the Release tree as plain strings — descriptions, failed-stage log lines, tooltip Markdown — with the
 * outside text in them (journal messages and actors, progress, evidence, pod log lines) made inert: one line without
 * escape sequences for labels and descriptions, escaped Markdown (no links, HTML, icons) for tooltips. No `vscode`
 * import, so it is unit-tested; tree-items.ts wraps these strings in TreeItems and MarkdownStrings.
 */
import { flowTitle } from '../core/runbook/index.js';
import type { JsonValue } from '../core/journal/types.js';
import { STATUS_LABELS, durationOf, formatDuration, type DisplayStatus, type PlannedStep } from '../core/plan.js';
import { whereOf } from '../core/run-owner.js';
import { escapeMarkdown, isStackFrame, neutralise, neutraliseLine } from '../core/text.js';


export function statusLabel(status: DisplayStatus): string {
  return STATUS_LABELS[status];
}

/** The one piece of evidence worth a glance: a step's own headline, a snapshot id, a tag, a PR number, a branch. */
function keyEvidence(evidence: Record<string, JsonValue>): string | undefined {
  for (const key of ['headline', 'snapshotId', 'tag', 'pr', 'branch', 'commit']) {
    const value = evidence[key];
    if (typeof value === 'string' || typeof value === 'number')
      return key === 'pr' ? `PR #${value}` : String(value);
  }
  return undefined;
}

const FAILED_STAGE_LINES = 5;

/**
 * What a failed upgrade stage journalled, each one inert line: the log's ERROR line that says why, the Job's condition,
 * then its last log lines without stack frames, newest last. None for anything else.
 */
export function failedStageLines(planned: PlannedStep | undefined): string[] {
  if (!planned?.step.stage || planned.status !== 'failed') return [];
  const { lastLines, cause, reason } = planned.state.evidence;
  const logged = (Array.isArray(lastLines) ? lastLines : [])
    .filter((line): line is string => typeof line === 'string' && line.trim() !== '' && !isStackFrame(line))
    .filter((line) => typeof cause !== 'string' || !line.includes(cause))
    .slice(-FAILED_STAGE_LINES);
  const head = [typeof cause === 'string' ? `cause: ${cause}` : undefined, typeof reason === 'string' && reason !== 'failed' ? `Job: ${reason}` : undefined];
  return [...head.filter((line): line is string => line !== undefined), ...logged].map(neutraliseLine);
}

/** This process, to tell a step running here from one running elsewhere (the CLI, another window, another machine). */
export interface Here {
  readonly pid: number;
  readonly host: string;
}

/** "running in lendos CLI (pid 4242) on ada-codespace" for a step another process runs; undefined otherwise. */
export function runningElsewhere(planned: PlannedStep, here: Here | undefined): string | undefined {
  const run = planned.state.run;
  if (planned.status !== 'running' || !run || !here || (run.pid === here.pid && run.host === here.host)) return undefined;
  return `running in ${whereOf(run)}`;
}

/** The step's description: its progress line (or status, or where it runs), duration, key evidence, flags — one inert line. */
export function stepDescription(planned: PlannedStep, now: Date, here?: Here): string {
  const elsewhere = runningElsewhere(planned, here);
  const parts = [planned.state.progress ?? elsewhere ?? statusLabel(planned.status)];
  if (elsewhere && planned.state.progress) parts.push(elsewhere);
  const ms = durationOf(planned.state, now);
  if (ms !== undefined && planned.status !== 'skipped') parts.push(formatDuration(ms));
  const pods = planned.state.evidence.pods;
  if (planned.step.stage && planned.status === 'succeeded' && typeof pods === 'number')
    parts.push(`${pods} pod(s)`);
  const evidence = keyEvidence(planned.state.evidence);
  if (evidence) parts.push(evidence);
  if (planned.state.markedByHand && planned.status === 'succeeded') parts.push('by hand');
  if (planned.step.optional && planned.status !== 'succeeded') parts.push('optional');
  return neutraliseLine(parts.join(' · '));
}

/** Outside text as a Markdown block quote, line by line: nothing in it becomes a link, a heading or HTML. */
function quote(text: string): string {
  return neutralise(text)
    .split('\n')
    .map((line) => `> ${escapeMarkdown(line)}`)
    .join('\\\n');
}

/** The step's tooltip as Markdown: the runbook's own text as written, the journal's text escaped. */
export function stepTooltipMarkdown(planned: PlannedStep): string {
  const { step, state } = planned;
  let md = `**${step.section} ${step.title}** — _${step.kind}${step.optional ? ', optional' : ''}_\n\n`;
  md += step.guidance + '\n\n';
  if (step.commands.length > 0) md += 'Replaces:\n\n```bash\n' + step.commands.join('\n') + '\n```\n';
  md += `\n**Success:** ${step.success}\n\n`;
  if (step.typicalMinutes) md += `Typical duration: ${step.typicalMinutes} min\n\n`;
  if (planned.blockedBy.length > 0) md += `Waiting for: ${planned.blockedBy.join(', ')}\n\n`;
  if (state.actor && state.status !== 'pending') md += `Last change by ${escapeMarkdown(state.actor)}\n\n`;
  if (state.message) md += `${quote(state.message)}\n`;
  return md;
}

/** The release's tooltip as Markdown; who started it comes from the journal, escaped. */
export function releaseTooltipMarkdown(
  version: string,
  startedAt: string | undefined,
  startedBy: string | undefined,
): string {
  const started = startedAt
    ? `Started ${escapeMarkdown(startedAt.slice(0, 16).replace('T', ' '))} UTC by ${escapeMarkdown(startedBy ?? 'unknown')}`
    : '';
  return `**${flowTitle(version)}**\n\n${started}`;
}
