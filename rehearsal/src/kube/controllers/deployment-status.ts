import type { ClusterContext } from '../context.js';
import { Resources } from '../store.js';
import { isRecord, type KubeObject } from '../types.js';
import { isPodReady } from './pod-status.js';

type Condition = { type: string; status: string; reason: string; message: string; lastUpdateTime: string; lastTransitionTime: string };

function record(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

/** Keeps the transition time of a condition whose status and reason did not change, as controllers do. */
function keepTimes(previous: unknown, next: Condition): Condition {
  const conditions = Array.isArray(previous) ? previous.filter(isRecord) : [];
  const old = conditions.find((c) => c['type'] === next.type);
  if (old && old['status'] === next.status && old['reason'] === next.reason) {
    return { ...next, lastUpdateTime: String(old['lastUpdateTime']), lastTransitionTime: String(old['lastTransitionTime']) };
  }
  return next;
}

export function writeReplicaSetStatus(
  context: ClusterContext,
  target: { deployment: KubeObject; replicaSet: KubeObject; replicas: number; pods: KubeObject[] },
): void {
  const { deployment, replicaSet, replicas, pods } = target;
  const previousReplicas = record(replicaSet['spec'])['replicas'];
  if (previousReplicas !== replicas) {
    const direction = typeof previousReplicas === 'number' && previousReplicas > replicas ? 'down' : 'up';
    context.events.record(deployment, 'ScalingReplicaSet',
      `Scaled ${direction} replica set ${replicaSet.metadata.name} to ${replicas}`, { component: 'deployment-controller' });
  }
  const ready = pods.filter(isPodReady).length;
  context.store.mutate(Resources.replicaSets, replicaSet.metadata.namespace, replicaSet.metadata.name, (rs) => {
    rs['spec'] = { ...record(rs['spec']), replicas };
    rs['status'] = {
      replicas: pods.length,
      fullyLabeledReplicas: pods.length,
      readyReplicas: ready,
      availableReplicas: ready,
      observedGeneration: rs.metadata.generation ?? 1,
    };
  });
}

export function writeDeploymentStatus(
  context: ClusterContext,
  deployment: KubeObject,
  replicaSet: KubeObject,
  pods: { current: KubeObject[]; old: KubeObject[] },
): void {
  const spec = record(deployment['spec']);
  const desired = typeof spec['replicas'] === 'number' ? spec['replicas'] : 1;
  const all = [...pods.current, ...pods.old];
  const ready = all.filter(isPodReady).length;
  const updated = pods.current.length;
  const complete = updated === desired && pods.old.length === 0 && pods.current.filter(isPodReady).length === desired;
  const now = context.clock.now().toISOString();
  const previous = record(deployment['status'])['conditions'];
  const available = ready >= desired - Math.floor(desired / 4);
  const conditions = [
    keepTimes(previous, {
      type: 'Available', status: available ? 'True' : 'False',
      reason: available ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable',
      message: available ? 'Deployment has minimum availability.' : 'Deployment does not have minimum availability.',
      lastUpdateTime: now, lastTransitionTime: now,
    }),
    keepTimes(previous, {
      type: 'Progressing', status: 'True',
      reason: complete ? 'NewReplicaSetAvailable' : 'ReplicaSetUpdated',
      message: complete ? `ReplicaSet "${replicaSet.metadata.name}" has successfully progressed.` : `ReplicaSet "${replicaSet.metadata.name}" is progressing.`,
      lastUpdateTime: now, lastTransitionTime: now,
    }),
  ];
  const status: Record<string, unknown> = {
    observedGeneration: deployment.metadata.generation ?? 1,
    replicas: all.length,
    updatedReplicas: updated,
    readyReplicas: ready,
    availableReplicas: ready,
    conditions,
  };
  if (desired - ready > 0) status['unavailableReplicas'] = desired - ready;
  // Zero counters are omitted on the wire (omitempty), so clients must cope with them missing.
  for (const key of ['replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas']) if (status[key] === 0) delete status[key];
  context.store.mutate(Resources.deployments, deployment.metadata.namespace, deployment.metadata.name, (d) => {
    d['status'] = status;
    const revision = replicaSet.metadata.annotations?.['deployment.kubernetes.io/revision'];
    if (revision) d.metadata.annotations = { ...d.metadata.annotations, 'deployment.kubernetes.io/revision': revision };
  });
}
