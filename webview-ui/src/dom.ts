/** Small DOM helpers of the checklist webview: elements from tags, attributes and text (never HTML). */
import { STATUS_LABELS, type DisplayStatus } from '../../src/core/plan';

export { formatDuration as formatMs } from '../../src/core/plan';

export function el(tag: string, attributes: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElement {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  element.append(...children);
  return element;
}

/** The same codicons as the tree's states. */
const ICONS: Record<DisplayStatus, string> = {
  succeeded: 'pass-filled',
  failed: 'error',
  running: 'sync',
  cancelled: 'circle-slash',
  skipped: 'debug-step-over',
  ready: 'circle-large-outline',
  blocked: 'lock-small',
  'waiting-approval': 'account',
};

/** A state as a codicon in the page's own DOM (the codicon stylesheet is the page's), with its words for screen readers. */
export function statusIcon(status: DisplayStatus): HTMLElement {
  const spin = status === 'running' ? ' codicon-modifier-spin' : '';
  return el('span', { class: `codicon codicon-${ICONS[status]}${spin} status-${status}`, role: 'img', 'aria-label': STATUS_LABELS[status] });
}

export function progressBar(done: number, total: number, label: string): HTMLElement {
  const bar = el('div', { class: 'bar', role: 'progressbar', 'aria-label': label, 'aria-valuemin': '0', 'aria-valuemax': String(total), 'aria-valuenow': String(done) });
  const fill = el('div', { class: 'fill' });
  fill.style.width = `${total === 0 ? 0 : Math.round((done / total) * 100)}%`;
  bar.append(fill);
  return bar;
}
