/** PQS follows the ledger: when a cluster's `upgrade` stage succeeds, its active contracts move to the new package version. */
import type { ClusterName, StageSucceededHook } from '../contracts.js';
import { MODEL_PACKAGE } from './seed.js';
import { applyUpgrade } from './upgrade.js';

/** The hook the world gives each cluster; it logs what PQS did and never rejects, so a PQS failure never stops a Job. */
export function followUpgrades(urls: Readonly<Record<ClusterName, string>>, log: (line: string) => void): StageSucceededHook {
  return async ({ cluster, stage, toVersion, namespace, job }) => {
    if (stage !== 'upgrade') return;
    try {
      if (!toVersion) throw new Error(`Job ${namespace}/${job} has no io.lendos.app/current-version label naming the target version`);
      const { moved } = await applyUpgrade(urls[cluster], toVersion);
      log(`rehearsal: PQS of ${cluster} follows the upgrade: ${moved} active contracts moved to ${MODEL_PACKAGE} ${toVersion}`);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      log(`rehearsal: PQS of ${cluster} did not follow the upgrade to ${toVersion ?? '(unknown version)'}: ${reason}`);
    }
  };
}
