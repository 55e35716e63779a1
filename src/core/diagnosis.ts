/**
 * Section 3.4's troubleshooting as data: what LendOS found about a failed step (the stage's Job, its pods' last lines
 * and events; the backends' DAR lines and the participant's log; PQS's counts before and after) and the actions that
 * follow, rendered as one Markdown page. Outside text is made inert here, whatever reaches it.
 */
import { escapeMarkdown, neutraliseLine } from './text.js';

export type DiagnosisKind = 'stage-failed' | 'services-wont-start' | 'data-validation';

export interface DiagnosisSection {
  readonly heading: string;
  /** Plain sentences (Markdown is escaped). */
  readonly notes?: readonly string[];
  /** Log or table lines, shown as they are in a code block. */
  readonly lines?: readonly string[];
}

export type DiagnosisAction =
  | { readonly kind: 'rerun-stage'; readonly step: string; readonly stage: string }
  | { readonly kind: 'show-stage-log'; readonly step: string }
  | { readonly kind: 'restart-backends'; readonly step: string }
  | { readonly kind: 'fix-forward'; readonly hotfix: string; readonly of: string }
  | { readonly kind: 'rollback'; readonly step: string };

export interface Diagnosis {
  readonly step: string;
  readonly kinds: readonly DiagnosisKind[];
  readonly title: string;
  readonly sections: readonly DiagnosisSection[];
  readonly actions: readonly DiagnosisAction[];
}

/** What each action is called, in the editor's buttons and in the page. */
export function actionLabel(action: DiagnosisAction): string {
  switch (action.kind) {
    case 'rerun-stage':
      return `Rerun stage ${action.stage}`;
    case 'show-stage-log':
      return 'Show the stage log';
    case 'restart-backends':
      return 'Restart the backends on old DARs';
    case 'fix-forward':
      return `Fix forward: start hotfix ${action.hotfix}`;
    case 'rollback':
      return 'Roll back by RDS restore';
  }
}

function actionLine(action: DiagnosisAction): string {
  const cli: Record<DiagnosisAction['kind'], string> = {
    'rerun-stage': 'step' in action ? `lendos run ${action.step}` : '',
    'show-stage-log': '',
    'restart-backends': 'step' in action ? `lendos run ${action.step}` : '',
    'fix-forward': 'hotfix' in action ? `lendos start ${action.hotfix} --hotfix-of ${action.of}` : '',
    rollback: 'step' in action ? `lendos run ${action.step}` : '',
  };
  const command = cli[action.kind];
  return `- ${escapeMarkdown(actionLabel(action))}${command ? ` — \`${command}\`` : ''}`;
}

/** A code block whose fence no line can close. */
function codeBlock(lines: readonly string[]): string[] {
  const safe = lines.map((line) => neutraliseLine(line));
  const longest = Math.max(2, ...safe.map((line) => Math.max(0, ...(line.match(/`+/g) ?? []).map((run) => run.length))));
  const fence = '`'.repeat(longest + 1);
  return [fence, ...safe, fence];
}

export function diagnosisMarkdown(diagnosis: Diagnosis): string {
  const out = [`# ${escapeMarkdown(neutraliseLine(diagnosis.title))}`, ''];
  for (const section of diagnosis.sections) {
    out.push(`## ${escapeMarkdown(section.heading)}`, '');
    for (const note of section.notes ?? []) out.push(escapeMarkdown(neutraliseLine(note)), '');
    if (section.lines && section.lines.length > 0) out.push(...codeBlock(section.lines), '');
  }
  if (diagnosis.actions.length > 0) out.push('## What you can do', '', ...diagnosis.actions.map(actionLine), '');
  return out.join('\n');
}

/** Which of Section 3.4's issues a failed step is; empty when LendOS has no diagnosis for it. */
export function diagnosisKinds(stepId: string, evidence: Readonly<Record<string, unknown>>): DiagnosisKind[] {
  const match = /^(staging|production)\.(upgrade|rollback)\.(.+)$/.exec(stepId);
  if (!match) return [];
  const name = match[3] ?? '';
  if (name === 'run' || name.startsWith('stage.')) return ['stage-failed'];
  if (name === 'scale-up') return ['services-wont-start'];
  if (name !== 'validate') return [];
  const rows = (evidence['validation'] as { rows?: { check?: string; status?: string }[] } | undefined)?.rows ?? [];
  const failed = rows.filter((r) => r.status === 'failed').map((r) => r.check ?? '');
  const kinds: DiagnosisKind[] = [];
  if (failed.some((c) => c === 'pods' || c === 'backend log' || c === 'frontend')) kinds.push('services-wont-start');
  if (failed.some((c) => c.startsWith('PQS'))) kinds.push('data-validation');
  return kinds.length > 0 ? kinds : ['services-wont-start'];
}
