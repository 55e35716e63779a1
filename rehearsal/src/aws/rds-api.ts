import { AwsError } from './errors.js';
import { queryAction, type QueryParams } from './query-params.js';
import { resourceRef, type RdsScope } from './rds-accounts.js';
import type { ClusterRecord, SnapshotRecord, Tag } from './rds-records.js';
import type { RdsStore } from './rds-store.js';
import { clusterXml, instanceXml, snapshotXml } from './rds-xml.js';
import { leaf, node } from './xml.js';

export const RDS_VERSION = '2014-10-31';

/** One action, acting for a caller who reaches only `scope`'s accounts. */
type RdsAction = (store: RdsStore, scope: RdsScope, params: QueryParams) => string;

/** `MaxRecords`/`Marker` paging as RDS does it: 20 to 100 records a page. */
function pageOf<T>(items: readonly T[], params: QueryParams): { page: T[]; marker: string } {
  const maxRecords = params.int('MaxRecords') ?? 100;
  if (maxRecords < 20 || maxRecords > 100) {
    throw new AwsError(
      'InvalidParameterValue',
      `Invalid value ${maxRecords} for MaxRecords. Must be between 20 and 100`,
    );
  }
  const marker = params.get('Marker');
  const offset =
    marker === undefined ? 0 : Number.parseInt(Buffer.from(marker, 'base64').toString('utf8'), 10);
  if (!Number.isInteger(offset) || offset < 0)
    throw new AwsError('InvalidParameterValue', `Invalid marker: ${marker ?? ''}`);
  const end = offset + maxRecords;
  return {
    page: items.slice(offset, end),
    marker: end < items.length ? leaf('Marker', Buffer.from(String(end)).toString('base64')) : '',
  };
}

const tagsOf = (params: QueryParams): Tag[] =>
  params.structs('Tags').map((tag) => ({ Key: tag.required('Key'), Value: tag.get('Value') ?? '' }));

/** Keeps items whose value is among a filter's values, when that filter was given. */
function filtered<T>(
  items: T[],
  filters: Map<string, string[]>,
  name: string,
  valueOf: (item: T) => string,
): T[] {
  const accepted = filters.get(name);
  return accepted ? items.filter((item) => accepted.includes(valueOf(item))) : items;
}

const clusterElement = (store: RdsStore, cluster: ClusterRecord): string =>
  node('DBCluster', clusterXml({ cluster, members: store.members(cluster), now: store.now() }));

const snapshotElement = (store: RdsStore, snapshot: SnapshotRecord): string =>
  node('DBClusterSnapshot', snapshotXml(snapshot, store.now()));

const describeDBClusters: RdsAction = (store, scope, params) => {
  const identifier = params.get('DBClusterIdentifier');
  const filters = params.filters();
  let clusters = identifier ? [store.clusters.resolve(scope, identifier)] : store.clusters.visibleTo(scope);
  clusters = filtered(clusters, filters, 'db-cluster-id', (c) => c.identifier);
  clusters = filtered(clusters, filters, 'engine', (c) => c.engine);
  const { page, marker } = pageOf(clusters, params);
  return marker + node('DBClusters', ...page.map((cluster) => clusterElement(store, cluster)));
};

const describeDBClusterSnapshots: RdsAction = (store, scope, params) => {
  const snapshotId = params.get('DBClusterSnapshotIdentifier');
  const clusterId = params.get('DBClusterIdentifier');
  const type = params.get('SnapshotType');
  const filters = params.filters();
  let snapshots = snapshotId
    ? [store.snapshots.resolve(scope, snapshotId)]
    : store.snapshots.visibleTo(scope);
  if (clusterId) {
    const cluster = resourceRef(clusterId);
    snapshots = snapshots.filter(
      (s) =>
        s.clusterIdentifier === cluster.identifier &&
        (cluster.account === undefined || cluster.account === s.account),
    );
  }
  if (type) snapshots = snapshots.filter((s) => s.type === type);
  snapshots = filtered(snapshots, filters, 'db-cluster-id', (s) => s.clusterIdentifier);
  snapshots = filtered(snapshots, filters, 'snapshot-type', (s) => s.type);
  snapshots.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  const { page, marker } = pageOf(snapshots, params);
  return marker + node('DBClusterSnapshots', ...page.map((snapshot) => snapshotElement(store, snapshot)));
};

const createDBClusterSnapshot: RdsAction = (store, scope, params) => {
  const snapshotId = params.required('DBClusterSnapshotIdentifier');
  const clusterId = params.required('DBClusterIdentifier');
  return snapshotElement(store, store.createSnapshot(scope, clusterId, snapshotId, tagsOf(params)));
};

const deleteDBClusterSnapshot: RdsAction = (store, scope, params) =>
  snapshotElement(store, store.deleteSnapshot(scope, params.required('DBClusterSnapshotIdentifier')));

const restoreDBClusterFromSnapshot: RdsAction = (store, scope, params) => {
  const cluster = store.restoreCluster(scope, {
    clusterIdentifier: params.required('DBClusterIdentifier'),
    snapshotIdentifier: params.required('SnapshotIdentifier'),
    engine: params.required('Engine'),
    engineVersion: params.get('EngineVersion'),
    subnetGroup: params.get('DBSubnetGroupName'),
    securityGroupIds: params.list('VpcSecurityGroupIds'),
    deletionProtection: params.bool('DeletionProtection'),
    tags: tagsOf(params),
  });
  return clusterElement(store, cluster);
};

const modifyDBCluster: RdsAction = (store, scope, params) => {
  const identifier = params.required('DBClusterIdentifier');
  const newIdentifier = params.get('NewDBClusterIdentifier');
  const applyImmediately = params.bool('ApplyImmediately') ?? false;
  const deletionProtection = params.bool('DeletionProtection');
  let cluster = store.clusters.resolve(scope, identifier);
  if (deletionProtection !== undefined) cluster.deletionProtection = deletionProtection;
  if (newIdentifier !== undefined) cluster = store.renameCluster(cluster, newIdentifier, applyImmediately);
  return clusterElement(store, cluster);
};

const createDBInstance: RdsAction = (store, scope, params) => {
  const instance = store.createInstance(scope, {
    instanceIdentifier: params.required('DBInstanceIdentifier'),
    instanceClass: params.required('DBInstanceClass'),
    engine: params.required('Engine'),
    clusterIdentifier: params.get('DBClusterIdentifier'),
    availabilityZone: params.get('AvailabilityZone'),
    promotionTier: params.int('PromotionTier'),
  });
  return node('DBInstance', instanceXml(instance, store.clusterOf(instance), store.now()));
};

const describeDBInstances: RdsAction = (store, scope, params) => {
  const identifier = params.get('DBInstanceIdentifier');
  const filters = params.filters();
  let instances = identifier
    ? [store.instances.resolve(scope, identifier)]
    : store.instances.visibleTo(scope);
  instances = filtered(instances, filters, 'db-cluster-id', (i) => i.clusterIdentifier);
  instances = filtered(instances, filters, 'db-instance-id', (i) => i.identifier);
  const { page, marker } = pageOf(instances, params);
  const now = store.now();
  const rendered = page.map((i) => node('DBInstance', instanceXml(i, store.clusterOf(i), now)));
  return marker + node('DBInstances', ...rendered);
};

const ACTIONS: Record<string, RdsAction> = {
  DescribeDBClusters: describeDBClusters,
  DescribeDBClusterSnapshots: describeDBClusterSnapshots,
  CreateDBClusterSnapshot: createDBClusterSnapshot,
  DeleteDBClusterSnapshot: deleteDBClusterSnapshot,
  RestoreDBClusterFromSnapshot: restoreDBClusterFromSnapshot,
  ModifyDBCluster: modifyDBCluster,
  CreateDBInstance: createDBInstance,
  DescribeDBInstances: describeDBInstances,
};

/** Answers one RDS awsQuery call, acting within the caller's `scope`, with the inside of its `<ActionResult>`. */
export function handleRds(
  store: RdsStore,
  scope: RdsScope,
  params: QueryParams,
): { action: string; result: string } {
  const action = queryAction(params, RDS_VERSION, Object.keys(ACTIONS));
  const run = ACTIONS[action];
  if (!run)
    throw new AwsError('InvalidAction', `Could not find operation ${action} for version ${RDS_VERSION}`);
  return { action, result: run(store, scope, params) };
}
