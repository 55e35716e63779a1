/** What the RDS store keeps; statuses are not stored but read off the clock (see `rds-status.ts`). */

export interface Tag {
  Key: string;
  Value: string;
}

export interface ClusterRecord {
  identifier: string;
  account: string;
  resourceId: string;
  engine: string;
  engineVersion: string;
  databaseName?: string;
  masterUsername: string;
  createdAt: Date;
  /** `creating` until then. */
  availableAt: Date;
  /** The random part of the cluster's endpoint host names, per account. */
  endpointId: string;
  subnetGroup: string;
  parameterGroup: string;
  securityGroupIds: string[];
  availabilityZones: string[];
  allocatedStorage: number;
  deletionProtection: boolean;
  /** A rename waiting for the maintenance window (ModifyDBCluster without ApplyImmediately). */
  pendingIdentifier?: string;
  /** `renaming` until then, after an immediate rename. */
  renamingUntil?: Date;
  /** Set when the scenario makes this restore fail: its instances end in `incompatible-restore`. */
  restoreFails?: boolean;
  tags: Tag[];
}

export interface SnapshotRecord {
  identifier: string;
  clusterIdentifier: string;
  account: string;
  type: 'manual' | 'automated';
  createdAt: Date;
  /** `creating` until then, then `outcome`. */
  completesAt: Date;
  outcome: 'available' | 'failed';
  engine: string;
  engineVersion: string;
  clusterCreatedAt: Date;
  masterUsername: string;
  allocatedStorage: number;
  availabilityZones: string[];
  clusterResourceId: string;
  tags: Tag[];
}

export interface InstanceRecord {
  identifier: string;
  clusterIdentifier: string;
  account: string;
  resourceId: string;
  instanceClass: string;
  engine: string;
  engineVersion: string;
  availabilityZone: string;
  promotionTier: number;
  createdAt: Date;
  availableAt: Date;
  /** Ends in `incompatible-restore` instead of `available` (a restore the scenario makes fail). */
  incompatibleRestore?: boolean;
}

export type ClusterStatus = 'creating' | 'available' | 'renaming';
export type SnapshotStatus = 'creating' | 'available' | 'failed';
export type InstanceStatus = 'creating' | 'available' | 'incompatible-restore';

export function clusterStatus(cluster: ClusterRecord, now: Date): ClusterStatus {
  if (now < cluster.availableAt) return 'creating';
  return cluster.renamingUntil !== undefined && now < cluster.renamingUntil ? 'renaming' : 'available';
}

export function snapshotStatus(snapshot: SnapshotRecord, now: Date): SnapshotStatus {
  return now < snapshot.completesAt ? 'creating' : snapshot.outcome;
}

/** Rises with elapsed time while `creating`; 100 once available; a failed snapshot stays where it stopped. */
export function snapshotProgress(snapshot: SnapshotRecord, now: Date): number {
  const status = snapshotStatus(snapshot, now);
  if (status === 'available') return 100;
  const total = snapshot.completesAt.getTime() - snapshot.createdAt.getTime();
  const elapsed = Math.min(now.getTime(), snapshot.completesAt.getTime()) - snapshot.createdAt.getTime();
  return total <= 0 ? 99 : Math.min(99, Math.floor((100 * elapsed) / total));
}

export function instanceStatus(instance: InstanceRecord, now: Date): InstanceStatus {
  if (now < instance.availableAt) return 'creating';
  return instance.incompatibleRestore ? 'incompatible-restore' : 'available';
}

/** Cluster and snapshot identifiers: a letter first, then letters, digits and single hyphens, at most 63. */
export function isValidIdentifier(value: string): boolean {
  return value.length <= 63 && /^[A-Za-z](?:-?[A-Za-z0-9])*$/.test(value);
}

/** A snapshot of `cluster` as RDS records it: the cluster's identity, engine and storage, plus what is given. */
export function clusterSnapshot(
  cluster: ClusterRecord,
  fields: Pick<SnapshotRecord, 'identifier' | 'type' | 'createdAt' | 'completesAt' | 'outcome' | 'tags'>,
): SnapshotRecord {
  return {
    ...fields,
    clusterIdentifier: cluster.identifier,
    account: cluster.account,
    engine: cluster.engine,
    engineVersion: cluster.engineVersion,
    clusterCreatedAt: cluster.createdAt,
    masterUsername: cluster.masterUsername,
    allocatedStorage: cluster.allocatedStorage,
    availabilityZones: cluster.availabilityZones,
    clusterResourceId: cluster.resourceId,
  };
}
