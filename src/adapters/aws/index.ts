/** The AWS bundle (dist/aws.js), loaded on first use: nothing here runs at activation. */
import type { AwsIdentity, Ecr, Rds } from '../../ports.js';
import { SdkEcr, type EcrOptions } from './ecr.js';
import { SdkRds, type RdsOptions } from './rds.js';
import { SdkAwsIdentity, type StsOptions } from './sts.js';

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
