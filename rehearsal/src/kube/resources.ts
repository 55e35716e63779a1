/** The resource types this API server serves, with what discovery, routing and validation need to know. */

export interface SubresourceType {
  name: string;
  kind: string;
  group?: string;
  version?: string;
  verbs: string[];
}

export interface ResourceType {
  /** `plural.group` for grouped resources, the plural alone for core ones; the store's key. */
  key: string;
  group: string;
  version: string;
  plural: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  subresources: SubresourceType[];
  /** Field selectors the real API accepts besides metadata.name and metadata.namespace. */
  fieldLabels: string[];
  /** Custom resources (CRDs) refuse strategic merge patches. */
  custom: boolean;
}

const allVerbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const statusSubresource = (kind: string): SubresourceType => ({ name: 'status', kind, verbs: ['get', 'patch', 'update'] });

function resource(fields: Omit<ResourceType, 'key' | 'verbs' | 'subresources' | 'fieldLabels' | 'custom'> &
  Partial<Pick<ResourceType, 'verbs' | 'subresources' | 'fieldLabels' | 'custom'>>): ResourceType {
  return {
    verbs: allVerbs,
    subresources: [],
    fieldLabels: [],
    custom: false,
    ...fields,
    key: fields.group === '' ? fields.plural : `${fields.plural}.${fields.group}`,
  };
}

export const resourceTypes: ResourceType[] = [
  resource({
    group: '', version: 'v1', plural: 'namespaces', singular: 'namespace', kind: 'Namespace', namespaced: false,
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], shortNames: ['ns'],
    subresources: [statusSubresource('Namespace')], fieldLabels: ['status.phase'],
  }),
  resource({
    group: '', version: 'v1', plural: 'pods', singular: 'pod', kind: 'Pod', namespaced: true,
    shortNames: ['po'], categories: ['all'],
    subresources: [{ name: 'log', kind: 'Pod', verbs: ['get'] }, statusSubresource('Pod')],
    fieldLabels: ['status.phase', 'spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName', 'status.podIP', 'status.nominatedNodeName'],
  }),
  resource({
    group: '', version: 'v1', plural: 'events', singular: 'event', kind: 'Event', namespaced: true, shortNames: ['ev'],
    fieldLabels: ['involvedObject.kind', 'involvedObject.namespace', 'involvedObject.name', 'involvedObject.uid', 'involvedObject.apiVersion', 'involvedObject.resourceVersion', 'involvedObject.fieldPath', 'reason', 'reportingComponent', 'source', 'type'],
  }),
  resource({
    group: '', version: 'v1', plural: 'secrets', singular: 'secret', kind: 'Secret', namespaced: true, fieldLabels: ['type'],
  }),
  resource({
    group: 'apps', version: 'v1', plural: 'deployments', singular: 'deployment', kind: 'Deployment', namespaced: true,
    shortNames: ['deploy'], categories: ['all'],
    subresources: [
      { name: 'scale', kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: ['get', 'patch', 'update'] },
      statusSubresource('Deployment'),
    ],
  }),
  resource({
    group: 'apps', version: 'v1', plural: 'replicasets', singular: 'replicaset', kind: 'ReplicaSet', namespaced: true,
    shortNames: ['rs'], categories: ['all'], subresources: [statusSubresource('ReplicaSet')],
  }),
  resource({
    group: 'batch', version: 'v1', plural: 'jobs', singular: 'job', kind: 'Job', namespaced: true, categories: ['all'],
    subresources: [statusSubresource('Job')], fieldLabels: ['status.successful'],
  }),
  resource({
    group: 'coordination.k8s.io', version: 'v1', plural: 'leases', singular: 'lease', kind: 'Lease', namespaced: true,
  }),
  resource({
    group: 'argoproj.io', version: 'v1alpha1', plural: 'applications', singular: 'application', kind: 'Application',
    namespaced: true, shortNames: ['app', 'apps'], categories: ['argo'], custom: true,
  }),
];

export function groupVersion(type: Pick<ResourceType, 'group' | 'version'>): string {
  return type.group === '' ? type.version : `${type.group}/${type.version}`;
}

export function findResource(group: string, version: string, plural: string): ResourceType | undefined {
  return resourceTypes.find((t) => t.group === group && t.version === version && t.plural === plural);
}

export function resourceByKey(key: string): ResourceType {
  const type = resourceTypes.find((t) => t.key === key);
  if (!type) throw new Error(`unknown resource ${key}`);
  return type;
}

/** Group → its served versions, in registry order. */
export function servedGroups(): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const type of resourceTypes) {
    if (type.group === '') continue;
    const versions = groups.get(type.group) ?? [];
    if (!versions.includes(type.version)) versions.push(type.version);
    groups.set(type.group, versions);
  }
  return groups;
}
