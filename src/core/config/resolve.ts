/**
 * Layers partial configuration (from `.lendos/config.yaml` and from settings) over the runbook's defaults and
 * validates it. Every problem names where it is and what to do.
 */
import { defaultConfig } from './defaults.js';
import {
  SERVICE_NAMES,
  type ConfigProblem,
  type EnvironmentConfig,
  type GitHubConfig,
  type LeaseConfig,
  type LendosConfig,
  type ServiceName,
  type ValidationConfig,
} from './types.js';
import type { EnvironmentName } from '../runbook/types.js';
import { ENVIRONMENT_NAMES, Problems, expectKeys, isRecord } from './validate.js';
import { k8sName, readEnvironment, text } from './environment.js';
import { separationProblems } from './separation.js';

export interface ConfigLayer {
  /** Where the layer came from, e.g. `.lendos/config.yaml` or `settings`. */
  readonly source: string;
  readonly value: unknown;
}

export interface ResolvedConfig {
  readonly config: LendosConfig;
  readonly problems: readonly ConfigProblem[];
}

const TOP_KEYS = ['environments', 'repositories', 'ecr', 'aws', 'kubeconfig', 'lease', 'validation', 'github'] as const;

export function resolveConfig(layers: readonly ConfigLayer[]): ResolvedConfig {
  let config = defaultConfig();
  const problems = new Problems();
  for (const layer of layers) {
    if (layer.value === undefined || layer.value === null) continue;
    const at = problems.at(layer.source);
    if (!isRecord(layer.value)) {
      at.add('', 'must be a mapping of settings (for example `environments:` at the top level)');
      continue;
    }
    expectKeys(at, '', layer.value, TOP_KEYS);
    config = applyLayer(config, layer.value, at);
  }
  return { config, problems: [...problems.list, ...separationProblems(config)] };
}

function applyLayer(config: LendosConfig, value: Record<string, unknown>, at: ReturnType<Problems['at']>): LendosConfig {
  const environments = { ...config.environments };
  if (value.environments !== undefined) {
    if (!isRecord(value.environments)) at.add('environments', 'must be a mapping of dev, staging, production');
    else {
      for (const [name, envValue] of Object.entries(value.environments)) {
        if (!(ENVIRONMENT_NAMES as readonly string[]).includes(name)) {
          at.add(`environments.${name}`, `unknown environment "${name}": use one of ${ENVIRONMENT_NAMES.join(', ')}`);
          continue;
        }
        const env = name as EnvironmentName;
        environments[env] = readEnvironment(environments[env], envValue, at, `environments.${env}`);
      }
    }
  }
  return {
    environments,
    repositories: readStrings(config.repositories, value.repositories, at, 'repositories'),
    ecr: readEcr(config.ecr, value.ecr, at),
    aws: readStrings(config.aws, value.aws, at, 'aws'),
    kubeconfig: readOptionalString(config.kubeconfig, value.kubeconfig, at, 'kubeconfig'),
    lease: readLease(config.lease, value.lease, at),
    validation: readValidation(config.validation, value.validation, at),
    github: readGitHub(config.github, value.github, at),
  };
}

const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
const TEAM = /^[A-Za-z0-9][A-Za-z0-9-]*\/[A-Za-z0-9][A-Za-z0-9._-]*$/;

function readGitHub(base: GitHubConfig, value: unknown, at: Sink): GitHubConfig {
  if (value === undefined) return base;
  if (!isRecord(value)) {
    at.add('github', 'must have apiUrl, productApprovers, productApproverTeam or buildStartTimeoutSeconds');
    return base;
  }
  expectKeys(at, 'github', value, ['apiUrl', 'productApprovers', 'productApproverTeam', 'approvalPollSeconds', 'buildStartTimeoutSeconds']);
  let apiUrl = base.apiUrl;
  if (value.apiUrl !== undefined) {
    const valid = typeof value.apiUrl === 'string' && /^https?:\/\/[^\s/]+/.test(value.apiUrl.trim());
    if (valid) apiUrl = (value.apiUrl as string).trim().replace(/\/+$/, '');
    else at.add('github.apiUrl', 'must be the API URL: https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise');
  }
  let productApprovers = base.productApprovers;
  if (value.productApprovers !== undefined) {
    const list = value.productApprovers;
    if (Array.isArray(list) && list.every((l) => typeof l === 'string' && LOGIN.test(l))) productApprovers = list as string[];
    else at.add('github.productApprovers', 'must be a list of GitHub logins, e.g. [luis-product]');
  }
  let productApproverTeam = base.productApproverTeam;
  if (value.productApproverTeam !== undefined) {
    if (value.productApproverTeam === null) productApproverTeam = null;
    else if (typeof value.productApproverTeam === 'string' && TEAM.test(value.productApproverTeam.trim())) productApproverTeam = value.productApproverTeam.trim();
    else at.add('github.productApproverTeam', 'must be ORG/TEAM-SLUG (e.g. rplendos/product), or null');
  }
  return {
    apiUrl,
    productApprovers,
    productApproverTeam,
    approvalPollSeconds: readPollSeconds(base, value, at),
    buildStartTimeoutSeconds: readBuildStart(base, value.buildStartTimeoutSeconds, at),
  };
}

function readPollSeconds(base: GitHubConfig, value: Record<string, unknown>, at: Sink): number {
  const seconds = value.approvalPollSeconds;
  if (seconds === undefined) return base.approvalPollSeconds;
  if (typeof seconds === 'number' && Number.isInteger(seconds) && seconds >= 1 && seconds <= 3600) return seconds;
  at.add('github.approvalPollSeconds', 'must be a whole number of seconds from 1 to 3600, e.g. 30');
  return base.approvalPollSeconds;
}

const BUILD_START_SECONDS = { min: 1, max: 7200 };

function readBuildStart(base: GitHubConfig, seconds: unknown, at: Sink): number {
  if (seconds === undefined) return base.buildStartTimeoutSeconds;
  if (typeof seconds === 'number' && Number.isInteger(seconds) && seconds >= BUILD_START_SECONDS.min && seconds <= BUILD_START_SECONDS.max) return seconds;
  at.add('github.buildStartTimeoutSeconds', `must be a whole number of seconds from ${BUILD_START_SECONDS.min} to ${BUILD_START_SECONDS.max} (default 600)`);
  return base.buildStartTimeoutSeconds;
}

function readStrings<T extends object>(base: T, value: unknown, at: ReturnType<Problems['at']>, path: string): T {
  if (value === undefined) return base;
  if (!isRecord(value)) {
    at.add(path, 'must be a mapping');
    return base;
  }
  const keys = Object.keys(base);
  expectKeys(at, path, value, keys);
  const result = { ...base } as Record<string, unknown>;
  for (const key of keys) {
    const v = value[key];
    if (v === undefined) continue;
    if (typeof v !== 'string' || v.trim() === '') at.add(`${path}.${key}`, 'must be a non-empty string');
    else result[key] = v.trim();
  }
  return result as T;
}

function readOptionalString(
  base: string | null,
  value: unknown,
  at: ReturnType<Problems['at']>,
  path: string,
): string | null {
  if (value === undefined) return base;
  if (value === null || value === '') return null;
  if (typeof value !== 'string') {
    at.add(path, 'must be a path (a string)');
    return base;
  }
  return value;
}

function readEcr(base: LendosConfig['ecr'], value: unknown, at: ReturnType<Problems['at']>): LendosConfig['ecr'] {
  if (value === undefined) return base;
  if (!isRecord(value)) {
    at.add('ecr', 'must be a mapping');
    return base;
  }
  expectKeys(at, 'ecr', value, ['upgradeRepository', 'serviceRepositories']);
  let upgradeRepository = base.upgradeRepository;
  if (value.upgradeRepository !== undefined) {
    if (typeof value.upgradeRepository === 'string' && value.upgradeRepository.trim()) {
      upgradeRepository = value.upgradeRepository.trim();
    } else at.add('ecr.upgradeRepository', 'must be an ECR repository name, e.g. right-pedal/portal-daml-upgrade');
  }
  const serviceRepositories: Record<string, string> = { ...base.serviceRepositories };
  if (value.serviceRepositories !== undefined) {
    if (!isRecord(value.serviceRepositories)) at.add('ecr.serviceRepositories', 'must map image names to ECR repositories');
    else {
      for (const [image, repo] of Object.entries(value.serviceRepositories)) {
        if (typeof repo === 'string' && repo.trim()) serviceRepositories[image] = repo.trim();
        else at.add(`ecr.serviceRepositories.${image}`, 'must be an ECR repository name');
      }
    }
  }
  return { upgradeRepository, serviceRepositories };
}

type Sink = ReturnType<Problems['at']>;

const LEASE_SECONDS = { min: 15, max: 3600 };

function readLease(base: LeaseConfig, value: unknown, at: Sink): LeaseConfig {
  if (value === undefined) return base;
  if (!isRecord(value)) {
    at.add('lease', 'must have name, namespace and durationSeconds of the cluster lock (a coordination.k8s.io Lease)');
    return base;
  }
  expectKeys(at, 'lease', value, ['name', 'namespace', 'durationSeconds']);
  let durationSeconds = base.durationSeconds;
  const seconds = value.durationSeconds;
  if (seconds !== undefined) {
    if (typeof seconds === 'number' && Number.isInteger(seconds) && seconds >= LEASE_SECONDS.min && seconds <= LEASE_SECONDS.max) durationSeconds = seconds;
    else at.add('lease.durationSeconds', `must be a whole number of seconds from ${LEASE_SECONDS.min} to ${LEASE_SECONDS.max}`);
  }
  return {
    name: k8sName(value.name, at, 'lease.name') ?? base.name,
    namespace: k8sName(value.namespace, at, 'lease.namespace') ?? base.namespace,
    durationSeconds,
  };
}

/** A log pattern as validation will use it (`{to}` stands for the new DAML version); undefined when it does not compile. */
function pattern(value: unknown, at: Sink, path: string): string | undefined {
  const source = text(value, at, path, 'give a regular expression');
  if (source === undefined) return undefined;
  try {
    new RegExp(source.split('{to}').join('0\\.1\\.93'));
    return source;
  } catch (error) {
    at.add(path, `is not a regular expression (${error instanceof Error ? error.message : String(error)})`);
    return undefined;
  }
}

function readBackends(base: ValidationConfig['backends'], value: unknown, at: Sink): ValidationConfig['backends'] {
  if (value === undefined) return base;
  if (!Array.isArray(value)) {
    at.add('validation.backends', 'must be a list of {namespace, deployment}');
    return base;
  }
  const backends = value.map((entry, i) => {
    const where = `validation.backends[${i}]`;
    if (!isRecord(entry)) {
      at.add(where, 'must have namespace and deployment');
      return undefined;
    }
    expectKeys(at, where, entry, ['namespace', 'deployment']);
    for (const key of ['namespace', 'deployment'] as const) {
      if (entry[key] === undefined) at.add(`${where}.${key}`, `is missing: give the backend's ${key}`);
    }
    const namespace = k8sName(entry.namespace, at, `${where}.namespace`);
    const deployment = k8sName(entry.deployment, at, `${where}.deployment`);
    return namespace && deployment ? { namespace, deployment } : undefined;
  });
  return backends.every((b) => b !== undefined) ? backends : base;
}

function readValidation(base: ValidationConfig, value: unknown, at: Sink): ValidationConfig {
  if (value === undefined) return base;
  if (!isRecord(value)) {
    at.add('validation', 'must have ledgerPattern, darPattern and backends');
    return base;
  }
  expectKeys(at, 'validation', value, ['ledgerPattern', 'darPattern', 'backends']);
  return {
    ledgerPattern: pattern(value.ledgerPattern, at, 'validation.ledgerPattern') ?? base.ledgerPattern,
    darPattern: pattern(value.darPattern, at, 'validation.darPattern') ?? base.darPattern,
    backends: readBackends(base.backends, value.backends, at),
  };
}

/** The environment, or a problem when the configuration cannot reach it. */
export function environmentOf(config: LendosConfig, name: EnvironmentName): EnvironmentConfig {
  return config.environments[name];
}

export function serviceOf(env: EnvironmentConfig, name: ServiceName) {
  const service = env.services.find((s) => s.name === name);
  if (!service) throw new Error(`Service ${name} is not configured for ${env.label}`);
  return service;
}

export { SERVICE_NAMES };
