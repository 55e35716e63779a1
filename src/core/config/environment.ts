import { SERVICE_NAMES, type EnvironmentConfig, type EnvironmentIdentity, type GitHubConfig, type PqsConfig, type ServiceConfig } from './types.js';
import { expectKeys, isRecord, type ProblemSink } from './validate.js';

const ENV_KEYS = [
  'label',
  'kubeContext',
  'region',
  'cantonCluster',
  'upgradeArgument',
  'replicas',
  'namespaces',
  'canton',
  'argoApplications',
  'argoNamespace',
  'upgradeNamespace',
  'urls',
  'valuesTagsFile',
  'valuesTagsPaths',
  'awsProfile',
  'pqs',
  'identity',
] as const;

const K8S_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** A Secret's name may hold dots (a DNS subdomain); a data key letters, digits, `-`, `_` and `.`. */
const K8S_SUBDOMAIN = /^[a-z0-9]([-.a-z0-9]*[a-z0-9])?$/;
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;

export function text(value: unknown, at: ProblemSink, path: string, hint: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '') {
    at.add(path, `is empty: ${hint}`);
    return undefined;
  }
  return value.trim();
}

function nullableText(value: unknown, at: ProblemSink, path: string, hint: string): string | null | undefined {
  if (value === null) return null;
  return text(value, at, path, hint);
}

function strings(value: unknown, at: ProblemSink, path: string): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    at.add(path, 'must be a list of strings');
    return undefined;
  }
  return value as string[];
}

export function k8sName(value: unknown, at: ProblemSink, path: string): string | undefined {
  const name = text(value, at, path, 'give a Kubernetes namespace name');
  if (name !== undefined && !K8S_NAME.test(name)) {
    at.add(path, `"${name}" is not a valid Kubernetes name (lower-case letters, digits and hyphens)`);
    return undefined;
  }
  return name;
}

function readServices(base: readonly ServiceConfig[], replicas: unknown, namespaces: unknown, at: ProblemSink, path: string) {
  const result = base.map((s) => ({ ...s }));
  const byName = (name: string) => result.find((s) => s.name === name);
  const serviceList = SERVICE_NAMES.join(', ');
  if (replicas !== undefined) {
    if (!isRecord(replicas)) at.add(`${path}.replicas`, `must map services (${serviceList}) to replica counts`);
    else
      for (const [name, count] of Object.entries(replicas)) {
        const service = byName(name);
        if (!service) at.add(`${path}.replicas.${name}`, `unknown service "${name}": use one of ${serviceList}`);
        else if (typeof count !== 'number' || !Number.isInteger(count) || count < 0 || count > 100)
          at.add(`${path}.replicas.${name}`, 'must be a whole number of replicas between 0 and 100');
        else service.replicas = count;
      }
  }
  if (namespaces !== undefined) {
    if (!isRecord(namespaces)) at.add(`${path}.namespaces`, `must map services (${serviceList}) to namespaces`);
    else
      for (const [name, ns] of Object.entries(namespaces)) {
        const service = byName(name);
        const valid = k8sName(ns, at, `${path}.namespaces.${name}`);
        if (!service) at.add(`${path}.namespaces.${name}`, `unknown service "${name}": use one of ${serviceList}`);
        else if (valid) service.namespace = valid;
      }
  }
  return result;
}

function readCanton(base: EnvironmentConfig['canton'], value: unknown, at: ProblemSink, path: string) {
  if (value === undefined) return base;
  if (!isRecord(value)) {
    at.add(path, 'must have participant and domain, each with namespace and selector');
    return base;
  }
  expectKeys(at, path, value, ['participant', 'domain']);
  const read = (key: 'participant' | 'domain') => {
    const part = value[key];
    if (part === undefined) return base[key];
    if (!isRecord(part)) {
      at.add(`${path}.${key}`, 'must have namespace and selector');
      return base[key];
    }
    expectKeys(at, `${path}.${key}`, part, ['namespace', 'selector']);
    return {
      namespace: k8sName(part.namespace, at, `${path}.${key}.namespace`) ?? base[key].namespace,
      selector: text(part.selector, at, `${path}.${key}.selector`, 'give a label selector such as app=canton-participant') ?? base[key].selector,
    };
  };
  return { participant: read('participant'), domain: read('domain') };
}

export function readEnvironment(base: EnvironmentConfig, value: unknown, at: ProblemSink, path: string): EnvironmentConfig {
  if (value === undefined || value === null) return base;
  if (!isRecord(value)) {
    at.add(path, 'must be a mapping of settings such as kubeContext');
    return base;
  }
  expectKeys(at, path, value, ENV_KEYS);
  const contextHint = `set the kube context name for ${base.label}, e.g. ${base.kubeContext}`;
  return {
    ...base,
    label: text(value.label, at, `${path}.label`, 'give a display name') ?? base.label,
    kubeContext: text(value.kubeContext, at, `${path}.kubeContext`, contextHint) ?? base.kubeContext,
    region: text(value.region, at, `${path}.region`, 'give an AWS region such as us-east-1') ?? base.region,
    cantonCluster: orBase(nullableText(value.cantonCluster, at, `${path}.cantonCluster`, 'give the Canton Aurora cluster id'), base.cantonCluster),
    upgradeArgument: orBase(nullableText(value.upgradeArgument, at, `${path}.upgradeArgument`, 'give the run-upgrade.sh environment (staging or bxci)'), base.upgradeArgument),
    services: readServices(base.services, value.replicas, value.namespaces, at, path),
    canton: readCanton(base.canton, value.canton, at, `${path}.canton`),
    argoApplications: strings(value.argoApplications, at, `${path}.argoApplications`) ?? base.argoApplications,
    argoNamespace: k8sName(value.argoNamespace, at, `${path}.argoNamespace`) ?? base.argoNamespace,
    upgradeNamespace: k8sName(value.upgradeNamespace, at, `${path}.upgradeNamespace`) ?? base.upgradeNamespace,
    urls: strings(value.urls, at, `${path}.urls`) ?? base.urls,
    valuesTagsFile: text(value.valuesTagsFile, at, `${path}.valuesTagsFile`, 'give the values-tags file path') ?? base.valuesTagsFile,
    valuesTagsPaths: readTagPaths(base.valuesTagsPaths, value.valuesTagsPaths, at, `${path}.valuesTagsPaths`),
    awsProfile: orBase(nullableText(value.awsProfile, at, `${path}.awsProfile`, 'give an AWS profile name or null'), base.awsProfile),
    pqs: readPqs(base.pqs, value.pqs, at, `${path}.pqs`),
    identity: readIdentity(base.identity, value.identity, at, `${path}.identity`),
  };
}

/** `lendos-portal.backend.image.tag`: keys joined by dots, ending at the tag. */
const TAG_PATH = /^[^.\s]+(\.[^.\s]+)*\.tag$/;

function readTagPaths(base: Readonly<Record<string, string>>, value: unknown, at: ProblemSink, path: string): Readonly<Record<string, string>> {
  if (value === undefined || value === null) return base;
  const hint = 'must map service images to the dotted path of their tag, e.g. lendos-portal-backend: lendos-portal.backend.image.tag';
  if (!isRecord(value)) {
    at.add(path, hint);
    return base;
  }
  const paths: Record<string, string> = { ...base };
  for (const [service, tagPath] of Object.entries(value)) {
    if (typeof tagPath === 'string' && TAG_PATH.test(tagPath.trim())) paths[service] = tagPath.trim();
    else at.add(`${path}.${service}`, `${JSON.stringify(tagPath)} is not a tag path: give the keys down to the tag joined by dots, e.g. lendos-portal.backend.image.tag`);
  }
  return paths;
}

const ACCOUNT = /^\d{12}$/;
const CLUSTER_UID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

function identityPart(value: unknown, at: ProblemSink, path: string, valid: (text: string) => boolean, hint: string): string | null | undefined {
  if (value === undefined) return undefined;
  if (value === null) return null;
  if (typeof value !== 'string' || !valid(value.trim())) {
    at.add(path, hint);
    return undefined;
  }
  return value.trim();
}

function isServerUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '';
  } catch {
    return false;
  }
}

function readIdentity(base: EnvironmentIdentity, value: unknown, at: ProblemSink, path: string): EnvironmentIdentity {
  if (value === undefined || value === null) return base;
  if (!isRecord(value)) {
    at.add(path, 'must have account, clusterUid and server (each may be null until recorded)');
    return base;
  }
  expectKeys(at, path, value, ['account', 'clusterUid', 'server']);
  return {
    account: orBase(identityPart(value.account, at, `${path}.account`, (t) => ACCOUNT.test(t), 'must be the 12-digit AWS account id (aws sts get-caller-identity), or null'), base.account),
    clusterUid: orBase(
      identityPart(value.clusterUid, at, `${path}.clusterUid`, (t) => CLUSTER_UID.test(t), 'must be the UID of the cluster\'s kube-system namespace (kubectl get namespace kube-system -o jsonpath={.metadata.uid}), or null'),
      base.clusterUid,
    ),
    server: orBase(identityPart(value.server, at, `${path}.server`, isServerUrl, 'must be the API server URL (https://…), or null'), base.server),
  };
}

function readConnection(value: unknown, at: ProblemSink, path: string): string | null | undefined {
  if (value === undefined) return undefined;
  if (value === null || value === '') return null;
  const hint = 'must be a connection URL such as postgres://user:password@host:5432/database, or null to read the Secret';
  if (typeof value !== 'string') {
    at.add(path, hint);
    return undefined;
  }
  let url: URL | undefined;
  try {
    url = new URL(value.trim());
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') || !url.hostname) {
    at.add(path, hint);
    return undefined;
  }
  return value.trim();
}

function readSecret(base: PqsConfig['secret'], value: unknown, at: ProblemSink, path: string): PqsConfig['secret'] {
  if (value === undefined) return base;
  if (!isRecord(value)) {
    at.add(path, 'must have namespace, name and key of the Kubernetes Secret holding the PQS connection URL');
    return base;
  }
  expectKeys(at, path, value, ['namespace', 'name', 'key']);
  const name = text(value.name, at, `${path}.name`, 'give the Secret name, e.g. pqs-postgres');
  const key = text(value.key, at, `${path}.key`, 'give the key inside the Secret, e.g. connection');
  if (name !== undefined && !K8S_SUBDOMAIN.test(name)) at.add(`${path}.name`, `"${name}" is not a valid Secret name (lower-case letters, digits, "-" and ".")`);
  if (key !== undefined && !SECRET_KEY.test(key)) at.add(`${path}.key`, `"${key}" is not a valid Secret key (letters, digits, "-", "_" and ".")`);
  return {
    namespace: k8sName(value.namespace, at, `${path}.namespace`) ?? base.namespace,
    name: name !== undefined && K8S_SUBDOMAIN.test(name) ? name : base.name,
    key: key !== undefined && SECRET_KEY.test(key) ? key : base.key,
  };
}

function readPqs(base: PqsConfig, value: unknown, at: ProblemSink, path: string): PqsConfig {
  if (value === undefined) return base;
  if (!isRecord(value)) {
    at.add(path, 'must have connection (a URL or null) and secret {namespace, name, key}');
    return base;
  }
  expectKeys(at, path, value, ['connection', 'secret']);
  return {
    connection: orBase(readConnection(value.connection, at, `${path}.connection`), base.connection),
    secret: readSecret(base.secret, value.secret, at, `${path}.secret`),
  };
}

function orBase<T>(value: T | undefined, base: T): T {
  return value === undefined ? base : value;
}

/**
 * What a person types to confirm a change in the environment: the runbook's own name for it, the environment argument
 * of run-upgrade.sh (`bxci` for production), else the configured name.
 */
export function confirmationName(env: Pick<EnvironmentConfig, 'name' | 'upgradeArgument'>): string {
  return env.upgradeArgument ?? env.name;
}

/**
 * A rehearsal checks the rehearsal world's frontends, never the real ones: its world.json `urls` replace the
 * configured URLs of the environments it serves.
 */
export function withRehearsalUrls<T extends { readonly environments: Readonly<Record<string, EnvironmentConfig>> }>(
  config: T,
  urls: Readonly<Partial<Record<string, readonly string[]>>> | undefined,
): T {
  if (!urls) return config;
  const environments = Object.fromEntries(
    Object.entries(config.environments).map(([name, env]) => [name, urls[name] ? { ...env, urls: [...(urls[name] ?? [])] } : env]),
  );
  return { ...config, environments };
}

/** What a rehearsal world tells about its environments (world.json): frontend URLs, identities, its GitHub. */
export interface RehearsalFacts {
  readonly urls?: Readonly<Partial<Record<string, readonly string[]>>>;
  readonly identities?: Readonly<Partial<Record<string, { readonly account: string; readonly clusterUid: string; readonly server: string }>>>;
  readonly github?: { readonly apiUrl: string; readonly productApprovers?: readonly string[] };
}

/**
 * A rehearsal acts on the world's environments and GitHub only: their URLs, identities, API and product approvers
 * replace the configured ones.
 */
export function withRehearsal<T extends { readonly environments: Readonly<Record<string, EnvironmentConfig>>; readonly github?: GitHubConfig }>(config: T, world: RehearsalFacts | undefined): T {
  if (!world) return config;
  const withUrls = withRehearsalUrls(config, world.urls);
  const environments = Object.fromEntries(
    Object.entries(withUrls.environments).map(([name, env]) => {
      const identity = world.identities?.[name];
      return [name, identity ? { ...env, identity: { account: identity.account, clusterUid: identity.clusterUid, server: identity.server } } : env];
    }),
  );
  const github = world.github && config.github ? { github: { ...config.github, apiUrl: world.github.apiUrl, productApprovers: [...(world.github.productApprovers ?? config.github.productApprovers)] } } : {};
  return { ...withUrls, environments, ...github };
}
