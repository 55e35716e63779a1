import type { ClusterContext } from '../context.js';
import { templateHash } from '../names.js';
import { matchesLabels, parseLabelSelector, formatMatchLabels } from '../selectors.js';
import { Resources, type StoreEvent } from '../store.js';
import { clone, isRecord, type KubeObject } from '../types.js';
import { isPodReady } from './pod-status.js';
import { writeDeploymentStatus, writeReplicaSetStatus } from './deployment-status.js';
import { workloadFor } from './workloads.js';

function record(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

export function matchLabelsOf(workload: KubeObject): Record<string, string> {
  return record(record(record(workload['spec'])['selector'])['matchLabels']) as Record<string, string>;
}

export function desiredReplicas(deployment: KubeObject): number {
  const replicas = record(deployment['spec'])['replicas'];
  return typeof replicas === 'number' ? replicas : 1;
}

/** The Deployment and ReplicaSet controllers: replicas become pods, template changes roll out, status follows. */
export class DeploymentController {
  private readonly pending = new Set<string>();

  constructor(private readonly context: ClusterContext) {}

  /** Seeded deployments get pods that have been running since `seededAt`, like a cluster that was already up. */
  start(seededAt?: string): () => void {
    for (const deployment of this.context.store.list(Resources.deployments)) this.enqueue(deployment, seededAt);
    return this.context.store.subscribe((event) => this.onChange(event));
  }

  private onChange(event: StoreEvent): void {
    if (event.resource === Resources.deployments) {
      if (event.type === 'DELETED') this.context.lifecycle.soon(() => this.cascade(event.object));
      else this.enqueue(event.object);
    } else if (event.resource === Resources.pods) {
      const owner = this.ownerOf(event.object);
      if (owner) this.enqueue(owner);
    }
  }

  private ownerOf(pod: KubeObject): KubeObject | undefined {
    if (!pod.metadata.labels?.['pod-template-hash']) return undefined;
    return this.context.store
      .list(Resources.deployments, pod.metadata.namespace)
      .find((d) => matchesLabels(parseLabelSelector(formatMatchLabels(matchLabelsOf(d))), pod.metadata.labels));
  }

  private enqueue(deployment: KubeObject, runningSince?: string): void {
    const key = `${deployment.metadata.namespace}/${deployment.metadata.name}`;
    if (this.pending.has(key)) return;
    this.pending.add(key);
    this.context.lifecycle.soon(() => {
      this.pending.delete(key);
      const live = this.context.store.get(Resources.deployments, deployment.metadata.namespace, deployment.metadata.name);
      if (live) this.reconcile(live, runningSince);
    });
  }

  /** Pods of the deployment that are not terminating, split into the current template's and older ones. */
  private podsOf(deployment: KubeObject, hash: string): { current: KubeObject[]; old: KubeObject[] } {
    const selector = parseLabelSelector(formatMatchLabels(matchLabelsOf(deployment)));
    const pods = this.context.store
      .list(Resources.pods, deployment.metadata.namespace)
      .filter((p) => !p.metadata.deletionTimestamp && p.metadata.labels?.['pod-template-hash'])
      .filter((p) => matchesLabels(selector, p.metadata.labels));
    return {
      current: pods.filter((p) => p.metadata.labels?.['pod-template-hash'] === hash),
      old: pods.filter((p) => p.metadata.labels?.['pod-template-hash'] !== hash),
    };
  }

  private reconcile(deployment: KubeObject, runningSince?: string): void {
    const hash = templateHash(record(deployment['spec'])['template']);
    const replicaSet = this.ensureReplicaSet(deployment, hash, runningSince);
    const desired = desiredReplicas(deployment);
    const { current, old } = this.podsOf(deployment, hash);
    if (current.length < desired) {
      for (let i = current.length; i < desired; i += 1) this.createPod(deployment, replicaSet, hash, runningSince);
    } else if (current.length > desired) {
      const byPreference = [...current].sort((a, b) => Number(isPodReady(a)) - Number(isPodReady(b)) ||
        b.metadata.creationTimestamp.localeCompare(a.metadata.creationTimestamp));
      byPreference.slice(0, current.length - desired).forEach((pod) => this.deletePod(replicaSet, pod));
    }
    const currentReady = current.filter(isPodReady).length;
    if (old.length > 0 && (currentReady >= desired || desired === 0)) {
      old.forEach((pod) => this.deletePod(replicaSet, pod));
    }
    const after = this.podsOf(deployment, hash);
    writeReplicaSetStatuses(this.context, deployment, replicaSet, after);
    writeDeploymentStatus(this.context, deployment, replicaSet, after);
  }

  private ensureReplicaSet(deployment: KubeObject, hash: string, createdAt?: string): KubeObject {
    const name = `${deployment.metadata.name}-${hash}`;
    const namespace = deployment.metadata.namespace;
    const existing = this.context.store.get(Resources.replicaSets, namespace, name);
    if (existing) return existing;
    const template = clone(record(record(deployment['spec'])['template']));
    const labels = { ...(record(template['metadata'])['labels'] as Record<string, string>), 'pod-template-hash': hash };
    template['metadata'] = { ...record(template['metadata']), labels };
    // As the deployment controller: one more than the highest revision among the ReplicaSets this Deployment owns.
    const revision = 1 + Math.max(0, ...this.context.store
      .list(Resources.replicaSets, namespace)
      .filter((rs) => rs.metadata.ownerReferences?.some((o) => o.controller && o.uid === deployment.metadata.uid))
      .map((rs) => Number(rs.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0) || 0));
    return this.context.store.create(Resources.replicaSets, {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name, namespace, uid: this.context.names.uid(), resourceVersion: '', generation: 1,
        creationTimestamp: createdAt ?? this.context.clock.now().toISOString(), labels,
        annotations: { 'deployment.kubernetes.io/revision': String(revision), 'deployment.kubernetes.io/desired-replicas': String(desiredReplicas(deployment)) },
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: deployment.metadata.name, uid: deployment.metadata.uid, controller: true, blockOwnerDeletion: true }],
      },
      spec: { replicas: createdAt ? desiredReplicas(deployment) : 0, selector: { matchLabels: { ...matchLabelsOf(deployment), 'pod-template-hash': hash } }, template },
      status: { replicas: 0, observedGeneration: 1 },
    });
  }

  private createPod(deployment: KubeObject, replicaSet: KubeObject, hash: string, runningSince?: string): void {
    const template = record(record(replicaSet['spec'])['template']);
    const pod = this.context.pods.create(
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: '', generateName: `${replicaSet.metadata.name}-`, namespace: deployment.metadata.namespace,
          uid: '', resourceVersion: '', creationTimestamp: '',
          labels: { ...(record(template['metadata'])['labels'] as Record<string, string>), 'pod-template-hash': hash },
          ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: replicaSet.metadata.name, uid: replicaSet.metadata.uid, controller: true, blockOwnerDeletion: true }],
        },
        spec: clone(record(template['spec'])),
      },
      { workload: workloadFor(this.context, deployment.metadata.name), runningSince },
    );
    if (!runningSince) this.context.events.record(replicaSet, 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`, { component: 'replicaset-controller' });
  }

  private deletePod(replicaSet: KubeObject, pod: KubeObject): void {
    this.context.pods.delete(pod.metadata.namespace ?? 'default', pod.metadata.name);
    this.context.events.record(replicaSet, 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`, { component: 'replicaset-controller' });
  }

  /** Background cascading deletion of a deleted deployment's ReplicaSets and pods. */
  private cascade(deployment: KubeObject): void {
    const namespace = deployment.metadata.namespace;
    for (const rs of this.context.store.list(Resources.replicaSets, namespace)) {
      if (!rs.metadata.ownerReferences?.some((o) => o.uid === deployment.metadata.uid)) continue;
      for (const pod of this.context.store.list(Resources.pods, namespace)) {
        if (pod.metadata.ownerReferences?.some((o) => o.uid === rs.metadata.uid)) this.context.pods.delete(namespace ?? 'default', pod.metadata.name);
      }
      this.context.store.remove(Resources.replicaSets, namespace, rs.metadata.name);
    }
  }
}

function writeReplicaSetStatuses(
  context: ClusterContext,
  deployment: KubeObject,
  current: KubeObject,
  pods: { current: KubeObject[]; old: KubeObject[] },
): void {
  for (const rs of context.store.list(Resources.replicaSets, deployment.metadata.namespace)) {
    if (!rs.metadata.ownerReferences?.some((o) => o.uid === deployment.metadata.uid)) continue;
    const hash = rs.metadata.labels?.['pod-template-hash'];
    const owned = rs.metadata.uid === current.metadata.uid ? pods.current : pods.old.filter((p) => p.metadata.labels?.['pod-template-hash'] === hash);
    const replicas = rs.metadata.uid === current.metadata.uid ? desiredReplicas(deployment) : owned.length;
    writeReplicaSetStatus(context, { deployment, replicaSet: rs, replicas, pods: owned });
  }
}
