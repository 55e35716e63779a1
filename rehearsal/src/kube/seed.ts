import type { SeedSecret } from '../contracts.js';
import type { ClusterContext } from './context.js';
import { applicationObject, argoApps, hasSelfHeal, imageKeyOf, tagFor } from './controllers/argo-apps.js';
import { admitSecret } from './secrets.js';
import { Resources } from './store.js';
import type { KubeObject } from './types.js';

/** How long ago the seeded cluster was set up: objects look weeks old, as in a real cluster. */
const seededAgoMs = 23 * 24 * 3600 * 1000;

export interface SeedOptions {
  /** ECR registry path of the LendOS service images, e.g. `381492038457.dkr.ecr.us-east-1.amazonaws.com/right-pedal`. */
  imageRepositoryPrefix: string;
  workloadsRepoUrl: string;
  /** The tags in the cluster's values-tags file at start. */
  values: Record<string, string>;
  secrets?: readonly SeedSecret[];
}

const namespaces = [
  'default', 'kube-system', 'kube-public', 'kube-node-lease', 'argocd',
  'lendos-portal', 'signing-portal', 'pqs', 'daml-http-json', 'canton-participant', 'canton-domain',
];

const damlImages: Record<string, string> = {
  pqs: 'digitalasset-docker.jfrog.io/participant-query-store:0.5.8',
  'daml-http-json': 'digitalasset-docker.jfrog.io/http-json:2.9.4',
  'canton-participant': 'digitalasset-docker.jfrog.io/canton-enterprise:2.9.4',
  'canton-domain': 'digitalasset-docker.jfrog.io/canton-enterprise:2.9.4',
};

const deployments: { name: string; namespace: string; replicas: number; port: number }[] = [
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

function deploymentObject(context: ClusterContext, spec: (typeof deployments)[number], options: SeedOptions, createdAt: string): KubeObject {
  const labels = { app: spec.name };
  const imageKey = imageKeyOf(spec.name) ?? spec.name;
  const image = damlImages[spec.name] ?? `${options.imageRepositoryPrefix}/${imageKey}:${tagFor(imageKey, options.values) ?? 'latest'}`;
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

/** The LendOS-shaped cluster of the runbook: namespaces, the given secrets, the eight deployments, the Argo CD applications. */
export function seedCluster(context: ClusterContext, options: SeedOptions): string {
  const createdAt = new Date(context.clock.now().getTime() - seededAgoMs).toISOString();
  for (const name of namespaces) {
    context.store.create(Resources.namespaces, {
      apiVersion: 'v1', kind: 'Namespace',
      metadata: { ...meta(context, name, undefined, createdAt), labels: { 'kubernetes.io/metadata.name': name } },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    });
  }
  for (const secret of options.secrets ?? []) context.store.create(Resources.secrets, secretObject(context, secret, createdAt));
  for (const spec of deployments) context.store.create(Resources.deployments, deploymentObject(context, spec, options, createdAt));
  for (const app of argoApps) {
    const selfHeal = hasSelfHeal(context.scenario.faults, app.name, context.name);
    const application = applicationObject(app, { cluster: context.name, repoUrl: options.workloadsRepoUrl, selfHeal });
    context.store.create(Resources.applications, {
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
    });
  }
  return createdAt;
}
