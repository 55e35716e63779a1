import type { SeedSecret } from '../contracts.js';
import { defaultImageRepositoryPrefix, type ClusterContext } from './context.js';
import { applicationObject, argoAppsOf, hasSelfHeal, imageKeyOf, tagFor, type AppDefinition } from './controllers/argo-apps.js';
import { hookJob } from './controllers/argo-hooks.js';
import { admitSecret } from './secrets.js';
import { Resources } from './store.js';
import type { KubeObject } from './types.js';

/** How long ago the seeded cluster was set up: objects look weeks old, as in a real cluster. */
const seededAgoMs = 23 * 24 * 3600 * 1000;

export interface SeedOptions {
  workloadsRepoUrl: string;
  /** The tags in the cluster's values-tags file at start. */
  values: Record<string, string>;
  secrets?: readonly SeedSecret[];
}

const namespaces = [
  'default', 'kube-system', 'kube-public', 'kube-node-lease', 'argocd',
  'lendos-portal', 'signing-portal', 'pqs', 'daml-http-json', 'canton-participant', 'canton-domain',
];

/** Dev runs the portals alone: no DAML upgrade, no PQS (runbook Section 4). */
const devNamespaces = ['default', 'kube-system', 'kube-public', 'kube-node-lease', 'argocd', 'lendos-portal', 'signing-portal'];

const damlImages: Record<string, string> = {
  pqs: 'digitalasset-docker.jfrog.io/participant-query-store:0.5.8',
  'daml-http-json': 'digitalasset-docker.jfrog.io/http-json:2.9.4',
  'canton-participant': 'digitalasset-docker.jfrog.io/canton-enterprise:2.9.4',
  'canton-domain': 'digitalasset-docker.jfrog.io/canton-enterprise:2.9.4',
};

type DeploymentSpec = { name: string; namespace: string; replicas: number; port: number };

const deployments: DeploymentSpec[] = [
  { name: 'lendos-portal', namespace: 'lendos-portal', replicas: 2, port: 80 },
  { name: 'lendos-portal-backend', namespace: 'lendos-portal', replicas: 1, port: 8080 },
  { name: 'signing-portal', namespace: 'signing-portal', replicas: 2, port: 80 },
  { name: 'signing-portal-backend', namespace: 'signing-portal', replicas: 1, port: 8080 },
  { name: 'pqs', namespace: 'pqs', replicas: 1, port: 8080 },
  { name: 'daml-http-json', namespace: 'daml-http-json', replicas: 1, port: 7575 },
  { name: 'canton-participant', namespace: 'canton-participant', replicas: 1, port: 5011 },
  { name: 'canton-domain', namespace: 'canton-domain', replicas: 1, port: 5008 },
];

function meta(context: ClusterContext, name: string, namespace: string | undefined, createdAt: string) {
  return { name, namespace, uid: context.names.uid(), resourceVersion: '', creationTimestamp: createdAt };
}

/** What a cluster holds from the start: its namespaces and deployments. */
function layoutOf(context: ClusterContext): { namespaces: string[]; deployments: DeploymentSpec[] } {
  if (context.name !== 'dev') return { namespaces, deployments };
  const portals = ['lendos-portal', 'signing-portal'];
  return { namespaces: devNamespaces, deployments: deployments.filter((d) => portals.includes(d.namespace)) };
}

function deploymentObject(context: ClusterContext, spec: DeploymentSpec, options: SeedOptions, createdAt: string): KubeObject {
  const labels = { app: spec.name };
  const imageKey = imageKeyOf(spec.name) ?? spec.name;
  const image = damlImages[spec.name] ?? `${context.imageRepositoryPrefix ?? defaultImageRepositoryPrefix}/${imageKey}:${tagFor(imageKey, options.values) ?? 'latest'}`;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { ...meta(context, spec.name, spec.namespace, createdAt), generation: 1, labels: { ...labels, 'app.kubernetes.io/managed-by': 'Helm' } },
    spec: {
      replicas: spec.replicas,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          containers: [{
            name: spec.name, image, imagePullPolicy: 'IfNotPresent',
            ports: [{ containerPort: spec.port, protocol: 'TCP' }],
            resources: { requests: { cpu: '250m', memory: '512Mi' } },
          }],
          restartPolicy: 'Always', terminationGracePeriodSeconds: 30,
        },
      },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    },
  };
}

function secretObject(context: ClusterContext, secret: SeedSecret, createdAt: string): KubeObject {
  const object: KubeObject = {
    apiVersion: 'v1', kind: 'Secret',
    metadata: { ...meta(context, secret.name, secret.namespace, createdAt), ...(secret.labels ? { labels: { ...secret.labels } } : {}) },
    type: 'Opaque',
    stringData: { ...secret.stringData },
  };
  admitSecret(object);
  return object;
}

/** The last sync's PreSync hook Job, Complete: BeforeHookCreation leaves it until the next sync deletes it. */
function completedHookJob(context: ClusterContext, app: AppDefinition, options: SeedOptions, createdAt: string): KubeObject | undefined {
  if (!app.preSync) return undefined;
  const job = hookJob(context, app, app.preSync, options.values);
  job.metadata.creationTimestamp = createdAt;
  const condition = { type: 'Complete', status: 'True', lastProbeTime: createdAt, lastTransitionTime: createdAt };
  job['status'] = { startTime: createdAt, completionTime: createdAt, succeeded: 1, ready: 0, uncountedTerminatedPods: {}, conditions: [condition] };
  return job;
}

function applicationSeed(context: ClusterContext, app: AppDefinition, options: SeedOptions, createdAt: string): KubeObject {
  const selfHeal = hasSelfHeal(context.scenario.faults, app.name, context.name);
  const application = applicationObject(app, { cluster: context.name, repoUrl: options.workloadsRepoUrl, selfHeal });
  return {
    ...application,
    metadata: { ...application.metadata, ...meta(context, app.name, application.metadata.namespace, createdAt), generation: 1 },
    status: {
      sync: { status: 'Synced' },
      health: { status: 'Healthy' },
      sourceType: 'Helm',
      operationState: {
        operation: { initiatedBy: { username: 'admin' }, sync: { prune: true } },
        phase: 'Succeeded', message: 'successfully synced (all tasks run)', startedAt: createdAt, finishedAt: createdAt,
      },
    },
  };
}

/** The LendOS-shaped cluster of the runbook: namespaces, the given secrets, the deployments, the Argo CD applications. */
export function seedCluster(context: ClusterContext, options: SeedOptions): string {
  const createdAt = new Date(context.clock.now().getTime() - seededAgoMs).toISOString();
  const layout = layoutOf(context);
  for (const name of layout.namespaces) {
    context.store.create(Resources.namespaces, {
      apiVersion: 'v1', kind: 'Namespace',
      metadata: { ...meta(context, name, undefined, createdAt), labels: { 'kubernetes.io/metadata.name': name } },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    });
  }
  for (const secret of options.secrets ?? []) context.store.create(Resources.secrets, secretObject(context, secret, createdAt));
  for (const spec of layout.deployments) context.store.create(Resources.deployments, deploymentObject(context, spec, options, createdAt));
  for (const app of argoAppsOf(context.name)) {
    context.store.create(Resources.applications, applicationSeed(context, app, options, createdAt));
    const job = completedHookJob(context, app, options, createdAt);
    if (job) context.store.create(Resources.jobs, job);
  }
  return createdAt;
}
