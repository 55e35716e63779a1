import type { Fault, KubeClusterName } from '../../contracts.js';
import { isRecord, type KubeObject } from '../types.js';

/** An Argo CD hook the chart renders: a Job run before the sync applies anything (dev's data-loader-service). */
export interface HookDefinition {
  /** The Job's name, and its values-tags image key (= ECR repository name). */
  name: string;
  phase: 'PreSync';
}

/** The Argo CD Applications of the runbook and the workloads their charts render. */
export interface AppDefinition {
  name: string;
  /** The chart under `charts/` of lendos-eks-workloads. */
  chart: string;
  namespace: string;
  /** Deployment name → the chart's replica count and the values-tags image key (= ECR repository name). */
  deployments: Record<string, { replicas: number; image: string }>;
  preSync?: HookDefinition;
}

const lendosPortal = {
  chart: 'lendos-portal',
  namespace: 'lendos-portal',
  deployments: {
    'lendos-portal': { replicas: 2, image: 'lendos-portal-frontend' },
    'lendos-portal-backend': { replicas: 1, image: 'lendos-portal-backend' },
  },
};

const signingPortal = {
  chart: 'signing-portal',
  namespace: 'signing-portal',
  deployments: {
    'signing-portal': { replicas: 2, image: 'signing-portal-frontend' },
    'signing-portal-backend': { replicas: 1, image: 'signing-portal-backend' },
  },
};

/** Staging's and production's applications, synced by the release. */
export const argoApps: readonly AppDefinition[] = [
  { name: 'lendos-portal', ...lendosPortal },
  { name: 'signing-portal', ...signingPortal },
];

/** The hook that reloads dev's test data on every sync (idempotent). */
export const dataLoaderHook: HookDefinition = { name: 'data-loader-service', phase: 'PreSync' };

/** Dev's applications (runbook Section 4), synced by hand; each sync runs the data-loader PreSync hook first. */
export const devArgoApps: readonly AppDefinition[] = [
  { name: 'workload-lendos-eks-cluster-lendos-portal', ...lendosPortal, preSync: dataLoaderHook },
  { name: 'workload-lendos-eks-cluster-signing-portal', ...signingPortal, preSync: dataLoaderHook },
];

/** The applications of a cluster's Argo CD. */
export function argoAppsOf(cluster: KubeClusterName): readonly AppDefinition[] {
  return cluster === 'dev' ? devArgoApps : argoApps;
}

/** The values-tags image key of a deployment managed by an application, if any. */
export function imageKeyOf(deployment: string, apps: readonly AppDefinition[] = argoApps): string | undefined {
  for (const app of apps) {
    const entry = app.deployments[deployment];
    if (entry) return entry.image;
  }
  return undefined;
}

export const argoNamespace = 'argocd';

export function appDefinition(cluster: KubeClusterName, name: string): AppDefinition | undefined {
  return argoAppsOf(cluster).find((a) => a.name === name);
}

export function hasSelfHeal(faults: Fault[], app: string, cluster: KubeClusterName): boolean {
  return faults.some((f) => f.kind === 'selfheal' && f.application === app && (!f.cluster || f.cluster === cluster));
}

function record(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

const normalize = (text: string) => text.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * The values-tags tag of an image key (`lendos-portal-frontend`): the exact key, else a key whose dotted or
 * slashed segment equals it without case and punctuation (`lendosPortalFrontend.image.tag`, `right-pedal/lendos-portal-frontend`).
 */
export function tagFor(imageKey: string, values: Record<string, string>): string | undefined {
  if (values[imageKey] !== undefined) return values[imageKey];
  const wanted = normalize(imageKey);
  for (const [key, tag] of Object.entries(values)) {
    const candidates = [key, ...key.split('.'), key.split('/').pop() ?? key];
    if (candidates.some((c) => normalize(c) === wanted)) return tag;
  }
  return undefined;
}

export function containerImage(deployment: KubeObject): string {
  const template = record(record(deployment['spec'])['template']);
  const containers = record(template['spec'])['containers'];
  const first = Array.isArray(containers) ? containers[0] : undefined;
  return isRecord(first) ? String(first['image'] ?? '') : '';
}

/** The image with another tag: the tag starts at the first `:` after the registry host's `/` (a path never holds one). */
export function withTag(image: string, tag: string): string {
  const colon = image.indexOf(':', image.indexOf('/') + 1);
  const base = colon >= 0 ? image.slice(0, colon) : image;
  return `${base}:${tag}`;
}

/** Argo CD's health assessment of a Deployment (argo-cd gitops-engine `getDeploymentHealth`). */
export function deploymentHealth(deployment: KubeObject): 'Healthy' | 'Progressing' {
  const spec = record(deployment['spec']);
  const status = record(deployment['status']);
  const replicas = typeof spec['replicas'] === 'number' ? spec['replicas'] : 1;
  const count = (key: string) => (typeof status[key] === 'number' ? (status[key] as number) : 0);
  if (count('observedGeneration') < (deployment.metadata.generation ?? 0)) return 'Progressing';
  if (count('updatedReplicas') < replicas) return 'Progressing';
  if (count('replicas') > count('updatedReplicas')) return 'Progressing';
  if (count('availableReplicas') < count('updatedReplicas')) return 'Progressing';
  return 'Healthy';
}

/** Whether the live deployments differ from what the chart and values-tags say (replicas, image tags). */
export function isOutOfSync(app: AppDefinition, live: KubeObject[], values: Record<string, string> | undefined): boolean {
  return Object.entries(app.deployments).some(([name, desired]) => {
    const deployment = live.find((d) => d.metadata.name === name);
    if (!deployment) return true;
    if (record(deployment['spec'])['replicas'] !== desired.replicas) return true;
    const tag = values ? tagFor(desired.image, values) : undefined;
    return tag !== undefined && containerImage(deployment) !== withTag(containerImage(deployment), tag);
  });
}

export function applicationObject(app: AppDefinition, options: { cluster: KubeClusterName; repoUrl: string; selfHeal: boolean }) {
  const syncPolicy: Record<string, unknown> = { syncOptions: ['CreateNamespace=false'] };
  if (options.selfHeal) syncPolicy['automated'] = { prune: true, selfHeal: true };
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: app.name, namespace: argoNamespace, finalizers: ['resources-finalizer.argocd.argoproj.io'] },
    spec: {
      project: 'lendos',
      source: {
        repoURL: options.repoUrl,
        targetRevision: 'main',
        path: `charts/${app.chart}`,
        helm: { valueFiles: [`../../values-tags-${options.cluster}.yaml`] },
      },
      destination: { server: 'https://kubernetes.default.svc', namespace: app.namespace },
      syncPolicy,
    },
  };
}
