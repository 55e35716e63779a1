/** Phase 2's GitHub steps and the preflight engine's other faces (the CLI, the editor's commands), in the steps bundle. */
import type { StepExecutor } from '../../engine/step-types.js';
import type { UpgradePorts } from '../../ports.js';
import { mergeToMain } from './merge-step.js';
import { runPreflight } from './preflight-step.js';

/** 2.1 preflight and 2.2 the release PR and its merge. */
export const releasePullExecutors: readonly StepExecutor<UpgradePorts>[] = [
  runPreflight as StepExecutor<UpgradePorts>,
  mergeToMain as StepExecutor<UpgradePorts>,
];

export { preflightFor, type PreflightDeps, type PreflightRequest } from './preflight-target.js';
export { reportData, reportLines, type PreflightReport } from './preflight.js';
export {
  PREFLIGHT_WORKFLOW,
  PREFLIGHT_WORKFLOW_BRANCH,
  PREFLIGHT_WORKFLOW_PATH,
  proposePreflightWorkflow,
  type WorkflowProposal,
} from './preflight-workflow.js';
