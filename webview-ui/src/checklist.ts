/**
 * The release checklist, inside its webview: renders the host's `state` (src/core/checklist/model.ts) with VS Code's
 * own elements and theme, and sends the person's clicks back as protocol messages (src/core/checklist/protocol.ts).
 * Text goes into the page as text (never as HTML); the host has neutralised it before.
 */
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-collapsible/index.js';
import type { ChecklistModel } from '../../src/core/checklist/model';
import type { ChecklistAction, HostMessage, WebviewMessage } from '../../src/core/checklist/protocol';
import { el, formatMs, progressBar } from './dom';
import { Phases, type PhaseChoices } from './phases';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const root = document.getElementById('root') as HTMLElement;
const status = document.getElementById('status') as HTMLElement;
const saved = vscode.getState() as { phases?: PhaseChoices } | undefined;
let requests = 0;
const pending = new Map<number, HTMLElement>();

function act(action: ChecklistAction, stepId: string, button: HTMLElement): void {
  requests += 1;
  pending.set(requests, button);
  button.setAttribute('disabled', '');
  vscode.postMessage({ type: 'action', requestId: requests, action, stepId });
}

function openLink(url: string): void {
  requests += 1;
  vscode.postMessage({ type: 'openLink', requestId: requests, url });
}

const phases = new Phases({ act, openLink }, saved?.phases ?? { open: [], closed: [] }, (choices) => vscode.setState({ phases: choices }));

/** The release's phases side by side, each as wide as the time it took (a phase not started yet: a sliver). */
function timeline(model: ChecklistModel): HTMLElement {
  const line = el('div', { class: 'timeline', role: 'list', 'aria-label': 'Timeline' });
  const shown = model.phases.filter((p) => p.id !== 'recovery' && p.id !== 'dev');
  const total = shown.reduce((sum, p) => sum + (p.durationMs ?? 0), 0);
  for (const phase of shown) {
    const took = phase.durationMs === undefined ? 'not started' : formatMs(phase.durationMs);
    const segment = el('div', { class: `segment status-${phase.status}`, role: 'listitem', title: `${phase.title}: ${took}` });
    segment.style.flexGrow = String(total > 0 && phase.durationMs ? Math.max(phase.durationMs / total, 0.04) * 100 : 4);
    segment.append(el('span', {}, phase.title.replace(/^Phase \d+ · /, '')), el('span', { class: 'muted' }, phase.durationMs === undefined ? '' : took));
    line.append(segment);
  }
  return line;
}

function header(model: ChecklistModel): HTMLElement {
  const elapsed = model.elapsedMs === undefined ? 'not started' : `${formatMs(model.elapsedMs)} so far (typically 2–3 h)`;
  const element = el('header', {}, el('h1', {}, model.title), el('p', { class: 'muted' }, `${model.done} of ${model.total} steps done · ${elapsed}`));
  element.append(progressBar(model.done, model.total, `${model.title}: ${model.done} of ${model.total} steps done`), timeline(model));
  return element;
}

function render(model: ChecklistModel | undefined): void {
  const focused = (document.activeElement as HTMLElement | null)?.dataset?.focusKey;
  if (!model) {
    phases.clear();
    root.replaceChildren(el('p', {}, 'No release is active in this workspace. Start one from the Release view.'));
    return;
  }
  const wanted = [header(model), ...model.phases.map((phase) => phases.element(phase))];
  const [oldHeader, ...oldPhases] = [...root.children];
  if (oldHeader?.tagName === 'HEADER' && oldPhases.length === wanted.length - 1 && oldPhases.every((element, i) => element === wanted[i + 1])) {
    oldHeader.replaceWith(wanted[0] as HTMLElement);
  } else {
    root.replaceChildren(...wanted);
  }
  if (focused) root.querySelector<HTMLElement>(`[data-focus-key="${CSS.escape(focused)}"]`)?.focus();
}

window.addEventListener('message', (event: MessageEvent<HostMessage>) => {
  const message = event.data;
  if (message?.type === 'state') render(message.model);
  else if (message?.type === 'result') {
    pending.get(message.requestId)?.removeAttribute('disabled');
    pending.delete(message.requestId);
    status.textContent = message.ok ? '' : (message.message ?? 'The action did not go through.');
  }
});
vscode.postMessage({ type: 'ready' });
