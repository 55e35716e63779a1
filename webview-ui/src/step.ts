/** One step of the checklist: its state, who and when, its evidence, stages, validation table, failure, and actions. */
import type { ChecklistStep, EvidenceRow } from '../../src/core/checklist/model';
import type { ChecklistAction } from '../../src/core/checklist/protocol';
import { STATUS_LABELS } from '../../src/core/plan';
import { el, formatMs, statusIcon } from './dom';

export interface StepHandlers {
  act(action: ChecklistAction, stepId: string, button: HTMLElement): void;
  openLink(url: string): void;
}

const ACTION_LABELS: Record<ChecklistAction, [string, string]> = {
  run: ['Run', 'play'],
  diagnose: ['Diagnose', 'search'],
  markDone: ['Mark done', 'check'],
  skip: ['Skip', 'debug-step-over'],
  reset: ['Reset', 'discard'],
  showLog: ['Stage log', 'output'],
  showGuidance: ['Guidance', 'book'],
  openRunbook: ['Runbook', 'go-to-file'],
};

function when(step: ChecklistStep): string {
  const parts: string[] = [];
  if (step.by) parts.push(`${step.by}${step.markedByHand ? ' (by hand)' : ''}`);
  if (step.startedAt) parts.push(step.startedAt.slice(0, 16).replace('T', ' ') + ' UTC');
  if (step.durationMs !== undefined) parts.push(formatMs(step.durationMs) + (step.typicalMinutes ? ` (typically ${step.typicalMinutes} min)` : ''));
  else if (step.typicalMinutes) parts.push(`typically ${step.typicalMinutes} min`);
  if (step.attempts > 1) parts.push(`${step.attempts} runs`);
  return parts.join(' · ');
}

function evidenceList(rows: readonly EvidenceRow[], handlers: StepHandlers): HTMLElement {
  const list = el('dl', { class: 'evidence' });
  for (const row of rows) {
    let value: HTMLElement = el('code', {}, row.value);
    if (row.link) {
      const url = row.link;
      value = el('a', { href: '#', title: url }, row.value);
      value.addEventListener('click', (event) => {
        event.preventDefault();
        handlers.openLink(url);
      });
    }
    list.append(el('dt', {}, row.label), el('dd', {}, value));
  }
  return list;
}

function table(caption: string, head: readonly string[], rows: readonly (readonly string[])[]): HTMLElement {
  const element = el('table', {}, el('caption', {}, caption));
  element.append(el('thead', {}, el('tr', {}, ...head.map((h) => el('th', { scope: 'col' }, h)))));
  element.append(el('tbody', {}, ...rows.map((row) => el('tr', {}, ...row.map((cell) => el('td', {}, cell))))));
  return element;
}

/**
 * The step's actions: the main one (Run, Mark done) as a VS Code button; the others as icon buttons, as a view's
 * toolbar has them — each with its name for screen readers and as a tooltip.
 */
function actions(step: ChecklistStep, handlers: StepHandlers): HTMLElement {
  const bar = el('div', { class: 'actions' });
  for (const action of step.actions) {
    const [named, icon] = ACTION_LABELS[action];
    const label = action === 'run' && step.status === 'succeeded' ? 'Run again' : named;
    const name = `${label}: ${step.section} ${step.title}`;
    const primary = (action === 'run' && step.status !== 'succeeded') || action === 'markDone' || action === 'diagnose';
    const button = primary
      ? el('vscode-button', { icon, 'data-focus-key': `${step.id}:${action}`, 'aria-label': name }, label)
      : el('button', { class: `icon-button codicon codicon-${icon}`, type: 'button', 'data-focus-key': `${step.id}:${action}`, 'aria-label': name, title: label });
    button.addEventListener('click', () => handlers.act(action, step.id, button));
    bar.append(button);
  }
  return bar;
}

export function stepView(step: ChecklistStep, handlers: StepHandlers): HTMLElement {
  const section = el('section', { class: `step status-${step.status}`, 'aria-label': `${step.section} ${step.title}: ${STATUS_LABELS[step.status]}`, 'data-step': step.id });
  const title = el('h3', {}, statusIcon(step.status), el('span', { class: 'section' }, `§${step.section}`), ` ${step.title}`);
  const badge = el('vscode-badge', { variant: step.status === 'failed' ? 'counter' : 'default' }, step.progress ?? STATUS_LABELS[step.status]);
  section.append(el('div', { class: 'step-head' }, title, badge, el('span', { class: 'muted' }, when(step)), step.optional ? el('span', { class: 'muted' }, 'optional') : ''));
  if (step.status === 'blocked' && step.blockedBy.length > 0) section.append(el('p', { class: 'muted' }, `Waits for ${step.blockedBy.join(', ')}.`));
  if (step.message && step.status !== 'succeeded') section.append(el('p', { class: step.status === 'failed' ? 'error' : 'muted' }, step.message.split('\n')[0] ?? ''));
  if (step.lastLines.length > 0) section.append(el('pre', { class: 'log', 'aria-label': 'Last log lines' }, step.lastLines.join('\n')));
  if (step.evidence.length > 0) section.append(evidenceList(step.evidence, handlers));
  if (step.stages.length > 0) {
    const rows = step.stages.map((s) => [s.stage, s.progress ?? STATUS_LABELS[s.status], s.durationMs === undefined ? '' : formatMs(s.durationMs), s.pods === undefined ? '' : String(s.pods)]);
    section.append(table('Upgrade stages', ['Stage', 'State', 'Took', 'Pods'], rows));
  }
  if (step.validation.length > 0) {
    section.append(table('Validation', ['Check', 'Target', 'Result', 'Detail'], step.validation.map((r) => [r.check, r.target, r.status, r.detail])));
  }
  section.append(actions(step, handlers));
  return section;
}
