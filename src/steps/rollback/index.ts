/**
 * Section 3.4's rollback by RDS restore, per environment: stop everything, choose the snapshot, rename the broken
 * cluster away, restore the snapshot under its identifier (with instances), revert the values-tags PR, sync Argo CD,
 * scale up to the pre-upgrade counts and validate against the pre-upgrade PQS counts.
 */
import { UPGRADE_ENVIRONMENTS } from '../../core/runbook/context.js';
import { rollbackStepId } from '../../core/runbook/rollback.js';
import type { StepExecutor } from '../../engine/step-types.js';
import type { UpgradePorts } from '../../ports.js';
import { syncArgo } from '../upgrade/argocd-sync.js';
import { scaleUp } from '../upgrade/scale-up.js';
import { validate } from '../upgrade/validate.js';
import { chooseSnapshot } from './choose-snapshot.js';
import { renameCluster } from './rename.js';
import { restoreSnapshot } from './restore.js';
import { revertValuesTags } from './revert-tags.js';
import { stopServices } from './stop.js';
import { restartBackends } from '../troubleshoot/restart-backends.js';

/** Who initiates the rollback's Argo CD sync: not the release's own sync, so neither is taken for the other. */
export const rollbackInitiator = (version: string): string => `lendos-release/${version}/rollback`;

export const rollbackExecutors: readonly StepExecutor<UpgradePorts>[] = [
  restartBackends,
  stopServices,
  chooseSnapshot,
  renameCluster,
  restoreSnapshot,
  revertValuesTags,
  ...UPGRADE_ENVIRONMENTS.flatMap((environment) => [
    syncArgo(environment, { stepId: rollbackStepId(environment, 'argocd-sync'), initiator: rollbackInitiator }),
    scaleUp(environment, {
      stepId: rollbackStepId(environment, 'scale-up'),
      replicaSteps: (env) => [`${env}.upgrade.scale-down`, rollbackStepId(env, 'stop-services')],
    }),
    validate(environment, { stepId: rollbackStepId(environment, 'validate'), rolledBack: true }),
  ]),
] as readonly StepExecutor<UpgradePorts>[];
