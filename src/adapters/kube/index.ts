/** The Kubernetes bundle (dist/kube.js), loaded on first use: nothing here runs at activation. */
import type { Kube } from '../../ports.js';
import { ClientNodeKube } from './client.js';
import { KubeContexts, type KubeOptions } from './config.js';

export type { KubeOptions } from './config.js';

/** A client that reads the kubeconfig once, on its first call. */
export function createKube(options: KubeOptions): Kube {
  return new ClientNodeKube(new KubeContexts(options));
}
