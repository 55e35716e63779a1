import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { stringify } from 'yaml';

export interface KubeconfigEntry {
  /** The context name as the runbook names it, e.g. `lendos-stg/SREOperatorAccess`. */
  context: string;
  url: string;
  token: string;
  /** Default namespace of the context, if any. */
  namespace?: string;
  /** The cluster entry's name (`aws eks update-kubeconfig` names it by the cluster's ARN); default: the context's name. */
  cluster?: string;
}

/** The kubeconfig document: one cluster, user and context per entry; the first is the current context. */
export function kubeconfigDocument(entries: KubeconfigEntry[]): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    clusters: entries.map((e) => ({
      name: e.cluster ?? e.context,
      // The world's servers are plain http:// or self-signed https://: client-node accepts either only with verification off.
      cluster: { server: e.url, 'insecure-skip-tls-verify': true },
    })),
    users: entries.map((e) => ({ name: e.context, user: { token: e.token } })),
    contexts: entries.map((e) => ({
      name: e.context,
      context: { cluster: e.cluster ?? e.context, user: e.context, ...(e.namespace ? { namespace: e.namespace } : {}) },
    })),
    'current-context': entries[0]?.context ?? '',
  };
}

/** Writes a kubeconfig (mode 0600, as kubectl expects of a file holding tokens). */
export async function writeKubeconfig(path: string, entries: KubeconfigEntry[]): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, stringify(kubeconfigDocument(entries)), { mode: 0o600 });
}
