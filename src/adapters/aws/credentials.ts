/** What every AWS adapter shares: credentials from a profile (or the default chain) and the mapping of their failures. */
import { fromIni } from '@aws-sdk/credential-providers';
import { UserError, messageOf } from '../../core/errors.js';

/** Where an AWS client gets its credentials and endpoint; the rehearsal world fills the optional fields. */
export interface AwsClientOptions {
  readonly region: string;
  /** Shared-config profile, e.g. `lendos-stg/SREOperatorAccess`; null: the SDK's default credential chain. */
  readonly profile: string | null;
  /** Another endpoint than AWS's (the rehearsal world). */
  readonly endpoint?: string;
  /** Shared config file, when not `~/.aws/config` (AWS_CONFIG_FILE). */
  readonly configFile?: string;
  /** Shared credentials file, when not `~/.aws/credentials` (AWS_SHARED_CREDENTIALS_FILE). */
  readonly credentialsFile?: string;
  /** The setting that names the profile, quoted in error messages (e.g. `lendos.environments.staging.awsProfile`). */
  readonly setting: string;
}

type CredentialProvider = ReturnType<typeof fromIni>;

const CREDENTIAL_ERRORS = new Set([
  'CredentialsProviderError',
  'TokenProviderError',
  'ExpiredTokenException',
  'ExpiredToken',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'InvalidSignatureException',
  'MissingAuthenticationTokenException',
  'MissingAuthenticationToken',
]);
const CREDENTIAL_MESSAGES =
  /Could not load credentials|SSO session|Token is expired|token included in the request is (expired|invalid)/i;

export function isCredentialError(error: unknown): boolean {
  const name = error instanceof Error ? error.name : '';
  return CREDENTIAL_ERRORS.has(name) || CREDENTIAL_MESSAGES.test(messageOf(error));
}

/** Credential trouble → what to do, naming the profile and the setting; undefined for any other failure. */
export function credentialFailure(
  error: unknown,
  options: Pick<AwsClientOptions, 'profile' | 'setting'>,
): UserError | undefined {
  if (!isCredentialError(error)) return undefined;
  const name = error instanceof Error ? error.name : '';
  const cause = `${name || 'error'}: ${messageOf(error)}`;
  const { profile, setting } = options;
  if (profile === null) {
    return new UserError(
      `AWS credentials of the default chain (no profile set) are missing or expired (${cause}). ` +
        `Set ${setting} to the profile of this account and log in with \`aws sso login --profile <profile>\`, then run the step again.`,
      'aws-credentials',
    );
  }
  return new UserError(
    `AWS credentials for profile "${profile}" are missing or expired (${cause}). ` +
      `Log in with \`aws sso login --profile ${profile}\` and run the step again. ` +
      `The runbook's \`assume ${profile}\` only sets credentials in the shell where you ran it; ` +
      `LendOS reads the profile from your AWS config (setting ${setting}).`,
    'aws-credentials',
  );
}

/** A fresh provider per client (no cache), so a login in another terminal counts on the next call. */
export function credentialsOf(options: AwsClientOptions): CredentialProvider | undefined {
  const { profile, configFile, credentialsFile } = options;
  const files = configFile !== undefined || credentialsFile !== undefined;
  // No profile and no files of our own: leave it to the SDK's default chain (environment, SSO, instance role).
  if (profile === null && !files) return undefined;
  return fromIni({
    profile: profile ?? 'default',
    filepath: credentialsFile,
    configFilepath: configFile,
    ignoreCache: true,
  });
}
