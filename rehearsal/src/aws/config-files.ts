import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AwsCredentials } from '../contracts.js';
import { worldIdentities } from './accounts.js';

export interface AwsConfigFiles {
  /** For `AWS_CONFIG_FILE`. */
  configFile: string;
  /** For `AWS_SHARED_CREDENTIALS_FILE`. */
  credentialsFile: string;
}

/** The config file's section header: `default` stands alone, other profiles carry the `profile ` prefix. */
const configSection = (profile: string): string =>
  profile === 'default' ? '[default]' : `[profile ${profile}]`;

/**
 * Writes shared config and credentials files that define the runbook's profiles (`artifacts-prod/SREOperatorAccess`,
 * `lendos-stg/SREOperatorAccess`, `bxci-prod/SREOperatorAccess`, `lendos-dev/SREOperatorAccess`) and `default`, all
 * with static keys of the world.
 */
export function writeAwsConfig(dir: string, credentials: AwsCredentials, region: string): AwsConfigFiles {
  mkdirSync(dir, { recursive: true });
  const identities = worldIdentities(credentials);
  const config = identities
    .map((identity) =>
      [configSection(identity.profile), `region = ${region}`, 'output = json', ''].join('\n'),
    )
    .join('\n');
  const keys = identities
    .map((identity) =>
      [
        `[${identity.profile}]`,
        `aws_access_key_id = ${identity.accessKeyId}`,
        `aws_secret_access_key = ${credentials.secretAccessKey}`,
        '',
      ].join('\n'),
    )
    .join('\n');
  const configFile = join(dir, 'config');
  const credentialsFile = join(dir, 'credentials');
  writeFileSync(configFile, config, { mode: 0o600 });
  writeFileSync(credentialsFile, keys, { mode: 0o600 });
  return { configFile, credentialsFile };
}
