/** The Kubernetes-facing executors of the Section 3 upgrade procedure, for staging and production. */
import { UPGRADE_ENVIRONMENTS } from '../../core/runbook/context.js';
import type { StepExecutor } from '../../engine/step-types.js';
import type { UpgradePorts } from '../../ports.js';
import { syncArgo } from './argocd-sync.js';
import { restartCanton } from './canton-restart.js';
import { runStages } from './run-stages.js';
import { scaleDown } from './scale-down.js';
import { scaleUp } from './scale-up.js';
import { runStage } from './stage.js';
import { validate } from './validate.js';

/**
 * `<env>.upgrade.scale-down`, `.canton-restart`, `.run`, `.stage.<stage>` (each of the seven), `.argocd-sync`,
 * `.scale-up` and `.validate`; the AWS-facing ones (prerequisites, snapshot) are `upgradeAwsExecutors` in ./aws.ts.
 */
export const upgradeKubeExecutors: readonly StepExecutor<UpgradePorts>[] = UPGRADE_ENVIRONMENTS.flatMap((environment) => [
  scaleDown(environment),
  restartCanton(environment),
  runStages(environment),
  runStage(environment),
  syncArgo(environment),
  scaleUp(environment),
  validate(environment),
]);
