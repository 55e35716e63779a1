/** The Release tree: active release → phases → steps (→ groups of the upgrade procedure → stages). */
import os from 'node:os';
import * as vscode from 'vscode';
import { aggregateStatus, progressOf, type PlannedStep } from '../core/plan.js';
import { flowTitle } from '../core/runbook/index.js';
import type { GroupDef, PhaseDef } from '../core/runbook/types.js';
import { neutralise } from '../core/text.js';
import type { ReleaseView } from '../engine/release-service.js';
import type { ReleaseSession } from './session.js';
import { failedStageLines, statusIcon, stepContextValue, stepDescription, stepTooltip } from './tree-items.js';
import { releaseTooltipMarkdown } from './tree-text.js';

/** This extension host: a step the journal shows running in another process says where it runs. */
const HERE = { pid: process.pid, host: os.hostname() };

export type ReleaseNode =
  | { readonly kind: 'release' }
  | { readonly kind: 'notice'; readonly text: string; readonly detail: string; readonly command?: string }
  | { readonly kind: 'phase'; readonly phase: PhaseDef }
  | { readonly kind: 'group'; readonly group: GroupDef }
  | { readonly kind: 'step'; readonly stepId: string }
  /** One of the last log lines of a failed upgrade stage, under it. */
  | { readonly kind: 'logLine'; readonly stepId: string; readonly index: number; readonly text: string };

type Child = { kind: 'group'; group: GroupDef } | { kind: 'step'; stepId: string };

export class ReleaseTreeProvider implements vscode.TreeDataProvider<ReleaseNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<ReleaseNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly session: ReleaseSession) {
    this.subscription = session.onDidChange(() => this.emitter.fire(undefined));
  }

  getChildren(node?: ReleaseNode): ReleaseNode[] {
    const view = this.session.view;
    if (!view) return [];
    if (!node) return [{ kind: 'release' }];
    switch (node.kind) {
      case 'release':
        return [...this.notices(view), ...view.runbook.phases.map((phase) => ({ kind: 'phase' as const, phase }))];
      case 'phase':
        return childrenOf(view, (s) => s.step.phase === node.phase.id && !s.step.parent);
      case 'group':
        return childrenOf(view, (s) => s.step.group === node.group.id && !s.step.parent, false);
      case 'step':
        return stepChildren(view, node.stepId);
      default:
        return [];
    }
  }

  getTreeItem(node: ReleaseNode): vscode.TreeItem {
    const view = this.session.view;
    if (!view) return new vscode.TreeItem('');
    switch (node.kind) {
      case 'release':
        return releaseItem(view);
      case 'notice':
        return noticeItem(node);
      case 'phase':
        return aggregateItem(view, `${node.phase.title}`, `phase:${node.phase.id}`, view.plan.filter((p) => p.step.phase === node.phase.id), node.phase.id !== 'recovery');
      case 'group':
        return aggregateItem(view, node.group.title, `group:${node.group.id}`, view.plan.filter((p) => p.step.group === node.group.id), false);
      case 'step':
        return stepItem(view, node.stepId);
      case 'logLine':
        return logLineItem(view, node);
    }
  }

  /** Lets the view reveal a step (and expand its ancestors): stage → run step → group → phase → release. */
  getParent(node: ReleaseNode): ReleaseNode | undefined {
    const view = this.session.view;
    if (!view || node.kind === 'release' || node.kind === 'notice') return undefined;
    if (node.kind === 'phase') return { kind: 'release' };
    if (node.kind === 'group') {
      const phase = view.runbook.phases.find((p) => p.id === node.group.phase);
      return phase ? { kind: 'phase', phase } : { kind: 'release' };
    }
    if (node.kind === 'logLine') return { kind: 'step', stepId: node.stepId };
    const step = view.plan.find((p) => p.step.id === node.stepId)?.step;
    if (!step) return undefined;
    if (step.parent) return { kind: 'step', stepId: step.parent };
    const group = step.group ? view.runbook.groups.find((g) => g.id === step.group) : undefined;
    if (group) return { kind: 'group', group };
    const phase = view.runbook.phases.find((p) => p.id === step.phase);
    return phase ? { kind: 'phase', phase } : { kind: 'release' };
  }

  private notices(view: ReleaseView): ReleaseNode[] {
    const notices: ReleaseNode[] = [];
    if (view.warnings.length > 0) {
      // A warning quotes the journal line it ignored: outside text.
      const detail = neutralise(view.warnings.map((w) => w.message).join('\n'));
      const ignored = view.warnings.filter((w) => w.line !== undefined).length;
      const text = ignored === view.warnings.length ? `${ignored} journal line(s) ignored` : `journal: ${view.warnings.length} warning(s)`;
      notices.push({ kind: 'notice', text, detail, command: 'lendos.showJournal' });
    }
    const problems = this.session.configProblems();
    if (problems.length > 0) {
      const detail = neutralise(problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
      notices.push({ kind: 'notice', text: `${problems.length} configuration problem(s); defaults used`, detail });
    }
    return notices;
  }

  dispose(): void {
    this.subscription.dispose();
    this.emitter.dispose();
  }
}

function childrenOf(view: ReleaseView, include: (p: PlannedStep) => boolean, withGroups = true): ReleaseNode[] {
  const children: Child[] = [];
  const seenGroups = new Set<string>();
  for (const planned of view.plan) {
    if (!include(planned)) continue;
    const groupId = planned.step.group;
    if (withGroups && groupId) {
      const group = view.runbook.groups.find((g) => g.id === groupId);
      if (group && !seenGroups.has(groupId)) children.push({ kind: 'group', group });
      seenGroups.add(groupId);
      if (group) continue;
    }
    children.push({ kind: 'step', stepId: planned.step.id });
  }
  return children;
}

/** A step's stages; under a failed stage, its last log lines (what `kubectl logs` would show first). */
function stepChildren(view: ReleaseView, stepId: string): ReleaseNode[] {
  const stages = view.plan.filter((p) => p.step.parent === stepId);
  if (stages.length > 0) return stages.map((p) => ({ kind: 'step' as const, stepId: p.step.id }));
  const planned = view.plan.find((p) => p.step.id === stepId);
  return failedStageLines(planned).map((text, index) => ({ kind: 'logLine' as const, stepId, index, text }));
}

function logLineItem(view: ReleaseView, node: Extract<ReleaseNode, { kind: 'logLine' }>): vscode.TreeItem {
  const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
  item.id = `${view.version}:log:${node.stepId}:${node.index}`;
  item.iconPath = new vscode.ThemeIcon('output', new vscode.ThemeColor('testing.iconFailed'));
  item.tooltip = node.text;
  item.contextValue = 'logLine';
  item.command = { command: 'lendos.showStageLog', title: 'Show Stage Log', arguments: [node.stepId] };
  return item;
}

function releaseItem(view: ReleaseView): vscode.TreeItem {
  const core = view.plan.filter((p) => p.step.phase !== 'recovery');
  const { done, total } = progressOf(core);
  const item = new vscode.TreeItem(flowTitle(view.version), vscode.TreeItemCollapsibleState.Expanded);
  item.id = `release:${view.version}`;
  item.description = `${done}/${total} steps done`;
  item.iconPath = statusIcon(aggregateStatus(core));
  item.contextValue = 'release';
  item.tooltip = new vscode.MarkdownString(releaseTooltipMarkdown(view.version, view.state.startedAt, view.state.startedBy));
  return item;
}

function noticeItem(node: Extract<ReleaseNode, { kind: 'notice' }>): vscode.TreeItem {
  const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
  item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
  item.tooltip = node.detail;
  item.contextValue = 'notice';
  if (node.command) item.command = { command: node.command, title: node.text };
  return item;
}

function aggregateItem(view: ReleaseView, label: string, id: string, items: PlannedStep[], expand: boolean): vscode.TreeItem {
  const status = aggregateStatus(items);
  const { done, total } = progressOf(items);
  const state = expand && status !== 'succeeded' ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed;
  const item = new vscode.TreeItem(label, state);
  item.id = `${view.version}:${id}`;
  item.description = total > 0 ? `${done}/${total}` : `${items.length} optional`;
  item.iconPath = statusIcon(status);
  item.contextValue = id.split(':')[0];
  return item;
}

function stepItem(view: ReleaseView, stepId: string): vscode.TreeItem {
  const planned = view.plan.find((p) => p.step.id === stepId);
  if (!planned) return new vscode.TreeItem(stepId);
  const hasChildren = view.plan.some((p) => p.step.parent === stepId) || failedStageLines(planned).length > 0;
  // Titles are unique where sections repeat (2.2 twice, the upgrade procedure under both phases): the section follows.
  const item = new vscode.TreeItem(planned.step.title, hasChildren ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
  item.id = `${view.version}:step:${stepId}`;
  const description = stepDescription(planned, new Date(), HERE);
  item.description = planned.step.stage ? description : `${description} · §${planned.step.section}`;
  item.tooltip = stepTooltip(planned);
  // Said by screen readers: the same title in staging and in production is told apart by its environment.
  const environment = planned.step.environment ? ` (${planned.step.environment})` : '';
  item.accessibilityInformation = { label: `${planned.step.title}${environment}, ${item.description}` };
  item.iconPath = statusIcon(planned.status, planned.step.kind === 'automated');
  item.contextValue = stepContextValue(planned);
  item.command = planned.step.stage
    ? { command: 'lendos.showStageLog', title: 'Show Stage Log', arguments: [stepId] }
    : { command: 'lendos.showStep', title: 'Show Step Guidance', arguments: [{ kind: 'step', stepId }] };
  return item;
}
