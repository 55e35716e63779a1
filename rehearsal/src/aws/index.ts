import type { EcrRegistry, Scenario, WorldClock } from '../contracts.js';
import { EcrStore } from './ecr-store.js';
import { seedEcrHistory } from './seed.js';

/** The ECR registry of the world, seeded with months of CI history (deterministic under the scenario seed). */
export function createEcrRegistry(clock: WorldClock, scenario: Scenario): EcrRegistry {
  const store = new EcrStore(clock);
  seedEcrHistory(store, clock, scenario);
  return store;
}

export { startAwsServer, type AwsServer, type AwsServerOptions } from './server.js';
export { writeAwsConfig, type AwsConfigFiles } from './config-files.js';
export { ACCOUNTS, DEV_PROFILE, RUNBOOK_PROFILES, WORLD_PROFILES, WORLD_REGION, worldIdentities, type AwsIdentity } from './accounts.js';
export type { RdsClusterView, RdsInstanceView, RdsSnapshotView, RdsView } from './rds-view.js';
export { SERVICE_HISTORIES, UPGRADE_BUILDS, UPGRADE_REPOSITORY } from './seed.js';
export { DATA_LOADER_REPOSITORY, DEV_BUILDS, type DevBuild } from './seed-dev.js';
export { verifySigV4, type SigV4Request, type SigV4Verdict } from './sigv4.js';
export { signRequest, type SigningInput } from './sigv4-sign.js';
