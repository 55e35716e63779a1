/**
 * The world's PQS: one real PostgreSQL, one database per cluster (`pqs_staging`, `pqs_production`), each with
 * PQS's catalog and `active()` and a seeded ledger. `applyUpgrade` is what the `upgrade` stage does to it.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { ClusterName } from '../contracts.js';
import { findPostgresBin, startPostgres, type PostgresServer } from './postgres.js';
import { PQS_SCHEMA_SQL } from './schema.js';
import { seedLedger } from './seed.js';

export { applyUpgrade, type UpgradeResult } from './upgrade.js';
export { followUpgrades } from './follow.js';
export { DEPLOYED_VERSION, MODEL_PACKAGE, PQS_TEMPLATES, seededCounts } from './seed.js';
export { findPostgresBin } from './postgres.js';

const CLUSTERS: readonly ClusterName[] = ['staging', 'production'];
/** Where each cluster keeps its PQS connection URL, as the release reads it: Secret `pqs/pqs-postgres`, key `connection`. */
export const PQS_CONNECTION_SECRET = { namespace: 'pqs', name: 'pqs-postgres', key: 'connection' } as const;

/** The role PQS's readers log in as (the release reads through it too). */
const READER = 'pqs';

export interface PqsServer {
  /** `postgres://pqs:…@127.0.0.1:PORT/pqs_<cluster>` per cluster. */
  readonly urls: Readonly<Record<ClusterName, string>>;
  readonly port: number;
  /** Active contracts per template as seeded, before any upgrade. */
  readonly seeded: Readonly<Record<ClusterName, Record<string, number>>>;
  close(): Promise<void>;
}

export interface PqsOptions {
  /** The world's folder (the cluster lives in `<dir>/pqs` unless running as root). */
  dir: string;
  /** The scenario's seed: the same seed gives the same contract counts. */
  seed: number;
  /** Where Debian's PostgreSQL binaries are; default: the newest `/usr/lib/postgresql/<major>/bin`. */
  bin?: string;
}

/** Why the world has no PQS, or undefined when it can start one. */
export function pqsUnavailable(bin = findPostgresBin()): string | undefined {
  return bin
    ? undefined
    : 'PostgreSQL binaries are missing (no /usr/lib/postgresql/<major>/bin/initdb): install the Debian package "postgresql" for PQS';
}

async function withAdmin<T>(server: PostgresServer, database: string, use: (db: pg.Client) => Promise<T>): Promise<T> {
  const db = new pg.Client({ host: '127.0.0.1', port: server.port, user: server.admin.user, password: server.admin.password, database });
  await db.connect();
  try {
    return await use(db);
  } finally {
    await db.end();
  }
}

async function createDatabase(server: PostgresServer, cluster: ClusterName, seed: number): Promise<Record<string, number>> {
  const name = `pqs_${cluster}`;
  await withAdmin(server, 'postgres', (db) => db.query(`create database ${name} owner ${READER}`));
  return withAdmin(server, name, async (db) => {
    await db.query(`set role ${READER}`);
    await db.query(PQS_SCHEMA_SQL);
    return seedLedger(db, cluster, seed);
  });
}

/** Starts PostgreSQL and seeds a PQS database per cluster; throws when the binaries are missing (see `pqsUnavailable`). */
export async function startPqs(options: PqsOptions): Promise<PqsServer> {
  const bin = options.bin ?? findPostgresBin();
  if (!bin) throw new Error(pqsUnavailable(bin));
  const server = await startPostgres(bin, options.dir);
  try {
    const password = randomBytes(18).toString('base64url');
    await withAdmin(server, 'postgres', (db) => db.query(`create role ${READER} login password '${password}'`));
    const seeded = {} as Record<ClusterName, Record<string, number>>;
    for (const cluster of CLUSTERS) seeded[cluster] = await createDatabase(server, cluster, options.seed);
    const url = (cluster: ClusterName) => `postgres://${READER}:${password}@127.0.0.1:${server.port}/pqs_${cluster}`;
    return {
      urls: { staging: url('staging'), production: url('production') },
      port: server.port,
      seeded,
      close: () => server.stop(),
    };
  } catch (error) {
    await server.stop();
    throw error;
  }
}
