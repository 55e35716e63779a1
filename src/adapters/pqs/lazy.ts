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

/** Reads a Secret's decoded data in a context (the Kube port's `readSecret`). */
export type SecretReader = (context: string, namespace: string, name: string) => Promise<Readonly<Record<string, string>> | undefined>;

/** The connection in the environment's Kubernetes Secret (`env.pqs.secret`), read in the environment's context. */
async function fromSecret(env: EnvironmentConfig, readSecret: SecretReader, setting: string): Promise<PqsOptions | undefined> {
  const { namespace, name, key } = env.pqs.secret;
  let data: Readonly<Record<string, string>> | undefined;
  try {
    data = await readSecret(env.kubeContext, namespace, name);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new UserError(`Could not read the PQS connection from the Secret ${namespace}/${name} in ${env.kubeContext}: ${why}. Set ${setting} instead, or get read access to that Secret.`, 'pqs-secret-unreadable');
  }
  if (!data) return undefined;
  const connection = data[key];
  if (!connection) {
    const keys = Object.keys(data).join(', ') || 'none';
    throw new UserError(`The Secret ${namespace}/${name} in ${env.kubeContext} has no key "${key}" (its keys: ${keys}): set lendos.environments.${env.name}.pqs.secret.key, or ${setting}.`, 'not-configured');
  }
  return { connection, source: `Secret ${namespace}/${name} key "${key}" in ${env.kubeContext}` };
}

/**
 * Where the environment's PQS is. In a rehearsal always the world's (never a real one): the Secret in its cluster,
 * else world.json. Otherwise the setting, then the environment variable, then the environment's Kubernetes Secret.
 */
export async function pqsOptionsFor(
  env: EnvironmentConfig,
  world: WorldPqs | undefined,
  readSecret: SecretReader,
  variables: Readonly<Record<string, string | undefined>> = process.env,
): Promise<PqsOptions> {
  const setting = `lendos.environments.${env.name}.pqs.connection`;
  if (world) {
    const secret = await fromSecret(env, readSecret, setting).catch(() => undefined);
    if (secret) return { ...secret, source: `${secret.source} (the rehearsal world's cluster)` };
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
  const secret = await fromSecret(env, readSecret, setting);
  if (secret) return secret;
  const { namespace, name } = env.pqs.secret;
  throw new UserError(`PQS connection not configured: set ${setting}, or create the Secret ${namespace}/${name} in ${env.kubeContext}.`, 'not-configured');
}

/** `options` is resolved on every call; each call answers a new connection that the caller closes. */
export function lazyPqs(options: () => PqsOptions | Promise<PqsOptions>): () => Promise<Pqs> {
  return async () => {
    const resolved = await options();
    const { createPqs } = await import('./index.js');
    return createPqs(resolved);
  };
}
