/** The AWS bundle (dist/aws.js), loaded on first use: nothing here runs at activation. */
import type { Ecr } from '../../ports.js';
import { SdkEcr, type EcrOptions } from './ecr.js';

export type { EcrOptions } from './ecr.js';

export function createEcr(options: EcrOptions): Ecr {
  return new SdkEcr(options);
}
