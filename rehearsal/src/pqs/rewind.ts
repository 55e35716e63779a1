/**
 * The ledger goes back with the Canton database: a snapshot marks the ledger's end (the last transaction's `ix`), and
 * a cluster restored from that snapshot drops what came after — contracts created later are gone, contracts archived
 * later are active again, later transactions are gone. PQS mirrors the ledger, so its database follows in the world.
 */
import pg from 'pg';
import type { ClusterName } from '../contracts.js';

async function withDb<T>(url: string, use: (db: pg.Client) => Promise<T>): Promise<T> {
  const db = new pg.Client({ connectionString: url, application_name: 'rehearsal-ledger', connectionTimeoutMillis: 10_000, statement_timeout: 60_000 });
  await db.connect();
  try {
    return await use(db);
  } finally {
    await db.end();
  }
}

/** The last transaction's `ix` (0 when there is none). */
export function ledgerEnd(url: string): Promise<number> {
  return withDb(url, async (db) => Number((await db.query<{ end: string }>('select coalesce(max(ix), 0) as end from __transactions')).rows[0]?.end ?? 0));
}

export interface Rewound {
  /** Contracts created after the end, removed. */
  readonly removed: number;
  /** Contracts archived after the end, active again. */
  readonly revived: number;
}

/** Takes the ledger back to `end`, in one transaction; a second call changes nothing. */
export function rewindLedger(url: string, end: number): Promise<Rewound> {
  return withDb(url, async (db) => {
    await db.query('begin');
    try {
      const removed = await db.query('delete from __contracts where created_at_ix > $1', [end]);
      const revived = await db.query('update __contracts set archived_at_ix = null where archived_at_ix > $1', [end]);
      await db.query('delete from __transactions where ix > $1', [end]);
      await db.query('commit');
      return { removed: removed.rowCount ?? 0, revived: revived.rowCount ?? 0 };
    } catch (error) {
      await db.query('rollback').catch(() => undefined);
      throw error;
    }
  });
}

/**
 * RDS's ledger hooks for the world: which cluster an account's Canton database belongs to, the ledger end of each
 * snapshot (read when the snapshot is taken), and the rewind when a cluster is restored. Failures are logged, never
 * thrown into RDS's answer.
 */
export class LedgerLink {
  private readonly ends = new Map<string, Promise<number | undefined>>();
  private work: Promise<unknown> = Promise.resolve();
  urls?: Readonly<Record<ClusterName, string>>;
  /** Told of each restore, so the cluster's backends load the DARs the restored ledger has. */
  onRestored?: (cluster: ClusterName, snapshotAt: Date) => void;

  constructor(
    private readonly clusterOf: (account: string) => ClusterName | undefined,
    private readonly log: (line: string) => void,
  ) {}

  snapshotTaken(account: string, snapshot: string): void {
    const url = this.urlOf(account);
    if (!url) return;
    const end = ledgerEnd(url).catch((error: unknown) => {
      this.log(`rehearsal: could not read the ledger end for snapshot ${snapshot}: ${String(error)}`);
      return undefined;
    });
    this.ends.set(`${account}/${snapshot}`, end);
    this.work = this.work.then(() => end);
  }

  restored(account: string, snapshot: string, snapshotAt: Date): void {
    const cluster = this.clusterOf(account);
    if (cluster) this.onRestored?.(cluster, snapshotAt);
    const url = this.urlOf(account);
    const end = this.ends.get(`${account}/${snapshot}`);
    if (!url || !end) return;
    this.work = this.work.then(async () => {
      const at = await end;
      if (at === undefined) return;
      try {
        const done = await rewindLedger(url, at);
        this.log(`rehearsal: ledger of ${this.clusterOf(account) ?? account} restored from ${snapshot}: ${done.removed} contract(s) removed, ${done.revived} active again`);
      } catch (error) {
        this.log(`rehearsal: could not restore the ledger from ${snapshot}: ${String(error)}`);
      }
    });
  }

  /** Resolves when every snapshot's end is read and every rewind is done. */
  settled(): Promise<void> {
    return this.work.then(() => undefined);
  }

  private urlOf(account: string): string | undefined {
    const cluster = this.clusterOf(account);
    return cluster && this.urls ? this.urls[cluster] : undefined;
  }
}
