import { createHash } from 'node:crypto';
import type { AwsCredentials } from '../contracts.js';

/** The runbook's region for ECR and RDS. */
export const WORLD_REGION = 'us-east-1';

/** The AWS accounts the runbook's profiles reach: ECR lives in artifacts, each environment's cluster in its own. */
export const ACCOUNTS = {
  artifacts: '418272790138',
  staging: '620134885217',
  production: '739451022368',
  dev: '508726114933',
} as const;

/** The release's `assume` targets (Sections 1–3), as shared-config profile names. */
export const RUNBOOK_PROFILES = [
  'artifacts-prod/SREOperatorAccess',
  'lendos-stg/SREOperatorAccess',
  'bxci-prod/SREOperatorAccess',
] as const;

/** The dev environment's `assume` target (Section 4): its own account, no RDS of the release's. */
export const DEV_PROFILE = 'lendos-dev/SREOperatorAccess';

/** Every profile the world's config files define besides `default`. */
export const WORLD_PROFILES = [...RUNBOOK_PROFILES, DEV_PROFILE] as const;

export type ProfileName = (typeof WORLD_PROFILES)[number] | 'default';

/** Who a key is, as STS GetCallerIdentity tells it. */
export interface AwsIdentity {
  profile: ProfileName;
  accessKeyId: string;
  account: string;
  arn: string;
  userId: string;
}

const ENGINEER = 'rehearsal-engineer';
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function keyLike(prefix: string, seed: string): string {
  const bytes = createHash('sha256').update(seed).digest();
  return prefix + [...bytes.subarray(0, 16)].map((b) => BASE32[b % 32]).join('');
}

const PROFILE_ACCOUNTS: Record<(typeof WORLD_PROFILES)[number], string> = {
  'artifacts-prod/SREOperatorAccess': ACCOUNTS.artifacts,
  'lendos-stg/SREOperatorAccess': ACCOUNTS.staging,
  'bxci-prod/SREOperatorAccess': ACCOUNTS.production,
  'lendos-dev/SREOperatorAccess': ACCOUNTS.dev,
};

/**
 * The keys the world accepts: the world's own key (profile `default`) and, for each runbook profile, a key id
 * derived from it with the same secret, so that each profile has its own account and role like the real SSO roles.
 */
export function worldIdentities(credentials: AwsCredentials): AwsIdentity[] {
  const defaultIdentity: AwsIdentity = {
    profile: 'default',
    accessKeyId: credentials.accessKeyId,
    account: ACCOUNTS.artifacts,
    arn: `arn:aws:iam::${ACCOUNTS.artifacts}:user/${ENGINEER}`,
    userId: keyLike('AIDA', `${credentials.accessKeyId}:user`),
  };
  const profiles = WORLD_PROFILES.map((profile): AwsIdentity => {
    const account = PROFILE_ACCOUNTS[profile];
    const role = `AWSReservedSSO_SREOperatorAccess_${createHash('sha256').update(account).digest('hex').slice(0, 16)}`;
    return {
      profile,
      accessKeyId: keyLike('AKIA', `${credentials.accessKeyId}:${profile}`),
      account,
      arn: `arn:aws:sts::${account}:assumed-role/${role}/${ENGINEER}`,
      userId: `${keyLike('AROA', `${account}:role`)}:${ENGINEER}`,
    };
  });
  return [defaultIdentity, ...profiles];
}
