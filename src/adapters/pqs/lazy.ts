/** Statically importable: where an environment's PQS is, and the Pqs port whose `pg` bundle loads on first use. */
import type { EnvironmentConfig } from '../../core/config/types.js';
import { UserError } from '../../core/errors.js';
import type { Pqs } from '../../ports.js';
import type { PqsOptions } from './pg-pqs.js';

export type { PqsOptions } from './pg-pqs.js';

/** The PQS part of a rehearsal's world.json: present when the world runs PostgreSQL. */
export interface WorldPqs {
  readonly pqs?: Partial<Record<string, { readonly url: string }>>;
}

/** `LENDOS_PQS_URL_STAGING`, `LENDOS_PQS_URL_PRODUCTION`: what a rehearsal's world.env exports. */
export const pqsUrlVariable = (environment: string): string => `LENDOS_PQS_URL_${environment.toUpperCase()}`;

/**
 * Where the environment's PQS is: in a rehearsal always the world's (never a real one); otherwise the setting, then the
 * world.env variable. The Kubernetes Secret (`env.pqs.secret`) is not read yet: that needs the Kube port.
 */
export function pqsOptionsFor(
  env: EnvironmentConfig,
  world: WorldPqs | undefined,
  variables: Readonly<Record<string, string | undefined>> = process.env,
): PqsOptions {
  const setting = `lendos.environments.${env.name}.pqs.connection`;
  if (world) {
    const url = world.pqs?.[env.name]?.url;
    if (url) return { connection: url, source: `rehearsal world's PQS URL (world.json pqs.${env.name}.url)` };
    throw new UserError(
      `The rehearsal world runs without PQS (it found no PostgreSQL when it started): install the Debian package "postgresql" and start the world again.`,
      'not-configured',
    );
  }
  if (env.pqs.connection) return { connection: env.pqs.connection, source: `setting ${setting}` };
  const variable = pqsUrlVariable(env.name);
  const fromVariable = variables[variable];
  if (fromVariable) return { connection: fromVariable, source: `environment variable ${variable}` };
  const { namespace, name, key } = env.pqs.secret;
  throw new UserError(
    `PQS connection not configured: set ${setting} (reading it from the Kubernetes Secret ${namespace}/${name}, key "${key}", is not supported yet).`,
    'not-configured',
  );
}

/** `options` is read on every call; each call answers a new connection that the caller closes. */
export function lazyPqs(options: () => PqsOptions): () => Promise<Pqs> {
  return async () => {
    const resolved = options();
    const { createPqs } = await import('./index.js');
    return createPqs(resolved);
  };
}
