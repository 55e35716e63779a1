/** What every runbook builder needs: the release version and the configuration, plus per-environment views. */
import type { CalVer } from '../calver.js';
import type { EnvironmentConfig, LendosConfig } from '../config/types.js';
import type { UpgradeEnvironment } from './types.js';

export interface RunbookContext {
  readonly version: CalVer;
  readonly config: LendosConfig;
}

/** The Section 3 procedure's view of one environment. */
export interface UpgradeContext extends RunbookContext {
  readonly environment: UpgradeEnvironment;
  readonly env: EnvironmentConfig;
  /** Step id prefix and group id, e.g. `staging.upgrade`. */
  readonly group: string;
  /** `run-upgrade.sh` environment argument, or a placeholder when the configuration has none. */
  readonly upgradeArgument: string;
  /** Canton Aurora cluster id, or a placeholder when the configuration has none. */
  readonly cantonCluster: string;
}

export const UPGRADE_ENVIRONMENTS: readonly UpgradeEnvironment[] = ['staging', 'production'];

export function upgradeContext(context: RunbookContext, environment: UpgradeEnvironment): UpgradeContext {
  const env = context.config.environments[environment];
  return {
    ...context,
    environment,
    env,
    group: `${environment}.upgrade`,
    // Placeholders keep the plan readable when the configuration is incomplete; preflight reports the gap.
    upgradeArgument: env.upgradeArgument ?? '<run-upgrade.sh environment>',
    cantonCluster: env.cantonCluster ?? '<canton cluster id>',
  };
}
