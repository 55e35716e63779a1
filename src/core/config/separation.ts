/**
 * Environments are kept apart: no two of them may share a kube context, an AWS profile, an AWS account or a cluster.
 * Staging configured with production's context would scale production down; so such a configuration is refused
 * before anything runs, with what to change.
 */
import type { EnvironmentName } from '../runbook/types.js';
import type { ConfigProblem, EnvironmentConfig, LendosConfig } from './types.js';
import { ENVIRONMENT_NAMES } from './validate.js';

interface Facet {
  readonly key: string;
  readonly what: string;
  readonly of: (env: EnvironmentConfig) => string | null;
}

const FACETS: readonly Facet[] = [
  { key: 'kubeContext', what: 'kube context', of: (env) => env.kubeContext },
  { key: 'awsProfile', what: 'AWS profile', of: (env) => env.awsProfile },
  { key: 'identity.account', what: 'AWS account', of: (env) => env.identity.account },
  { key: 'identity.clusterUid', what: 'cluster (kube-system UID)', of: (env) => env.identity.clusterUid },
  { key: 'identity.server', what: 'API server', of: (env) => env.identity.server },
];

export function separationProblems(config: LendosConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  ENVIRONMENT_NAMES.forEach((name, index) => {
    for (const earlier of ENVIRONMENT_NAMES.slice(0, index)) {
      for (const facet of FACETS) problems.push(...clash(config, earlier, name, facet));
    }
  });
  return problems;
}

/** Reported at the earlier environment (dev, staging, then production) — the one a slip usually points elsewhere. */
function clash(config: LendosConfig, first: EnvironmentName, second: EnvironmentName, facet: Facet): ConfigProblem[] {
  const a = config.environments[first];
  const b = config.environments[second];
  const value = facet.of(a);
  if (value === null || value !== facet.of(b)) return [];
  return [
    {
      path: `environments.${first}.${facet.key}`,
      message:
        `is "${value}", the same ${facet.what} as ${b.label} (environments.${second}.${facet.key}): every environment must be ` +
        `its own. Set ${a.label}'s own ${facet.what}; nothing runs until they differ.`,
    },
  ];
}
