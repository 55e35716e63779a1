/**
 * A cluster's ledger as PQS sees it: the LendOS model's templates with a few hundred active contracts at the deployed
 * package version, plus contracts archived by the previous release's upgrade (still at the older version).
 */
import { createHash } from 'node:crypto';
import type { ClientBase } from 'pg';
import { createClock } from '../clock.js';
import type { ClusterName } from '../contracts.js';

/** The LendOS model's package, as the fixtures' `services/lendos-daml/daml.yaml` names it. */
export const MODEL_PACKAGE = 'lendos-model';
/** The version deployed before the release (the kube world's `initialDamlVersion`). */
export const DEPLOYED_VERSION = '0.1.92';
const PREVIOUS_VERSION = '0.1.91';

/** `Module:Entity` of each template, with the range of active contracts a cluster holds. */
export const PQS_TEMPLATES: readonly { module: string; entity: string; min: number; max: number }[] = [
  { module: 'LendOS.Facility', entity: 'Facility', min: 20, max: 40 },
  { module: 'LendOS.Facility', entity: 'FacilityParticipation', min: 40, max: 80 },
  { module: 'LendOS.Loan', entity: 'Loan', min: 60, max: 120 },
  { module: 'LendOS.Loan', entity: 'Repayment', min: 30, max: 90 },
  { module: 'LendOS.Covenant', entity: 'Covenant', min: 25, max: 50 },
  { module: 'LendOS.Covenant', entity: 'CovenantTest', min: 10, max: 40 },
];

/** Package ids are hashes of the archive; here of name and version, stable across worlds. */
export function packageId(name: string, version: string): string {
  return createHash('sha256').update(`${name}-${version}`).digest('hex');
}

const CLUSTER_SEED: Record<ClusterName, number> = { staging: 17, production: 29 };
const SIZE: Record<ClusterName, number> = { staging: 1, production: 2 };

/** How many active contracts each template holds in `cluster`, deterministic per scenario seed. */
export function seededCounts(cluster: ClusterName, seed: number): Record<string, number> {
  const random = createClock({ timeScale: 1, seed: seed * 7919 + CLUSTER_SEED[cluster] }).random;
  return Object.fromEntries(
    PQS_TEMPLATES.map((t) => [
      `${MODEL_PACKAGE}:${t.module}:${t.entity}`,
      SIZE[cluster] * (t.min + Math.floor(random() * (t.max - t.min + 1))),
    ]),
  );
}

async function insertPackage(db: ClientBase, version: string): Promise<number> {
  const { rows } = await db.query<{ pk: string }>(
    `insert into __packages (name, version, id) values ($1, $2, $3)
     on conflict (name, version) do update set id = excluded.id returning pk`,
    [MODEL_PACKAGE, version, packageId(MODEL_PACKAGE, version)],
  );
  return Number(rows[0]?.pk);
}

/** A transaction at `offset` (hex, zero-padded like the ledger's), `daysAgo` before now. */
export async function insertTransaction(db: ClientBase, daysAgo: number): Promise<number> {
  const { rows } = await db.query<{ ix: string }>(
    `insert into __transactions ("offset", effective_at)
     select lpad(to_hex(coalesce(max(ix), 0) + 1), 16, '0'), now() - make_interval(days => $1) from __transactions
     returning ix`,
    [daysAgo],
  );
  return Number(rows[0]?.ix);
}

async function insertTemplate(db: ClientBase, module: string, entity: string): Promise<number> {
  const { rows } = await db.query<{ pk: string }>(
    `insert into __contract_tpe (package_name, module_name, entity_name, aliases)
     values ($1, $2, $3, array[$1 || ':' || $2 || ':' || $3, $2 || ':' || $3, $3]) returning pk`,
    [MODEL_PACKAGE, module, entity],
  );
  return Number(rows[0]?.pk);
}

interface Batch {
  tpe: number;
  entity: string;
  count: number;
  packagePk: number;
  createdAt: number;
  archivedAt: number | null;
  prefix: string;
}

async function insertContracts(db: ClientBase, batch: Batch): Promise<void> {
  await db.query(
    `insert into __contracts (tpe_pk, contract_id, package_pk, created_at_ix, archived_at_ix, payload)
     select $1, '00' || md5($6 || $2 || g), $3, $4, $5, jsonb_build_object('entity', $2::text, 'n', g)
     from generate_series(1, $7::int) g`,
    [batch.tpe, batch.entity, batch.packagePk, batch.createdAt, batch.archivedAt, batch.prefix, batch.count],
  );
}

/** Creates the templates and contracts of `cluster` in an empty PQS schema. */
export async function seedLedger(db: ClientBase, cluster: ClusterName, seed: number): Promise<Record<string, number>> {
  const counts = seededCounts(cluster, seed);
  const previous = await insertPackage(db, PREVIOUS_VERSION);
  const deployed = await insertPackage(db, DEPLOYED_VERSION);
  const createdBefore = await insertTransaction(db, 90);
  const lastUpgrade = await insertTransaction(db, 40);
  for (const t of PQS_TEMPLATES) {
    const tpe = await insertTemplate(db, t.module, t.entity);
    const count = counts[`${MODEL_PACKAGE}:${t.module}:${t.entity}`] ?? 0;
    const migrated = Math.floor(count / 2);
    const common = { tpe, entity: t.entity, prefix: `${cluster}:` };
    // The previous upgrade archived each old contract and created its copy at the deployed version.
    await insertContracts(db, { ...common, count: migrated, packagePk: previous, createdAt: createdBefore, archivedAt: lastUpgrade, prefix: `${cluster}:old:` });
    await insertContracts(db, { ...common, count: migrated, packagePk: deployed, createdAt: lastUpgrade, archivedAt: null, prefix: `${cluster}:migrated:` });
    const since = await insertTransaction(db, 10);
    await insertContracts(db, { ...common, count: count - migrated, packagePk: deployed, createdAt: since, archivedAt: null, prefix: `${cluster}:new:` });
  }
  return counts;
}
