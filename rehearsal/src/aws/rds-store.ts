import { createHash } from 'node:crypto';
import type { Scenario, WorldClock } from '../contracts.js';
import { AwsError } from './errors.js';
import type { AwsFaults } from './faults.js';
import { AccountRecords, type RdsScope } from './rds-accounts.js';
import {
  clusterSnapshot,
  clusterStatus,
  isValidIdentifier,
  snapshotStatus,
  type ClusterRecord,
  type InstanceRecord,
  type SnapshotRecord,
  type Tag,
} from './rds-records.js';

export interface RestoreRequest {
  clusterIdentifier: string;
  snapshotIdentifier: string;
  engine: string;
  engineVersion?: string;
  subnetGroup?: string;
  securityGroupIds: string[];
  deletionProtection?: boolean;
  tags: Tag[];
}

export interface InstanceRequest {
  instanceIdentifier: string;
  clusterIdentifier?: string;
  instanceClass: string;
  engine: string;
  availabilityZone?: string;
  promotionTier?: number;
}

/**
 * What the Canton ledger (PQS, in the world) hears of RDS: a snapshot marks the ledger's end at that moment, and a
 * cluster restored from it takes the ledger back there.
 */
export interface LedgerHooks {
  snapshotTaken(account: string, snapshotIdentifier: string): void;
  restored(account: string, snapshotIdentifier: string, snapshotAt: Date): void;
}

const RESOURCE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** `cluster-…`/`db-…` resource ids: stable per name so a scenario replays the same. */
export function resourceId(prefix: string, name: string): string {
  const bytes = createHash('sha256').update(name).digest();
  return `${prefix}-${[...bytes.subarray(0, 26)].map((b) => RESOURCE_ALPHABET[b % 32]).join('')}`;
}

/** Lower-case, as RDS stores identifiers; InvalidParameterValue when the name breaks the rules. */
export function checkIdentifier(parameter: string, value: string): string {
  if (!isValidIdentifier(value)) {
    throw new AwsError(
      'InvalidParameterValue',
      `The parameter ${parameter} is not a valid identifier. Identifiers must begin with a letter; must contain only ASCII ` +
        'letters, digits, and hyphens; and must not end with a hyphen or contain two consecutive hyphens.',
    );
  }
  return value.toLowerCase();
}

/**
 * The Aurora clusters, cluster snapshots and instances of the world, with RDS's rules and delays. Each lives in
 * one account; a call acts within its caller's scope, and a new resource joins the account of the one it comes from.
 */
export class RdsStore {
  readonly clusters = new AccountRecords<ClusterRecord>({
    name: 'DBCluster',
    notFoundCode: 'DBClusterNotFoundFault',
  });
  readonly snapshots = new AccountRecords<SnapshotRecord>({
    name: 'DBClusterSnapshot',
    notFoundCode: 'DBClusterSnapshotNotFoundFault',
  });
  readonly instances = new AccountRecords<InstanceRecord>({
    name: 'DBInstance',
    notFoundCode: 'DBInstanceNotFound',
  });

  constructor(
    private readonly clock: WorldClock,
    private readonly scenario: Scenario,
    private readonly faults: AwsFaults,
    private readonly ledger?: LedgerHooks,
  ) {}

  now(): Date {
    return this.clock.now();
  }

  /** World milliseconds from now, in real time. */
  private after(worldMs: number): Date {
    return new Date(this.clock.now().getTime() + worldMs * this.scenario.timeScale);
  }

  /** The instance's cluster, in the instance's account. */
  clusterOf(instance: InstanceRecord): ClusterRecord | undefined {
    return this.clusters.get(instance.account, instance.clusterIdentifier);
  }

  /** The cluster's instances, writer (the oldest) first. */
  members(cluster: ClusterRecord): InstanceRecord[] {
    return this.instances
      .all()
      .filter(
        (instance) =>
          instance.account === cluster.account && instance.clusterIdentifier === cluster.identifier,
      )
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  }

  private requireAvailable(cluster: ClusterRecord): void {
    const status = clusterStatus(cluster, this.clock.now());
    if (status !== 'available') {
      throw new AwsError(
        'InvalidDBClusterStateFault',
        `DBCluster ${cluster.identifier} is not in available state.`,
      );
    }
  }

  createSnapshot(
    scope: RdsScope,
    clusterIdentifier: string,
    snapshotIdentifier: string,
    tags: Tag[],
  ): SnapshotRecord {
    const identifier = checkIdentifier('DBClusterSnapshotIdentifier', snapshotIdentifier);
    const cluster = this.clusters.resolve(scope, clusterIdentifier);
    if (this.snapshots.has(cluster.account, identifier)) {
      throw new AwsError(
        'DBClusterSnapshotAlreadyExistsFault',
        `Cannot create the cluster snapshot because one with the identifier ${identifier} already exists.`,
      );
    }
    this.requireAvailable(cluster);
    const snapshot = clusterSnapshot(cluster, {
      identifier,
      type: 'manual',
      createdAt: this.clock.now(),
      completesAt: this.after(this.scenario.durations.snapshot * this.faults.snapshotSlowdown()),
      outcome: this.faults.snapshotFailure() ? 'failed' : 'available',
      tags,
    });
    this.snapshots.add(snapshot);
    this.ledger?.snapshotTaken(snapshot.account, snapshot.identifier);
    return snapshot;
  }

  deleteSnapshot(scope: RdsScope, identifier: string): SnapshotRecord {
    const snapshot = this.snapshots.resolve(scope, identifier);
    if (snapshot.type !== 'manual') {
      throw new AwsError('InvalidDBClusterSnapshotStateFault', 'Only manual snapshots may be deleted.');
    }
    if (snapshotStatus(snapshot, this.clock.now()) === 'creating') {
      throw new AwsError(
        'InvalidDBClusterSnapshotStateFault',
        `Cannot delete the snapshot because it is not in available state: ${snapshot.identifier}`,
      );
    }
    this.snapshots.remove(snapshot);
    return snapshot;
  }

  /** Always a new cluster, `creating` for `durations.restore`, with no instances. */
  restoreCluster(scope: RdsScope, request: RestoreRequest): ClusterRecord {
    const identifier = checkIdentifier('DBClusterIdentifier', request.clusterIdentifier);
    const snapshot = this.snapshots.resolve(scope, request.snapshotIdentifier);
    if (this.clusters.has(snapshot.account, identifier))
      throw new AwsError('DBClusterAlreadyExistsFault', 'DB Cluster already exists');
    if (snapshotStatus(snapshot, this.clock.now()) !== 'available') {
      throw new AwsError(
        'InvalidDBClusterSnapshotStateFault',
        `DBClusterSnapshot ${snapshot.identifier} is not in available state.`,
      );
    }
    if (request.engine !== snapshot.engine) {
      throw new AwsError(
        'InvalidParameterCombination',
        `The engine name requested for your DB cluster (${request.engine}) doesn't match the engine of the snapshot (${snapshot.engine}).`,
      );
    }
    const template = this.clusters.all().find((cluster) => cluster.account === snapshot.account);
    const cluster: ClusterRecord = {
      identifier,
      account: snapshot.account,
      resourceId: resourceId(
        'cluster',
        `${snapshot.account}:${identifier}:${this.clock.now().toISOString()}`,
      ),
      engine: snapshot.engine,
      engineVersion: request.engineVersion ?? snapshot.engineVersion,
      databaseName: template?.databaseName,
      masterUsername: snapshot.masterUsername,
      createdAt: this.clock.now(),
      availableAt: this.after(this.scenario.durations.restore),
      endpointId: template?.endpointId ?? 'c0rehearsal0',
      subnetGroup: request.subnetGroup ?? template?.subnetGroup ?? 'default',
      parameterGroup:
        template?.parameterGroup ?? `default.${snapshot.engine}${snapshot.engineVersion.split('.')[0] ?? ''}`,
      securityGroupIds:
        request.securityGroupIds.length > 0 ? request.securityGroupIds : (template?.securityGroupIds ?? []),
      availabilityZones: snapshot.availabilityZones,
      allocatedStorage: snapshot.allocatedStorage,
      deletionProtection: request.deletionProtection ?? false,
      tags: request.tags,
      ...(this.faults.restoreFailure() ? { restoreFails: true } : {}),
    };
    this.clusters.add(cluster);
    if (!cluster.restoreFails) this.ledger?.restored(snapshot.account, snapshot.identifier, snapshot.createdAt);
    return cluster;
  }

  /** Renames now with ApplyImmediately, otherwise leaves the rename pending for the maintenance window. */
  renameCluster(cluster: ClusterRecord, newIdentifier: string, applyImmediately: boolean): ClusterRecord {
    const target = checkIdentifier('NewDBClusterIdentifier', newIdentifier);
    if (this.clusters.has(cluster.account, target))
      throw new AwsError('DBClusterAlreadyExistsFault', 'DB Cluster already exists');
    this.requireAvailable(cluster);
    if (!applyImmediately) {
      cluster.pendingIdentifier = target;
      return cluster;
    }
    this.clusters.remove(cluster);
    for (const instance of this.members(cluster)) instance.clusterIdentifier = target;
    cluster.identifier = target;
    cluster.pendingIdentifier = undefined;
    cluster.renamingUntil = this.after(this.scenario.durations.podReady);
    this.clusters.add(cluster);
    return cluster;
  }

  /** An Aurora instance joins its cluster; it is `creating` for half of `durations.restore`. */
  createInstance(scope: RdsScope, request: InstanceRequest): InstanceRecord {
    const identifier = checkIdentifier('DBInstanceIdentifier', request.instanceIdentifier);
    if (!request.clusterIdentifier) {
      throw new AwsError(
        'InvalidParameterCombination',
        `DBClusterIdentifier must be specified for engine ${request.engine}.`,
      );
    }
    const cluster = this.clusters.resolve(scope, request.clusterIdentifier);
    if (this.instances.has(cluster.account, identifier))
      throw new AwsError('DBInstanceAlreadyExists', 'DB instance already exists');
    if (request.engine !== cluster.engine) {
      throw new AwsError(
        'InvalidParameterCombination',
        `The engine name requested for your DB instance (${request.engine}) doesn't match the engine name of your DB cluster (${cluster.engine}).`,
      );
    }
    const ready = this.after(this.scenario.durations.restore / 2);
    const instance: InstanceRecord = {
      identifier,
      clusterIdentifier: cluster.identifier,
      account: cluster.account,
      resourceId: resourceId('db', `${cluster.account}:${identifier}:${this.clock.now().toISOString()}`),
      instanceClass: request.instanceClass,
      engine: cluster.engine,
      engineVersion: cluster.engineVersion,
      availabilityZone:
        request.availabilityZone ??
        cluster.availabilityZones[this.members(cluster).length % 3] ??
        'us-east-1a',
      promotionTier: request.promotionTier ?? 1,
      createdAt: this.clock.now(),
      availableAt: ready > cluster.availableAt ? ready : cluster.availableAt,
      ...(cluster.restoreFails ? { incompatibleRestore: true } : {}),
    };
    this.instances.add(instance);
    return instance;
  }
}
