/** The Pqs port on `pg`: templates from PQS's own catalog, counts through its `active()` function. */
import pg from 'pg';
import { UserError, messageOf } from '../../core/errors.js';
import type { Pqs } from '../../ports.js';

export interface PqsOptions {
  /** `postgres://user:password@host:port/database`. */
  readonly connection: string;
  /** Where the connection came from, quoted in errors (e.g. "setting lendos.environments.staging.pqs.connection"). */
  readonly source: string;
  readonly connectTimeoutMs?: number;
  readonly statementTimeoutMs?: number;
}

/** `host:port/database` of a connection string, never its password. */
export function describeTarget(connection: string): string {
  try {
    const url = new URL(connection);
    return `${url.hostname}:${url.port || '5432'}${url.pathname}`;
  } catch {
    return 'the configured database';
  }
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ETIMEDOUT', 'ECONNRESET', 'EAI_AGAIN']);

/** PostgreSQL and network errors → what is wrong and what to do; the password is never quoted. */
export function pqsFailure(error: unknown, options: PqsOptions): Error {
  const code = (error as { code?: unknown } | undefined)?.code;
  const message = messageOf(error).split(options.connection).join(describeTarget(options.connection));
  const target = describeTarget(options.connection);
  if ((typeof code === 'string' && UNREACHABLE.has(code)) || /timeout|terminated unexpectedly/i.test(message)) {
    return new UserError(
      `PQS is unreachable at ${target} (${message}): check that PQS's PostgreSQL is running and reachable from here, and the ${options.source}.`,
      'pqs-unreachable',
    );
  }
  if (code === '28P01' || code === '28000') {
    return new UserError(`PQS at ${target} refused the login (${message}): check the user and password in the ${options.source}.`, 'pqs-auth');
  }
  if (code === '3D000') {
    return new UserError(`PQS has no such database at ${target} (${message}): check the ${options.source}.`, 'pqs-database');
  }
  if (code === '42P01' || code === '42883') {
    return new UserError(
      `The database at ${target} has no PQS catalog or active() function (${message}): the ${options.source} should point at PQS's own database.`,
      'pqs-schema',
    );
  }
  if (code === 'P0002' || code === 'P0003') return new UserError(`PQS: ${message}.`, 'pqs-template');
  return new Error(`PQS at ${target}: ${message}`);
}

export class PgPqs implements Pqs {
  private client: Promise<pg.Client> | undefined;

  constructor(private readonly options: PqsOptions) {}

  async contractCounts(templates?: readonly string[]): Promise<Record<string, number>> {
    try {
      const client = await this.connect();
      const names = templates ?? (await this.templates(client));
      const counts: Record<string, number> = {};
      for (const name of names) {
        const { rows } = await client.query<{ n: string }>('select count(*) as n from active($1)', [name]);
        counts[name] = Number(rows[0]?.n ?? 0);
      }
      return counts;
    } catch (error) {
      throw error instanceof UserError ? error : pqsFailure(error, this.options);
    }
  }

  async activeVersions(): Promise<Record<string, number>> {
    try {
      const client = await this.connect();
      const { rows } = await client.query<{ version: string; n: string }>('select package_version as version, count(*) as n from active() group by 1 order by 1');
      return Object.fromEntries(rows.map((row) => [row.version, Number(row.n)]));
    } catch (error) {
      throw error instanceof UserError ? error : pqsFailure(error, this.options);
    }
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client) await (await client.catch(() => undefined))?.end().catch(() => undefined);
  }

  /** PQS's catalog of templates (interfaces are views over them, so counting them would count contracts twice). */
  private async templates(client: pg.Client): Promise<string[]> {
    const { rows } = await client.query<{ template_fqn: string }>(
      "select template_fqn from __contract_tpe where payload_type = 'template' order by template_fqn",
    );
    return rows.map((row) => row.template_fqn);
  }

  private connect(): Promise<pg.Client> {
    this.client ??= (async () => {
      const client = new pg.Client({
        connectionString: this.options.connection,
        connectionTimeoutMillis: this.options.connectTimeoutMs ?? 10_000,
        statement_timeout: this.options.statementTimeoutMs ?? 60_000,
        application_name: 'lendos-release',
      });
      // A dropped connection must not crash the host; the next query reports it.
      client.on('error', () => undefined);
      try {
        await client.connect();
      } catch (error) {
        this.client = undefined;
        await client.end().catch(() => undefined);
        throw error;
      }
      return client;
    })();
    return this.client;
  }
}
