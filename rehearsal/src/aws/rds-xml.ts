import { createHash } from 'node:crypto';
import { WORLD_REGION } from './accounts.js';
import {
  clusterStatus,
  instanceStatus,
  snapshotProgress,
  snapshotStatus,
  type ClusterRecord,
  type InstanceRecord,
  type SnapshotRecord,
  type Tag,
} from './rds-records.js';
import { leaf, leafList, list, node } from './xml.js';

/** Route 53 zone of RDS endpoints in us-east-1. */
const HOSTED_ZONE_ID = 'Z2R2ITUGPM61AM';
const PORT = 5432;
const BACKUP_WINDOW = '07:00-07:30';
const MAINTENANCE_WINDOW = 'sun:08:00-sun:08:30';

const hex = (seed: string, length: number): string =>
  createHash('sha256').update(seed).digest('hex').slice(0, length);

const kmsKeyArn = (account: string): string => {
  const h = hex(`kms:${account}`, 32);
  return `arn:aws:kms:${WORLD_REGION}:${account}:key/${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};

const vpcId = (account: string): string => `vpc-0${hex(`vpc:${account}`, 16)}`;

const arn = (account: string, kind: string, name: string): string =>
  `arn:aws:rds:${WORLD_REGION}:${account}:${kind}:${name}`;

const tagList = (tags: readonly Tag[]): string =>
  list('TagList', 'Tag', tags, (tag) => leaf('Key', tag.Key) + leaf('Value', tag.Value));

const securityGroups = (ids: readonly string[]): string =>
  list(
    'VpcSecurityGroups',
    'VpcSecurityGroupMembership',
    ids,
    (id) => leaf('VpcSecurityGroupId', id) + leaf('Status', 'active'),
  );

export interface ClusterView {
  cluster: ClusterRecord;
  members: readonly InstanceRecord[];
  now: Date;
}

/** `<DBClusterMembers>`: the oldest instance is the writer. */
const membersXml = (members: readonly InstanceRecord[]): string =>
  list('DBClusterMembers', 'DBClusterMember', members, (member) =>
    [
      leaf('DBInstanceIdentifier', member.identifier),
      leaf('IsClusterWriter', member === members[0]),
      leaf('DBClusterParameterGroupStatus', 'in-sync'),
      leaf('PromotionTier', member.promotionTier),
    ].join(''),
  );

/** The inside of a `<DBCluster>` element. */
export function clusterXml({ cluster, members, now }: ClusterView): string {
  const status = clusterStatus(cluster, now);
  const host = (kind: string): string =>
    `${cluster.identifier}.${kind}-${cluster.endpointId}.${WORLD_REGION}.rds.amazonaws.com`;
  const available = status === 'available';
  return [
    leaf('AllocatedStorage', cluster.allocatedStorage),
    leafList('AvailabilityZones', 'AvailabilityZone', cluster.availabilityZones),
    leaf('BackupRetentionPeriod', 7),
    leaf('DatabaseName', cluster.databaseName),
    leaf('DBClusterIdentifier', cluster.identifier),
    leaf('DBClusterParameterGroup', cluster.parameterGroup),
    leaf('DBSubnetGroup', cluster.subnetGroup),
    leaf('Status', status),
    leaf('EarliestRestorableTime', available ? cluster.availableAt : undefined),
    leaf('Endpoint', host('cluster')),
    leaf('ReaderEndpoint', host('cluster-ro')),
    leaf('MultiAZ', members.length > 1),
    leaf('Engine', cluster.engine),
    leaf('EngineVersion', cluster.engineVersion),
    leaf('LatestRestorableTime', available ? new Date(now.getTime() - 5 * 60_000) : undefined),
    leaf('Port', PORT),
    leaf('MasterUsername', cluster.masterUsername),
    leaf('PreferredBackupWindow', BACKUP_WINDOW),
    leaf('PreferredMaintenanceWindow', MAINTENANCE_WINDOW),
    node('ReadReplicaIdentifiers'),
    membersXml(members),
    securityGroups(cluster.securityGroupIds),
    leaf('HostedZoneId', HOSTED_ZONE_ID),
    leaf('StorageEncrypted', true),
    leaf('KmsKeyId', kmsKeyArn(cluster.account)),
    leaf('DbClusterResourceId', cluster.resourceId),
    leaf('DBClusterArn', arn(cluster.account, 'cluster', cluster.identifier)),
    node('AssociatedRoles'),
    leaf('IAMDatabaseAuthenticationEnabled', false),
    leaf('ClusterCreateTime', cluster.createdAt),
    leaf('EngineMode', 'provisioned'),
    leaf('DeletionProtection', cluster.deletionProtection),
    leaf('HttpEndpointEnabled', false),
    leaf('CopyTagsToSnapshot', true),
    leaf('CrossAccountClone', false),
    node('DomainMemberships'),
    tagList(cluster.tags),
    cluster.pendingIdentifier
      ? node('PendingModifiedValues', leaf('DBClusterIdentifier', cluster.pendingIdentifier))
      : '',
    leaf('StorageType', 'aurora'),
  ].join('');
}

/** The inside of a `<DBClusterSnapshot>` element. */
export function snapshotXml(snapshot: SnapshotRecord, now: Date): string {
  return [
    leafList('AvailabilityZones', 'AvailabilityZone', snapshot.availabilityZones),
    leaf('DBClusterSnapshotIdentifier', snapshot.identifier),
    leaf('DBClusterIdentifier', snapshot.clusterIdentifier),
    leaf('SnapshotCreateTime', snapshot.createdAt),
    leaf('Engine', snapshot.engine),
    leaf('EngineMode', 'provisioned'),
    leaf('AllocatedStorage', snapshot.allocatedStorage),
    leaf('Status', snapshotStatus(snapshot, now)),
    leaf('Port', 0),
    leaf('VpcId', vpcId(snapshot.account)),
    leaf('ClusterCreateTime', snapshot.clusterCreatedAt),
    leaf('MasterUsername', snapshot.masterUsername),
    leaf('EngineVersion', snapshot.engineVersion),
    leaf('LicenseModel', 'postgresql-license'),
    leaf('SnapshotType', snapshot.type),
    leaf('PercentProgress', snapshotProgress(snapshot, now)),
    leaf('StorageEncrypted', true),
    leaf('KmsKeyId', kmsKeyArn(snapshot.account)),
    leaf('DBClusterSnapshotArn', arn(snapshot.account, 'cluster-snapshot', snapshot.identifier)),
    leaf('IAMDatabaseAuthenticationEnabled', false),
    tagList(snapshot.tags),
    leaf('DbClusterResourceId', snapshot.clusterResourceId),
    leaf('StorageType', 'aurora'),
  ].join('');
}

/** The inside of a `<DBInstance>` element; an instance still `creating` has no endpoint yet. */
export function instanceXml(instance: InstanceRecord, cluster: ClusterRecord | undefined, now: Date): string {
  const status = instanceStatus(instance, now);
  const endpointId = cluster?.endpointId ?? 'c0rehearsal0';
  const endpoint =
    status === 'available'
      ? node(
          'Endpoint',
          leaf('Address', `${instance.identifier}.${endpointId}.${WORLD_REGION}.rds.amazonaws.com`),
          leaf('Port', PORT),
          leaf('HostedZoneId', HOSTED_ZONE_ID),
        )
      : '';
  return [
    leaf('DBInstanceIdentifier', instance.identifier),
    leaf('DBInstanceClass', instance.instanceClass),
    leaf('Engine', instance.engine),
    leaf('DBInstanceStatus', status),
    leaf('MasterUsername', cluster?.masterUsername),
    leaf('DBName', cluster?.databaseName),
    endpoint,
    leaf('AllocatedStorage', 1),
    leaf('InstanceCreateTime', status === 'available' ? instance.createdAt : undefined),
    leaf('PreferredBackupWindow', BACKUP_WINDOW),
    leaf('BackupRetentionPeriod', 7),
    securityGroups(cluster?.securityGroupIds ?? []),
    leaf('AvailabilityZone', instance.availabilityZone),
    node(
      'DBSubnetGroup',
      leaf('DBSubnetGroupName', cluster?.subnetGroup),
      leaf('VpcId', vpcId(instance.account)),
    ),
    leaf('PreferredMaintenanceWindow', MAINTENANCE_WINDOW),
    leaf('MultiAZ', false),
    leaf('EngineVersion', instance.engineVersion),
    leaf('AutoMinorVersionUpgrade', true),
    leaf('LicenseModel', 'postgresql-license'),
    leaf('PubliclyAccessible', false),
    leaf('StorageType', 'aurora'),
    leaf('DbInstancePort', 0),
    leaf('DBClusterIdentifier', instance.clusterIdentifier),
    leaf('StorageEncrypted', true),
    leaf('KmsKeyId', kmsKeyArn(instance.account)),
    leaf('DbiResourceId', instance.resourceId),
    leaf('CACertificateIdentifier', 'rds-ca-rsa2048-g1'),
    leaf('PromotionTier', instance.promotionTier),
    leaf('DBInstanceArn', arn(instance.account, 'db', instance.identifier)),
    leaf('IAMDatabaseAuthenticationEnabled', false),
    leaf('DeletionProtection', false),
    node('TagList'),
  ].join('');
}
