/** Phase 2 and 3 on GitHub: product's approvals (2.5, 3.3) and the gitflow back to develop (3.4). */
import type { StepExecutor } from '../../engine/step-types.js';
import type { UpgradePorts } from '../../ports.js';
import { productApproval } from './approval.js';
import { completeGitflow } from './gitflow.js';

export const approvalAndGitflowExecutors: readonly StepExecutor<UpgradePorts>[] = [
  productApproval as StepExecutor<UpgradePorts>,
  completeGitflow as StepExecutor<UpgradePorts>,
];
