/** The Rds port on @aws-sdk/client-rds: the Canton Aurora cluster and its snapshots, per environment's account. */
import {
  CreateDBClusterSnapshotCommand,
  DescribeDBClusterSnapshotsCommand,
  DescribeDBClustersCommand,
  RDSClient,
  paginateDescribeDBClusterSnapshots,
  type DBClusterSnapshot,
} from '@aws-sdk/client-rds';
import { UserError, messageOf } from '../../core/errors.js';
import type { DbClusterSnapshot, Rds } from '../../ports.js';
import { credentialFailure, credentialsOf, type AwsClientOptions } from './credentials.js';

export type RdsOptions = AwsClientOptions;

const NOT_FOUND = new Set(['DBClusterNotFoundFault', 'DBClusterSnapshotNotFoundFault']);

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

const newestFirst = (a: DbClusterSnapshot, b: DbClusterSnapshot) => (b.createdAt ?? '').localeCompare(a.createdAt ?? '');

export class SdkRds implements Rds {
  constructor(private readonly options: RdsOptions) {}

  describeCluster(id: string): Promise<{ id: string; status: string; engine: string; arn: string } | undefined> {
    return this.withClient(`describe cluster ${id}`, async (client) => {
      try {
        const answer = await client.send(new DescribeDBClustersCommand({ DBClusterIdentifier: id }));
        const cluster = answer.DBClusters?.[0];
        if (!cluster) return undefined;
        return {
          id: cluster.DBClusterIdentifier ?? id,
          status: cluster.Status ?? 'unknown',
          engine: cluster.Engine ?? '',
          arn: cluster.DBClusterArn ?? '',
        };
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
