/** The AWS- and PQS-facing steps of the DAML upgrade procedure (Section 3): prerequisites and the RDS snapshot. */
import type { StepExecutor } from '../../engine/step-types.js';
import type { UpgradePorts } from '../../ports.js';
import { checkPrerequisites } from './prerequisites.js';
import { takeSnapshot } from './snapshot.js';

/** `<env>.upgrade.prerequisites` and `<env>.upgrade.snapshot` for staging and production. */
export const upgradeAwsExecutors: readonly StepExecutor<UpgradePorts>[] = [checkPrerequisites, takeSnapshot];
