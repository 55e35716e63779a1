/** The AWS bundle (dist/aws.js), loaded on first use: nothing here runs at activation. */
import type { AwsIdentity, Ecr, Rds } from '../../ports.js';
import { SdkEcr, type EcrOptions } from './ecr.js';
import { SdkRds, type RdsOptions } from './rds.js';
import { SdkAwsIdentity, type StsOptions } from './sts.js';

// The SDK warns on every Node below 22 that its releases after January 2027 will need 22: VS Code's and Codespaces'
// Node is 20 today, and the warning is noise on every `lendos run` and in the editor's log. Our own setting wins.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export type { EcrOptions } from './ecr.js';
export type { RdsOptions } from './rds.js';
export type { StsOptions } from './sts.js';

export function createEcr(options: EcrOptions): Ecr {
  return new SdkEcr(options);
}

export function createRds(options: RdsOptions): Rds {
  return new SdkRds(options);
}

export function createAwsIdentity(options: StsOptions): AwsIdentity {
  return new SdkAwsIdentity(options);
}
