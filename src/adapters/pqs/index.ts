/** The PQS bundle (dist/pqs.js, with `pg`), loaded on first use: nothing here runs at activation. */
import type { Pqs } from '../../ports.js';
import { PgPqs, type PqsOptions } from './pg-pqs.js';

export type { PqsOptions } from './pg-pqs.js';

export function createPqs(options: PqsOptions): Pqs {
  return new PgPqs(options);
}
