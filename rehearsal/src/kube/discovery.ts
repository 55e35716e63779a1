import { groupVersion, resourceTypes, servedGroups, type ResourceType } from './resources.js';

/** What an EKS control plane of the runbook's era answers on /version. */
export const serverVersion = {
  major: '1',
  minor: '30',
  gitVersion: 'v1.30.4-eks-a737599',
  gitCommit: 'a7375993ef76cc24dba1f7e7a3a3e32e1b2d3a68',
  gitTreeState: 'clean',
  buildDate: '2024-08-26T21:27:41Z',
  goVersion: 'go1.22.5',
  compiler: 'gc',
  platform: 'linux/amd64',
};

function apiResources(type: ResourceType): Record<string, unknown>[] {
  const main: Record<string, unknown> = {
    name: type.plural,
    singularName: type.singular,
    namespaced: type.namespaced,
    kind: type.kind,
    verbs: type.verbs,
  };
  if (type.shortNames) main['shortNames'] = type.shortNames;
  if (type.categories) main['categories'] = type.categories;
  const subresources = type.subresources.map((sub) => {
    const entry: Record<string, unknown> = {
      name: `${type.plural}/${sub.name}`,
      singularName: '',
      namespaced: type.namespaced,
      kind: sub.kind,
      verbs: sub.verbs,
    };
    if (sub.group !== undefined) entry['group'] = sub.group;
    if (sub.version !== undefined) entry['version'] = sub.version;
    return entry;
  });
  return [main, ...subresources];
}

/** The APIResourceList of `/api/v1` or `/apis/<group>/<version>`, or undefined for an unserved one. */
export function resourceList(group: string, version: string): Record<string, unknown> | undefined {
  const types = resourceTypes.filter((t) => t.group === group && t.version === version);
  if (types.length === 0) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: groupVersion({ group, version }),
    resources: types.flatMap(apiResources),
  };
}

export function coreVersions(serverAddress: string): Record<string, unknown> {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function apiGroup(name: string, versions: string[]): Record<string, unknown> {
  const entries = versions.map((version) => ({ groupVersion: `${name}/${version}`, version }));
  return { name, versions: entries, preferredVersion: entries[0] };
}

export function groupList(): Record<string, unknown> {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: [...servedGroups()].map(([name, versions]) => apiGroup(name, versions)),
  };
}

export function group(name: string): Record<string, unknown> | undefined {
  const versions = servedGroups().get(name);
  return versions ? { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(name, versions) } : undefined;
}
