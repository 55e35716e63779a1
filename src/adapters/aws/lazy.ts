/** Statically importable: hands out the AWS ports while the AWS SDK bundle loads only on the first call. */
import type { EnvironmentConfig } from '../../core/config/types.js';
import type { AwsIdentity, Ecr, Rds } from '../../ports.js';
import type { AwsClientOptions } from './credentials.js';
import type { EcrOptions } from './ecr.js';

export type { AwsClientOptions } from './credentials.js';

/** `options` is read on every call, so a changed profile or region setting takes effect on the next step run. */
export function lazyEcr(options: () => EcrOptions): () => Promise<Ecr> {
  return async () => {
    const { createEcr } = await import('./index.js');
    return createEcr(options());
  };
}

export function lazyRds(options: () => AwsClientOptions): () => Promise<Rds> {
  return async () => {
    const { createRds } = await import('./index.js');
    return createRds(options());
  };
}

export function lazyAwsIdentity(options: () => AwsClientOptions): () => Promise<AwsIdentity> {
  return async () => {
    const { createAwsIdentity } = await import('./index.js');
    return createAwsIdentity(options());
  };
}

/** The AWS part of a rehearsal's world.json that the RDS and STS clients need. */
export interface WorldAws {
  readonly region: string;
  readonly rdsEndpoint: string;
  readonly stsEndpoint: string;
  readonly configFile: string;
  readonly credentialsFile: string;
}

/** RDS or STS options for an environment's account: its profile and region, or the rehearsal world's endpoint and files. */
export function environmentAwsOptions(env: EnvironmentConfig, service: 'rds' | 'sts', world?: WorldAws): AwsClientOptions {
  const base = { region: env.region, profile: env.awsProfile, setting: `lendos.environments.${env.name}.awsProfile` };
  if (!world) return base;
  return {
    ...base,
    region: world.region,
    endpoint: service === 'rds' ? world.rdsEndpoint : world.stsEndpoint,
    configFile: world.configFile,
    credentialsFile: world.credentialsFile,
  };
}
