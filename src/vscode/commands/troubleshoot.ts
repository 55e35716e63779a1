/**
 * Section 3.4 in the editor: LendOS: Diagnose Failure (a failed step's context menu, the checklist) shows what LendOS
 * found as a Markdown page and offers what follows — rerun the stage, restart the backends on old DARs, fix forward,
 * roll back; LendOS: Start Hotfix Release fixes the active release forward.
 */
import * as vscode from 'vscode';
import { actionLabel, diagnosisMarkdown, type DiagnosisAction } from '../../core/diagnosis.js';
import type { LendosConfig } from '../../core/config/types.js';
import type { UpgradePorts } from '../../ports.js';
import type { ReleaseSession } from '../session.js';
import { showDiagnosis } from '../step-document.js';
import { report, requireActive, resolveStep, type CommandResult } from './shared.js';
import type { ReleaseNode } from '../tree.js';

type StepArg = ReleaseNode | string | undefined;
import { stepAbilities } from '../../core/plan.js';

export interface DiagnoseDeps {
  readonly session: ReleaseSession;
  readonly ports: () => unknown;
  readonly config: () => LendosConfig;
  readonly reveal: (stepId: string) => void;
}

function follow(action: DiagnosisAction, deps: DiagnoseDeps): Thenable<unknown> {
  switch (action.kind) {
    case 'rerun-stage':
      return vscode.commands.executeCommand('lendos.runUpgradeStage', action.step);
    case 'show-stage-log':
      return vscode.commands.executeCommand('lendos.showStageLog', action.step);
    case 'restart-backends':
      return vscode.commands.executeCommand('lendos.runStep', action.step);
    case 'fix-forward':
      return vscode.commands.executeCommand('lendos.startHotfix', action.hotfix);
    case 'rollback':
      deps.reveal(action.step);
      return vscode.commands.executeCommand('lendos.showStep', action.step);
  }
}

export function diagnoseStep(deps: DiagnoseDeps) {
  return (arg?: StepArg): Promise<CommandResult<string | undefined>> =>
    report(async () => {
      const planned = await resolveStep(deps.session, arg, 'Diagnose which failed step?', (p) => stepAbilities(p).diagnose);
      if (!planned) return undefined;
      const view = requireActive(deps.session);
      const diagnosis = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Looking at ${planned.step.title}…` },
        async () => {
          const { troubleshoot } = await import('../../steps/index.js');
          return troubleshoot.diagnose({ version: view.version, config: deps.config(), plan: view.plan, ports: deps.ports() as UpgradePorts }, planned.step.id);
        },
      );
      await showDiagnosis(view.version, planned.step.id, diagnosisMarkdown(diagnosis));
      const labels = diagnosis.actions.filter((a) => a.kind !== 'show-stage-log').map((a) => ({ title: actionLabel(a), action: a }));
      void vscode.window.showInformationMessage(diagnosis.title, ...labels).then((picked) => (picked ? follow(picked.action, deps) : undefined));
      return planned.step.id;
    });
}

export function startHotfix(session: ReleaseSession) {
  return (hotfix?: unknown): Promise<CommandResult<string | undefined>> =>
    report(async () => {
      const view = requireActive(session);
      const suggested = typeof hotfix === 'string' ? hotfix : undefined;
      const confirmed = await vscode.window.showInformationMessage(
        `Fix release ${view.version} forward: start its next hotfix release${suggested ? ` ${suggested}` : ''}, linked to it in both journals, through the same Phase 1 steps?`,
        { modal: true },
        'Start Hotfix Release',
      );
      if (confirmed !== 'Start Hotfix Release') return undefined;
      const started = await session.service.startHotfix(view.version, suggested);
      await session.refresh();
      void vscode.window.showInformationMessage(`Hotfix release ${started} started, fixing ${view.version} forward.`);
      return started;
    });
}
