import { SERVICE_NAMES, type EnvironmentConfig, type ServiceConfig } from './types.js';
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
  'awsProfile',
] as const;

const K8S_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function text(value: unknown, at: ProblemSink, path: string, hint: string): string | undefined {
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

function k8sName(value: unknown, at: ProblemSink, path: string): string | undefined {
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
    awsProfile: orBase(nullableText(value.awsProfile, at, `${path}.awsProfile`, 'give an AWS profile name or null'), base.awsProfile),
  };
}

function orBase<T>(value: T | undefined, base: T): T {
  return value === undefined ? base : value;
}
