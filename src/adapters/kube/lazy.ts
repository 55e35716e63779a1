/** Statically importable: hands out the Kube port while client-node's bundle loads only on the first call. */
import type { Kube } from '../../ports.js';
import type { KubeOptions } from './config.js';

/** `options` is read on every call, so a changed kubeconfig setting takes effect on the next step run. */
export function lazyKube(options: () => KubeOptions): () => Promise<Kube> {
  return async () => {
    const { createKube } = await import('./index.js');
    return createKube(options());
  };
}
