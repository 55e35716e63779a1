/**
 * The checklist's phases, each a collapsible with its progress, holding its steps. A step is rebuilt only when its data
 * changed; a closed phase builds its steps when it is first opened. Finished phases, Recovery and the Dev environment
 * start closed; what the person opens or closes is remembered (the webview's state survives a reload).
 */
import type { ChecklistPhase, ChecklistStep } from '../../src/core/checklist/model';
import { el, formatMs, progressBar, statusIcon } from './dom';
import { stepView, type StepHandlers } from './step';

export interface PhaseChoices {
  open: string[];
  closed: string[];
}

export class Phases {
  private readonly steps = new Map<string, { json: string; element: HTMLElement }>();
  private readonly phases = new Map<string, { summary: string; element: HTMLElement; latest: ChecklistPhase }>();

  constructor(
    private readonly handlers: StepHandlers,
    private readonly choices: PhaseChoices,
    private readonly remember: (choices: PhaseChoices) => void,
  ) {}

  clear(): void {
    this.steps.clear();
    this.phases.clear();
  }

  /** The phase's element, up to date with `phase`. */
  element(phase: ChecklistPhase): HTMLElement {
    const summary = JSON.stringify({ ...phase, steps: undefined });
    let known = this.phases.get(phase.id);
    if (known?.summary !== summary) known = { summary, element: this.view(phase), latest: phase };
    known.latest = phase;
    this.phases.set(phase.id, known);
    if (this.isOpen(phase)) this.fill(known.element, phase.steps);
    return known.element;
  }

  private isOpen(phase: ChecklistPhase): boolean {
    if (this.choices.open.includes(phase.id)) return true;
    if (this.choices.closed.includes(phase.id)) return false;
    return phase.status !== 'succeeded' && phase.status !== 'skipped' && phase.id !== 'recovery' && phase.id !== 'dev';
  }

  private fill(section: HTMLElement, steps: readonly ChecklistStep[]): void {
    const wanted = steps.map((step) => this.step(step));
    const current = [...section.querySelectorAll(':scope > section.step')];
    if (current.length === wanted.length && current.every((element, i) => element === wanted[i])) return;
    for (const element of current) element.remove();
    section.append(...wanted);
  }

  private step(step: ChecklistStep): HTMLElement {
    const json = JSON.stringify(step);
    const known = this.steps.get(step.id);
    if (known?.json === json) return known.element;
    const element = stepView(step, this.handlers);
    this.steps.set(step.id, { json, element });
    return element;
  }

  private view(phase: ChecklistPhase): HTMLElement {
    const took = phase.durationMs === undefined ? '' : ` · ${formatMs(phase.durationMs)}`;
    const section = el('vscode-collapsible', { title: phase.title, description: `${phase.done}/${phase.total}${took}`, 'data-phase': phase.id });
    if (this.isOpen(phase)) section.setAttribute('open', '');
    section.addEventListener('vsc-collapsible-toggle', (event) => {
      const open = (event as CustomEvent<{ open: boolean }>).detail.open;
      this.choices.open = this.choices.open.filter((id) => id !== phase.id);
      this.choices.closed = this.choices.closed.filter((id) => id !== phase.id);
      (open ? this.choices.open : this.choices.closed).push(phase.id);
      this.remember(this.choices);
      const latest = this.phases.get(phase.id)?.latest;
      if (open && latest) this.fill(section, latest.steps);
    });
    const icon = statusIcon(phase.status);
    icon.setAttribute('slot', 'decorations');
    section.append(icon, progressBar(phase.done, phase.total, `${phase.title}: ${phase.done} of ${phase.total} steps done`));
    return section;
  }
}
