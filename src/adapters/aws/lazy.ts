/** Statically importable: hands out the Ecr port while the AWS SDK bundle loads only on the first call. */
import type { Ecr } from '../../ports.js';
import type { EcrOptions } from './ecr.js';

/** `options` is read on every call, so a changed profile or region setting takes effect on the next step run. */
export function lazyEcr(options: () => EcrOptions): () => Promise<Ecr> {
  return async () => {
    const { createEcr } = await import('./index.js');
    return createEcr(options());
  };
}
