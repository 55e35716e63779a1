/**
 * Environments are kept apart: no two of them may share a kube context, an AWS profile, an AWS account or a cluster.
 * Staging configured with production's context would scale production down; so such a configuration is refused
 * before anything runs, with what to change.
 */
import type { EnvironmentName } from '../runbook/types.js';
import { defaultConfig } from './defaults.js';
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
  const defaults = defaultConfig();
  ENVIRONMENT_NAMES.forEach((name, index) => {
    for (const earlier of ENVIRONMENT_NAMES.slice(0, index)) {
      for (const facet of FACETS) problems.push(...clash(config, defaults, earlier, name, facet));
    }
  });
  return problems;
}

/**
 * Two environments sharing a value: the problem is put on the one whose value was configured (differs from the
 * runbook's default), naming the other; when both or neither were, on the later one.
 */
function clash(config: LendosConfig, defaults: LendosConfig, first: EnvironmentName, second: EnvironmentName, facet: Facet): ConfigProblem[] {
  const value = facet.of(config.environments[second]);
  if (value === null || value !== facet.of(config.environments[first])) return [];
  const configured = (name: EnvironmentName) => facet.of(config.environments[name]) !== facet.of(defaults.environments[name]);
  const [culprit, other] = configured(first) && !configured(second) ? [first, second] : [second, first];
  const a = config.environments[other];
  const b = config.environments[culprit];
  return [
    {
      path: `environments.${culprit}.${facet.key}`,
      message:
        `is "${value}", the same ${facet.what} as ${a.label} (environments.${other}.${facet.key}): every environment must be ` +
        `its own. Set ${b.label}'s own ${facet.what}; nothing runs until they differ.`,
    },
  ];
}
