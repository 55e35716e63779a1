/** Check Approval Now: an approval step (2.5, 3.3) looks once for product's approval on GitHub, without waiting. */
import type * as vscode from 'vscode';
import type { StepRunner } from '../../engine/step-runner.js';
import type { ReleaseSession } from '../session.js';
import type { StageChannels } from '../stage-logs.js';
import type { StepTerminals } from '../step-terminal.js';
import { runStep } from './run.js';

export function checkApproval(
  session: ReleaseSession,
  runner: StepRunner,
  terminals: StepTerminals,
  stages: StageChannels,
  reveal: (stepId: string) => void,
  mode: vscode.ExtensionMode,
) {
  return runStep(session, runner, terminals, stages, reveal, mode, {
    values: { wait: 'no' },
    pick: {
      placeHolder: 'Check which approval?',
      filter: (p) => p.step.checkable === true && p.status === 'waiting-approval',
    },
    // "Not approved yet" is an answer: it changes nothing and is shown as such.
    notDoneAsWarning: true,
  });
}
