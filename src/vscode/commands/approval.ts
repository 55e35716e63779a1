/** Check Approval Now: an approval step (2.5, 3.3) looks once for product's approval on GitHub, without waiting. */
import { runStep, type RunStepDeps } from './run.js';

export function checkApproval(deps: RunStepDeps) {
  return runStep(deps, {
    values: { wait: 'no' },
    pick: {
      placeHolder: 'Check which approval?',
      filter: (p) => p.step.checkable === true && p.status === 'waiting-approval',
    },
    // "Not approved yet" is an answer: it changes nothing and is shown as such.
    notDoneAsWarning: true,
  });
}
