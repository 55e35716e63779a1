import { clusterStatus, instanceStatus, snapshotProgress, snapshotStatus } from './rds-records.js';
import type { RdsStore } from './rds-store.js';

export interface RdsClusterView {
  identifier: string;
  status: string;
  account: string;
  /** Instance identifiers, writer first. */
  members: string[];
  pendingIdentifier?: string;
}

export interface RdsSnapshotView {
  identifier: string;
  clusterIdentifier: string;
  status: string;
  percentProgress: number;
  type: 'manual' | 'automated';
  createdAt: Date;
}

export interface RdsInstanceView {
  identifier: string;
  clusterIdentifier: string;
  status: string;
  instanceClass: string;
}

/** A read-only, in-process look at the RDS world, statuses as of the call (for tests and the composer). */
export interface RdsView {
  clusters(): RdsClusterView[];
  snapshots(): RdsSnapshotView[];
  instances(): RdsInstanceView[];
}

export function rdsView(store: RdsStore): RdsView {
  return {
    clusters: () =>
      [...store.clusters.values()].map((cluster) => ({
        identifier: cluster.identifier,
        status: clusterStatus(cluster, store.now()),
        account: cluster.account,
        members: store.members(cluster).map((instance) => instance.identifier),
        pendingIdentifier: cluster.pendingIdentifier,
      })),
    snapshots: () =>
      [...store.snapshots.values()].map((snapshot) => ({
        identifier: snapshot.identifier,
        clusterIdentifier: snapshot.clusterIdentifier,
        status: snapshotStatus(snapshot, store.now()),
        percentProgress: snapshotProgress(snapshot, store.now()),
        type: snapshot.type,
        createdAt: snapshot.createdAt,
      })),
    instances: () =>
      [...store.instances.values()].map((instance) => ({
        identifier: instance.identifier,
        clusterIdentifier: instance.clusterIdentifier,
        status: instanceStatus(instance, store.now()),
        instanceClass: instance.instanceClass,
      })),
  };
}
