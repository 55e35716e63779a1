import type { ClusterContext } from './context.js';
import { groupVersion, type ResourceType } from './resources.js';
import { admitSecret } from './secrets.js';
import { Resources } from './store.js';
import { badRequest, invalid, isRecord, KubeError, notFound, type KubeObject } from './types.js';

const dnsSubdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function record(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

/** Turns a request body into an object of the endpoint's kind, or the real API's 400. */
export function asObject(body: unknown, type: ResourceType, kind = type.kind, apiVersion = groupVersion(type)): KubeObject {
  if (!isRecord(body)) throw badRequest(`Object 'Kind' is missing in '${JSON.stringify(body)}'`);
  if (body['apiVersion'] !== undefined && body['apiVersion'] !== apiVersion) {
    throw badRequest(`the API version in the data (${String(body['apiVersion'])}) does not match the expected API version (${apiVersion})`);
  }
  if (body['kind'] !== undefined && body['kind'] !== kind) {
    throw badRequest(`the kind in the data (${String(body['kind'])}) does not match the expected kind (${kind})`);
  }
  const metadata = record(body['metadata']);
  return { ...body, apiVersion, kind, metadata: { ...metadata } } as unknown as KubeObject;
}

function validateName(object: KubeObject, type: ResourceType): void {
  const name = object.metadata.name;
  if (typeof name !== 'string' || name === '') {
    throw invalid(type.kind, '', ['metadata.name: Required value: name or generateName is required']);
  }
  if (name.length > 253 || !dnsSubdomain.test(name)) {
    throw invalid(type.kind, name, [
      `metadata.name: Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`,
    ]);
  }
}

function checkNamespace(context: ClusterContext, namespace: string): void {
  const found = context.store.get(Resources.namespaces, undefined, namespace);
  if (!found) throw notFound('namespaces', '', namespace);
  if (found.metadata.deletionTimestamp) {
    throw new KubeError(403, 'Forbidden', `unable to create new content in namespace ${namespace} because it is being terminated`, {
      name: namespace, kind: 'namespaces',
    });
  }
}

function containerProblems(podSpec: Record<string, unknown>, path: string): string[] {
  const containers = Array.isArray(podSpec['containers']) ? podSpec['containers'] : [];
  if (containers.length === 0) return [`${path}.containers: Required value`];
  return containers.flatMap((c, i) => {
    const container = record(c);
    const problems: string[] = [];
    if (!container['name']) problems.push(`${path}.containers[${i}].name: Required value`);
    if (!container['image']) problems.push(`${path}.containers[${i}].image: Required value`);
    return problems;
  });
}

function admitDeployment(object: KubeObject): string[] {
  const spec = record(object['spec']);
  const template = record(spec['template']);
  const labels = record(record(template['metadata'])['labels']);
  const matchLabels = record(record(spec['selector'])['matchLabels']);
  const problems = containerProblems(record(template['spec']), 'spec.template.spec');
  if (Object.keys(matchLabels).length === 0) problems.push('spec.selector: Required value');
  else if (!Object.entries(matchLabels).every(([k, v]) => labels[k] === v)) {
    problems.push('spec.template.metadata.labels: Invalid value: `selector` does not match template `labels`');
  }
  object['spec'] = {
    replicas: 1, revisionHistoryLimit: 10, progressDeadlineSeconds: 600,
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
    ...spec,
  };
  object.metadata.generation = 1;
  return problems;
}

function admitJob(object: KubeObject): string[] {
  const spec = record(object['spec']);
  const template = record(spec['template']);
  const podSpec = record(template['spec']);
  const problems = containerProblems(podSpec, 'spec.template.spec');
  const policy = podSpec['restartPolicy'];
  if (policy !== 'Never' && policy !== 'OnFailure') {
    problems.push(`spec.template.spec.restartPolicy: ${policy === undefined ? 'Required value' : `Unsupported value: "${String(policy)}"`}: supported values: "OnFailure", "Never"`);
  }
  const uid = object.metadata.uid;
  const controllerLabels = {
    'batch.kubernetes.io/controller-uid': uid, 'batch.kubernetes.io/job-name': object.metadata.name,
    'controller-uid': uid, 'job-name': object.metadata.name,
  };
  const templateMeta = record(template['metadata']);
  const defaults: Record<string, unknown> = { backoffLimit: 6, completionMode: 'NonIndexed', suspend: false, manualSelector: false, podReplacementPolicy: 'TerminatingOrFailed' };
  if (spec['parallelism'] === undefined && spec['completions'] === undefined) Object.assign(defaults, { parallelism: 1, completions: 1 });
  if (spec['parallelism'] === undefined) defaults['parallelism'] = 1;
  object['spec'] = {
    ...defaults,
    ...spec,
    selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } },
    template: { ...template, metadata: { ...templateMeta, labels: { ...record(templateMeta['labels']), ...controllerLabels } } },
  };
  object.metadata.labels = { ...controllerLabels, ...object.metadata.labels };
  object.metadata.generation = 1;
  return problems;
}

/** Defaults and validation on create, as the real API server's admission and registry strategies do. */
export function admitCreate(context: ClusterContext, type: ResourceType, object: KubeObject): void {
  if (!object.metadata.name && typeof object.metadata.generateName === 'string') {
    object.metadata.name = `${object.metadata.generateName}${context.names.suffix()}`;
  }
  validateName(object, type);
  if (type.namespaced) checkNamespace(context, object.metadata.namespace ?? 'default');
  object.metadata.uid = context.names.uid();
  object.metadata.creationTimestamp = context.clock.now().toISOString();
  object.metadata.resourceVersion = '';
  delete object.metadata.deletionTimestamp;
  let problems: string[] = [];
  if (type.key === Resources.deployments) problems = admitDeployment(object);
  else if (type.key === Resources.jobs) problems = admitJob(object);
  else if (type.key === Resources.pods) problems = containerProblems(record(object['spec']), 'spec');
  else if (type.key === Resources.secrets) problems = admitSecret(object);
  else if (type.key === Resources.namespaces) object['status'] = { phase: 'Active' };
  if (type.key === Resources.applications) object.metadata.generation = 1;
  if (problems.length > 0) throw invalid(type.kind, object.metadata.name, problems);
}

/** Update rules: identity fields from the stored object, status kept where a status subresource owns it. */
export function admitUpdate(type: ResourceType, existing: KubeObject, object: KubeObject, subresource?: 'status'): KubeObject {
  const next: KubeObject = { ...object, metadata: { ...object.metadata } };
  next.metadata.uid = existing.metadata.uid;
  next.metadata.creationTimestamp = existing.metadata.creationTimestamp;
  if (existing.metadata.deletionTimestamp) next.metadata.deletionTimestamp = existing.metadata.deletionTimestamp;
  const hasStatus = type.subresources.some((s) => s.name === 'status');
  if (subresource === 'status') return { ...existing, status: next['status'], metadata: { ...existing.metadata, resourceVersion: next.metadata.resourceVersion } };
  if (hasStatus) next['status'] = existing['status'];
  if (type.key === Resources.jobs && JSON.stringify(record(next['spec'])['template']) !== JSON.stringify(record(existing['spec'])['template'])) {
    throw invalid('Job', existing.metadata.name, ['spec.template: Invalid value: field is immutable']);
  }
  if (type.key === Resources.pods) checkPodUpdate(existing, next);
  if (type.key === Resources.secrets) {
    const problems = admitSecret(next, existing);
    if (problems.length > 0) throw invalid('Secret', existing.metadata.name, problems);
  }
  return next;
}

function checkPodUpdate(existing: KubeObject, next: KubeObject): void {
  const strip = (spec: unknown) => {
    const copy = structuredClone(record(spec));
    const containers = Array.isArray(copy['containers']) ? copy['containers'] : [];
    containers.forEach((c) => isRecord(c) && delete c['image']);
    return JSON.stringify(copy);
  };
  if (strip(next['spec']) !== strip(existing['spec'])) {
    throw invalid('Pod', existing.metadata.name, ['spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`, `spec.initContainers[*].image`, `spec.activeDeadlineSeconds`, `spec.tolerations` (only additions to existing tolerations) or `spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)']);
  }
}
