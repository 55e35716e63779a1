/** Builds the ports steps run with, for the real world or a rehearsal world (from its world.json). */
import { lazyEcr } from './aws/lazy.js';
import { GitCli } from './git.js';
import { NodeProcesses } from './processes.js';
import type { LendosConfig } from '../core/config/types.js';
import type { Phase1Ports } from '../ports.js';

/** The parts of a rehearsal's world.json that the ports need. */
export interface RehearsalWorld {
  readonly kubeconfig: string;
  readonly aws: { readonly region: string; readonly ecrEndpoint: string; readonly configFile: string; readonly credentialsFile: string };
  /** KUBECONFIG, AWS_*, GITHUB_* for child processes. */
  readonly env?: Readonly<Record<string, string>>;
}

export type StepPorts = Phase1Ports;

export function createStepPorts(root: string, config: () => LendosConfig, world: () => RehearsalWorld | undefined): StepPorts {
  return {
    workspaceRoot: root,
    git: new GitCli(),
    processes: new NodeProcesses(),
    ecr: lazyEcr(() => {
      const w = world();
      const cfg = config();
      return {
        region: w?.aws.region ?? cfg.aws.region,
        profile: cfg.aws.artifactsProfile,
        ...(w ? { endpoint: w.aws.ecrEndpoint, configFile: w.aws.configFile, credentialsFile: w.aws.credentialsFile } : {}),
      };
    }),
    get scriptEnv() {
      const w = world();
      if (!w) return {};
      return {
        ...(w.env ?? {}),
        KUBECONFIG: w.kubeconfig,
        AWS_ENDPOINT_URL_ECR: w.aws.ecrEndpoint,
        AWS_CONFIG_FILE: w.aws.configFile,
        AWS_SHARED_CREDENTIALS_FILE: w.aws.credentialsFile,
      };
    },
  };
}
