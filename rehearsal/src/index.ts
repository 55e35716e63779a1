/** The rehearsal world's public face: the CLI (`lendos rehearse`), `npm start` and tests load only this module. */
export { startWorld, WORLD_CONTEXTS, GITHUB_OWNER, type World, type WorldOptions, type WorldPorts } from './world.js';
export { WorldDirError } from './world-dir.js';
export { PQS_CONNECTION_SECRET } from './pqs/index.js';
export { PORTALS, type FrontendServer, type Portal } from './frontends.js';
export { loadScenario, listScenarios, readScenario, ScenarioError, SCENARIO_DIR } from './scenario.js';
export type {
  AwsCredentials,
  ClusterName,
  EcrImage,
  EcrRegistry,
  Fault,
  KubeClusterName,
  Scenario,
  ScenarioDurations,
  StageSucceeded,
  UpgradeStage,
  WorldClock,
  WorldDescription,
} from './contracts.js';
