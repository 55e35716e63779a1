/**
 * What the `upgrade` stage does to PQS: the Daml 2.x upgrade archives each active contract of the model and creates
 * its copy under the new package version, in one transaction. Counts per template stay the same; versions move.
 */
import pg from 'pg';
import { MODEL_PACKAGE, insertTransaction, packageId } from './seed.js';

export interface UpgradeResult {
  /** Contracts moved to `toVersion` by this call (0 when they already were). */
  readonly moved: number;
  readonly toVersion: string;
}

const DAML_VERSION = /^\d+\.\d+\.\d+$/;

/** Moves every active contract of `packageName` to `toVersion`; idempotent, so a rerun stage moves nothing twice. */
export async function applyUpgrade(url: string, toVersion: string, packageName = MODEL_PACKAGE): Promise<UpgradeResult> {
  if (!DAML_VERSION.test(toVersion)) throw new Error(`"${toVersion}" is not a DAML package version such as 0.1.93`);
  // Bounded, because a succeeded upgrade Job waits for this before it completes.
  const db = new pg.Client({ connectionString: url, application_name: 'rehearsal-upgrade', connectionTimeoutMillis: 10_000, statement_timeout: 60_000 });
  await db.connect();
  try {
    await db.query('begin');
    const { rows } = await db.query<{ pk: string }>(
      `insert into __packages (name, version, id) values ($1, $2, $3)
       on conflict (name, version) do update set id = excluded.id returning pk`,
      [packageName, toVersion, packageId(packageName, toVersion)],
    );
    const target = Number(rows[0]?.pk);
    const tx = await insertTransaction(db, 0);
    const moved = await db.query(
      `with archived as (
         update __contracts c set archived_at_ix = $2
         from __packages p
         where p.pk = c.package_pk and p.name = $3 and c.package_pk <> $1 and c.archived_at_ix is null
         returning c.tpe_pk, c.contract_id, c.payload)
       insert into __contracts (tpe_pk, contract_id, package_pk, created_at_ix, payload)
       select tpe_pk, '00' || md5(contract_id || ':' || $4), $1, $2, payload from archived`,
      [target, tx, packageName, toVersion],
    );
    if (moved.rowCount === 0) await db.query('rollback');
    else await db.query('commit');
    return { moved: moved.rowCount ?? 0, toVersion };
  } catch (error) {
    await db.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    await db.end();
  }
}
