import { ACCOUNTS } from './accounts.js';
import { clusterSnapshot, type ClusterRecord, type InstanceRecord, type SnapshotRecord } from './rds-records.js';
import { resourceId, type RdsStore } from './rds-store.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const ENGINE = 'aurora-postgresql';
const ENGINE_VERSION = '15.10';
const ZONES = ['us-east-1a', 'us-east-1b', 'us-east-1c'];

interface CantonCluster {
  identifier: string;
  account: string;
  createdAt: Date;
  endpointId: string;
  environment: string;
  instanceClass: string;
  /** The manual snapshot the last release took before its upgrade, this many days ago. */
  lastReleaseSnapshotDaysAgo: number;
}

/** The runbook's Canton Aurora clusters, each in its environment's account: staging (lendos-stg), production (bxci-prod). */
const CANTON_CLUSTERS: readonly CantonCluster[] = [
  {
    identifier: 'canton-0-1-54',
    account: ACCOUNTS.staging,
    createdAt: new Date('2024-03-18T10:42:17Z'),
    endpointId: 'c4xq2mzp8wle',
    environment: 'staging',
    instanceClass: 'db.r6g.large',
    lastReleaseSnapshotDaysAgo: 41,
  },
  {
    identifier: 'canton-20241104-0324',
    account: ACCOUNTS.production,
    createdAt: new Date('2024-11-04T03:24:51Z'),
    endpointId: 'cb71hqz5d0ne',
    environment: 'production',
    instanceClass: 'db.r6g.xlarge',
    lastReleaseSnapshotDaysAgo: 37,
  },
];

const pad = (n: number): string => String(n).padStart(2, '0');

function clusterOf(spec: CantonCluster): ClusterRecord {
  return {
    identifier: spec.identifier,
    account: spec.account,
    resourceId: resourceId('cluster', spec.identifier),
    engine: ENGINE,
    engineVersion: ENGINE_VERSION,
    databaseName: 'canton',
    masterUsername: 'canton_admin',
    createdAt: spec.createdAt,
    availableAt: spec.createdAt,
    endpointId: spec.endpointId,
    subnetGroup: `lendos-${spec.environment}-db`,
    parameterGroup: 'canton-aurora-postgresql15',
    securityGroupIds: [`sg-0${resourceId('sg', spec.identifier).slice(3, 19).toLowerCase()}`],
    availabilityZones: ZONES,
    allocatedStorage: 1,
    deletionProtection: true,
    tags: [
      { Key: 'environment', Value: spec.environment },
      { Key: 'app', Value: 'canton' },
    ],
  };
}

function instancesOf(spec: CantonCluster): InstanceRecord[] {
  return [1, 2].map((n) => ({
    identifier: `${spec.identifier}-instance-${n}`,
    clusterIdentifier: spec.identifier,
    account: spec.account,
    resourceId: resourceId('db', `${spec.identifier}-instance-${n}`),
    instanceClass: spec.instanceClass,
    engine: ENGINE,
    engineVersion: ENGINE_VERSION,
    availabilityZone: ZONES[n - 1] ?? 'us-east-1a',
    promotionTier: 1,
    createdAt: new Date(spec.createdAt.getTime() + n * 60_000),
    availableAt: new Date(spec.createdAt.getTime() + n * 60_000),
  }));
}

function snapshotOf(
  cluster: ClusterRecord,
  identifier: string,
  type: SnapshotRecord['type'],
  at: Date,
): SnapshotRecord {
  return clusterSnapshot(cluster, { identifier, type, createdAt: at, completesAt: new Date(at.getTime() + 11 * 60_000), outcome: 'available', tags: [] });
}

/** Seven daily automated snapshots in the 07:00 backup window, and the last release's manual one. */
function snapshotsOf(cluster: ClusterRecord, spec: CantonCluster, now: Date): SnapshotRecord[] {
  const automated = Array.from({ length: 7 }, (_, i) => {
    const day = new Date(now.getTime() - (i + 1) * DAY_MS);
    const at = new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), 7, 4, 31));
    const stamp = `${at.getUTCFullYear()}-${pad(at.getUTCMonth() + 1)}-${pad(at.getUTCDate())}-07-04`;
    return snapshotOf(cluster, `rds:${cluster.identifier}-${stamp}`, 'automated', at);
  });
  const day = new Date(now.getTime() - spec.lastReleaseSnapshotDaysAgo * DAY_MS);
  const release = new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), 14, 12, 8));
  const stamp = `${release.getUTCFullYear()}${pad(release.getUTCMonth() + 1)}${pad(release.getUTCDate())}-1412`;
  return [...automated, snapshotOf(cluster, `canton-upgrade-2025-3-0-${stamp}`, 'manual', release)];
}

/** The Canton clusters with two instances each and their recent snapshots, relative to `now`. */
export function seedRds(store: RdsStore): void {
  const now = store.now();
  for (const spec of CANTON_CLUSTERS) {
    const cluster = clusterOf(spec);
    store.clusters.add(cluster);
    for (const instance of instancesOf(spec)) store.instances.add(instance);
    for (const snapshot of snapshotsOf(cluster, spec, now)) store.snapshots.add(snapshot);
  }
}
