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
  account: string;
  status: string;
  percentProgress: number;
  type: 'manual' | 'automated';
  createdAt: Date;
}

export interface RdsInstanceView {
  identifier: string;
  clusterIdentifier: string;
  account: string;
  status: string;
  instanceClass: string;
}

/**
 * A read-only, in-process look at the RDS world across every account, statuses as of the call (for tests and the
 * composer); the same identifier may appear once per account.
 */
export interface RdsView {
  clusters(): RdsClusterView[];
  snapshots(): RdsSnapshotView[];
  instances(): RdsInstanceView[];
}

export function rdsView(store: RdsStore): RdsView {
  return {
    clusters: () =>
      store.clusters.all().map((cluster) => ({
        identifier: cluster.identifier,
        status: clusterStatus(cluster, store.now()),
        account: cluster.account,
        members: store.members(cluster).map((instance) => instance.identifier),
        pendingIdentifier: cluster.pendingIdentifier,
      })),
    snapshots: () =>
      store.snapshots.all().map((snapshot) => ({
        identifier: snapshot.identifier,
        clusterIdentifier: snapshot.clusterIdentifier,
        account: snapshot.account,
        status: snapshotStatus(snapshot, store.now()),
        percentProgress: snapshotProgress(snapshot, store.now()),
        type: snapshot.type,
        createdAt: snapshot.createdAt,
      })),
    instances: () =>
      store.instances.all().map((instance) => ({
        identifier: instance.identifier,
        clusterIdentifier: instance.clusterIdentifier,
        account: instance.account,
        status: instanceStatus(instance, store.now()),
        instanceClass: instance.instanceClass,
      })),
  };
}
