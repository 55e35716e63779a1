/** The Rds port on @aws-sdk/client-rds: the Canton Aurora cluster and its snapshots, per environment's account. */
import {
  CreateDBClusterSnapshotCommand,
  CreateDBInstanceCommand,
  DescribeDBClusterSnapshotsCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  ModifyDBClusterCommand,
  RDSClient,
  RestoreDBClusterFromSnapshotCommand,
  paginateDescribeDBClusterSnapshots,
  type DBCluster,
  type DBClusterSnapshot,
  type DBInstance,
} from '@aws-sdk/client-rds';
import { UserError, messageOf } from '../../core/errors.js';
import type {
  CreateInstanceRequest,
  DbClusterDetails,
  DbClusterSnapshot,
  DbInstanceInfo,
  Rds,
  RestoreClusterRequest,
} from '../../ports.js';
import { credentialFailure, credentialsOf, type AwsClientOptions } from './credentials.js';

export type RdsOptions = AwsClientOptions;

const NOT_FOUND = new Set(['DBClusterNotFoundFault', 'DBClusterSnapshotNotFoundFault', 'DBInstanceNotFound', 'DBInstanceNotFoundFault']);

function isNotFound(error: unknown): boolean {
  return error instanceof Error && NOT_FOUND.has(error.name);
}

const who = (options: RdsOptions) => (options.profile ? `profile "${options.profile}"` : 'the default credentials');

/** Credential and permission trouble → what to do; other failures keep RDS's words with what was asked. */
export function rdsFailure(error: unknown, options: RdsOptions, what: string): Error {
  const credentials = credentialFailure(error, options);
  if (credentials) return credentials;
  const name = error instanceof Error ? error.name : '';
  const message = messageOf(error);
  if (name === 'AccessDenied' || name === 'AccessDeniedException' || name === 'UnauthorizedOperation') {
    return new UserError(`${who(options)} may not ${what}: ${message}. Check the role of ${options.setting}.`, 'aws-access-denied');
  }
  if (name === 'DBClusterSnapshotAlreadyExistsFault') {
    return new UserError(`RDS already has a snapshot with that name (${message}).`, 'snapshot-exists');
  }
  if (name === 'DBClusterAlreadyExistsFault' || name === 'DBInstanceAlreadyExists' || name === 'DBInstanceAlreadyExistsFault') {
    return new UserError(`RDS cannot ${what}: that identifier is taken (${message}).`, 'rds-exists');
  }
  if (name === 'InvalidDBClusterSnapshotStateFault' || name === 'DBClusterSnapshotNotFoundFault') {
    return new UserError(`RDS cannot ${what}: ${message}`, 'snapshot-unusable');
  }
  if (name === 'InvalidDBClusterStateFault') {
    return new UserError(`RDS cannot ${what} now: ${message} Wait until the cluster is available and run the step again.`, 'rds-cluster-state');
  }
  return new Error(`RDS (${options.region}, ${who(options)}) could not ${what}: ${name ? `${name}: ` : ''}${message}`);
}

export function snapshotOf(snapshot: DBClusterSnapshot): DbClusterSnapshot {
  return {
    id: snapshot.DBClusterSnapshotIdentifier ?? '',
    arn: snapshot.DBClusterSnapshotArn ?? '',
    cluster: snapshot.DBClusterIdentifier ?? '',
    status: snapshot.Status ?? 'unknown',
    percentProgress: snapshot.PercentProgress ?? 0,
    ...(snapshot.SnapshotCreateTime ? { createdAt: snapshot.SnapshotCreateTime.toISOString() } : {}),
  };
}

export function clusterOf(cluster: DBCluster, fallbackId = ''): DbClusterDetails {
  const members = [...(cluster.DBClusterMembers ?? [])]
    .map((m) => ({ id: m.DBInstanceIdentifier ?? '', writer: m.IsClusterWriter === true }))
    .sort((a, b) => Number(b.writer) - Number(a.writer));
  return {
    id: cluster.DBClusterIdentifier ?? fallbackId,
    arn: cluster.DBClusterArn ?? '',
    status: cluster.Status ?? 'unknown',
    engine: cluster.Engine ?? '',
    engineVersion: cluster.EngineVersion ?? '',
    ...(cluster.DBSubnetGroup ? { subnetGroup: cluster.DBSubnetGroup } : {}),
    ...(cluster.DBClusterParameterGroup ? { parameterGroup: cluster.DBClusterParameterGroup } : {}),
    securityGroupIds: (cluster.VpcSecurityGroups ?? []).flatMap((g) => (g.VpcSecurityGroupId ? [g.VpcSecurityGroupId] : [])),
    ...(cluster.Port ? { port: cluster.Port } : {}),
    deletionProtection: cluster.DeletionProtection === true,
    ...(cluster.PendingModifiedValues?.DBClusterIdentifier ? { pendingId: cluster.PendingModifiedValues.DBClusterIdentifier } : {}),
    members,
  };
}

export function instanceOf(instance: DBInstance): DbInstanceInfo {
  return {
    id: instance.DBInstanceIdentifier ?? '',
    cluster: instance.DBClusterIdentifier ?? '',
    instanceClass: instance.DBInstanceClass ?? '',
    engine: instance.Engine ?? '',
    status: instance.DBInstanceStatus ?? 'unknown',
    ...(instance.AvailabilityZone ? { availabilityZone: instance.AvailabilityZone } : {}),
    ...(instance.PromotionTier !== undefined ? { promotionTier: instance.PromotionTier } : {}),
  };
}

const tagsOf = (tags: Readonly<Record<string, string>>) => Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));

const newestFirst = (a: DbClusterSnapshot, b: DbClusterSnapshot) => (b.createdAt ?? '').localeCompare(a.createdAt ?? '');

export class SdkRds implements Rds {
  constructor(private readonly options: RdsOptions) {}

  describeCluster(id: string): Promise<DbClusterDetails | undefined> {
    return this.withClient(`describe cluster ${id}`, async (client) => {
      try {
        const answer = await client.send(new DescribeDBClustersCommand({ DBClusterIdentifier: id }));
        const cluster = answer.DBClusters?.[0];
        return cluster ? clusterOf(cluster, id) : undefined;
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    });
  }

  renameCluster(id: string, newId: string): Promise<DbClusterDetails> {
    return this.withClient(`rename cluster ${id} to ${newId}`, async (client) => {
      const answer = await client.send(new ModifyDBClusterCommand({ DBClusterIdentifier: id, NewDBClusterIdentifier: newId, ApplyImmediately: true }));
      if (!answer.DBCluster) throw new Error('RDS answered without the renamed cluster');
      return clusterOf(answer.DBCluster, newId);
    });
  }

  restoreCluster(request: RestoreClusterRequest): Promise<DbClusterDetails> {
    return this.withClient(`restore ${request.snapshot} as cluster ${request.cluster}`, async (client) => {
      const answer = await client.send(
        new RestoreDBClusterFromSnapshotCommand({
          DBClusterIdentifier: request.cluster,
          SnapshotIdentifier: request.snapshot,
          Engine: request.engine,
          EngineVersion: request.engineVersion,
          DBSubnetGroupName: request.subnetGroup,
          DBClusterParameterGroupName: request.parameterGroup,
          VpcSecurityGroupIds: [...request.securityGroupIds],
          Port: request.port,
          DeletionProtection: request.deletionProtection,
          Tags: tagsOf(request.tags),
        }),
      );
      if (!answer.DBCluster) throw new Error('RDS answered without the restored cluster');
      return clusterOf(answer.DBCluster, request.cluster);
    });
  }

  createInstance(request: CreateInstanceRequest): Promise<DbInstanceInfo> {
    return this.withClient(`create instance ${request.id} in ${request.cluster}`, async (client) => {
      const answer = await client.send(
        new CreateDBInstanceCommand({
          DBInstanceIdentifier: request.id,
          DBClusterIdentifier: request.cluster,
          DBInstanceClass: request.instanceClass,
          Engine: request.engine,
          AvailabilityZone: request.availabilityZone,
          PromotionTier: request.promotionTier,
          Tags: tagsOf(request.tags),
        }),
      );
      if (!answer.DBInstance) throw new Error('RDS answered without the new instance');
      return instanceOf(answer.DBInstance);
    });
  }

  describeInstance(id: string): Promise<DbInstanceInfo | undefined> {
    return this.withClient(`describe instance ${id}`, async (client) => {
      try {
        const answer = await client.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id }));
        const found = answer.DBInstances?.[0];
        return found ? instanceOf(found) : undefined;
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    });
  }

  createClusterSnapshot(
    cluster: string,
    snapshotId: string,
    tags: Readonly<Record<string, string>> = {},
  ): Promise<DbClusterSnapshot> {
    return this.withClient(`snapshot cluster ${cluster} as ${snapshotId}`, async (client) => {
      const answer = await client.send(
        new CreateDBClusterSnapshotCommand({
          DBClusterIdentifier: cluster,
          DBClusterSnapshotIdentifier: snapshotId,
          Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
        }),
      );
      if (!answer.DBClusterSnapshot) throw new Error('RDS answered without the new snapshot');
      return snapshotOf(answer.DBClusterSnapshot);
    });
  }

  describeSnapshot(snapshotId: string): Promise<DbClusterSnapshot | undefined> {
    return this.withClient(`describe snapshot ${snapshotId}`, async (client) => {
      try {
        const answer = await client.send(
          new DescribeDBClusterSnapshotsCommand({ DBClusterSnapshotIdentifier: snapshotId }),
        );
        const found = answer.DBClusterSnapshots?.[0];
        return found ? snapshotOf(found) : undefined;
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    });
  }

  listSnapshots(cluster: string): Promise<DbClusterSnapshot[]> {
    return this.withClient(`list the snapshots of ${cluster}`, async (client) => {
      const snapshots: DbClusterSnapshot[] = [];
      try {
        const pages = paginateDescribeDBClusterSnapshots({ client }, { DBClusterIdentifier: cluster });
        for await (const page of pages) snapshots.push(...(page.DBClusterSnapshots ?? []).map(snapshotOf));
      } catch (error) {
        if (isNotFound(error)) return [];
        throw error;
      }
      return snapshots.sort(newestFirst);
    });
  }

  /** A client per call, destroyed after it, so no sockets outlive the step. */
  private async withClient<T>(what: string, use: (client: RDSClient) => Promise<T>): Promise<T> {
    const { region, endpoint } = this.options;
    const client = new RDSClient({ region, endpoint, credentials: credentialsOf(this.options), maxAttempts: 3 });
    try {
      return await use(client);
    } catch (error) {
      throw rdsFailure(error, this.options, what);
    } finally {
      client.destroy();
    }
  }
}
