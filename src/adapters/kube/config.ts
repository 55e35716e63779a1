/**
 * Kubeconfig loading: the file(s) from the setting (or the rehearsal world), else KUBECONFIG, else ~/.kube/config,
 * and one KubeConfig per context with that context made current — so no call ever runs on whatever context the file
 * happens to have selected.
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { UserError } from '../../core/errors.js';
import type { KubeClusterInfo } from '../../ports.js';

export interface KubeOptions {
  /** An explicit kubeconfig path (the `lendos.kubeconfig` setting or the rehearsal world's); else KUBECONFIG or ~/.kube/config. */
  readonly kubeconfig?: string | null;
}

/** The kubeconfig files to read, in kubectl's order. */
export function kubeconfigFiles(options: KubeOptions, env: NodeJS.ProcessEnv = process.env): string[] {
  if (options.kubeconfig) return [options.kubeconfig];
  const fromEnv = (env['KUBECONFIG'] ?? '').split(path.delimiter).filter(Boolean);
  return fromEnv.length > 0 ? fromEnv : [path.join(os.homedir(), '.kube', 'config')];
}

function loadFiles(files: readonly string[]): k8s.KubeConfig {
  const present = files.filter((file) => existsSync(file));
  const [first, ...rest] = present;
  if (!first) {
    throw new UserError(
      `No kubeconfig found at ${files.join(', ')}. Create one (for EKS: aws eks update-kubeconfig --name <cluster> --alias <context>) or set lendos.kubeconfig to the file that has your contexts.`,
      'missing-kubeconfig',
    );
  }
  const config = readFile(first);
  for (const file of rest) config.mergeConfig(readFile(file), true);
  return config;
}

function readFile(file: string): k8s.KubeConfig {
  const config = new k8s.KubeConfig();
  try {
    config.loadFromFile(file);
  } catch (error) {
    throw new UserError(`The kubeconfig ${file} could not be read (${error instanceof Error ? error.message : String(error)}): fix or replace it.`, 'invalid-kubeconfig');
  }
  return config;
}

/** One KubeConfig per context, each with that context current; the files are read once per instance. */
export class KubeContexts {
  private loaded: k8s.KubeConfig | undefined;
  private readonly byContext = new Map<string, k8s.KubeConfig>();
  readonly files: readonly string[];

  constructor(options: KubeOptions) {
    this.files = kubeconfigFiles(options);
  }

  config(context: string): k8s.KubeConfig {
    const known = this.byContext.get(context);
    if (known) return known;
    this.loaded ??= loadFiles(this.files);
    const entry = this.loaded.getContextObject(context);
    if (!entry) {
      const names = this.loaded.getContexts().map((c) => c.name);
      throw new UserError(
        `The kube context "${context}" is not in ${this.files.join(', ')} (it has ${names.length > 0 ? names.join(', ') : 'no contexts'}). ` +
          `Add it (for EKS: aws eks update-kubeconfig --name <cluster> --alias ${context}), or set lendos.kubeconfig to the file that has it, ` +
          'or correct the environment\'s kubeContext in .lendos/config.yaml. Nothing was changed.',
        'missing-context',
      );
    }
    const config = new k8s.KubeConfig();
    const { clusters, users, contexts } = this.loaded;
    config.loadFromOptions({ clusters, users, contexts, currentContext: context });
    this.byContext.set(context, config);
    return config;
  }

  info(context: string): KubeClusterInfo {
    const config = this.config(context);
    const entry = config.getContextObject(context);
    const cluster = entry ? config.getCluster(entry.cluster) : null;
    if (!entry || !cluster?.server) {
      throw new UserError(
        `The kube context "${context}" in ${this.files.join(', ')} names cluster "${entry?.cluster ?? ''}", which has no server: fix the kubeconfig. Nothing was changed.`,
        'missing-context',
      );
    }
    return { context, server: cluster.server, cluster: cluster.name, user: entry.user, kubeconfig: this.files.filter((f) => existsSync(f)) };
  }
}
