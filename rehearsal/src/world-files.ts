/** What the world writes for its clients: world.json, world.env and the workspace's editor settings. */
import { existsSync } from 'node:fs';
import { appendFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { WorldDescription } from './contracts.js';

/** The `env` of a world description: what a shell (or a child process) needs to reach the world. */
export function worldEnvironment(description: Omit<WorldDescription, 'env'>): Record<string, string> {
  return {
    KUBECONFIG: description.kubeconfig,
    AWS_CONFIG_FILE: description.aws.configFile,
    AWS_SHARED_CREDENTIALS_FILE: description.aws.credentialsFile,
    AWS_ENDPOINT_URL_ECR: description.aws.ecrEndpoint,
    AWS_ENDPOINT_URL_RDS: description.aws.rdsEndpoint,
    AWS_ENDPOINT_URL_STS: description.aws.stsEndpoint,
    AWS_REGION: description.aws.region,
    // The SDKs would otherwise probe 169.254.169.254 for credentials and stall.
    AWS_EC2_METADATA_DISABLED: 'true',
    GITHUB_API_URL: description.github.apiUrl,
    GITHUB_TOKEN: description.github.token,
    ...(description.pqs
      ? { LENDOS_PQS_URL_STAGING: description.pqs.staging.url, LENDOS_PQS_URL_PRODUCTION: description.pqs.production.url }
      : {}),
  };
}

const shellQuote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;

/** `world.env`: `export` lines for `source`. */
export function worldEnvFile(description: WorldDescription): string {
  const header = [
    `# LendOS rehearsal world "${description.scenario}" in ${description.dir} (pid ${description.pid}).`,
    '# `source` this file to use kubectl, aws and the repository scripts against the world by hand.',
  ];
  const lines = Object.entries(description.env).map(([name, value]) => `export ${name}=${shellQuote(value)}`);
  // The world's tool wrappers first: the runbook's aws commands reach the world whatever aws is installed.
  const path = `export PATH=${shellQuote(description.bin)}:"$PATH"`;
  return `${[...header, ...lines, path].join('\n')}\n`;
}

/** Writes world.env, then world.json (through a rename, so a reader never sees half of it). */
export async function writeWorldFiles(description: WorldDescription, worldFile: string): Promise<void> {
  await writeFile(path.join(description.dir, 'world.env'), worldEnvFile(description), { mode: 0o600 });
  const partial = `${worldFile}.partial`;
  await writeFile(partial, `${JSON.stringify(description, null, 2)}\n`, { mode: 0o600 });
  await rename(partial, worldFile);
}

/**
 * Points the editor at the world: `.vscode/settings.json` in the lendos clone, kept out of `git status` through
 * `.git/info/exclude` (never `.gitignore`, which would be a change to commit).
 */
export async function writeWorkspaceSettings(lendosClone: string, worldFile: string): Promise<void> {
  const settingsDir = path.join(lendosClone, '.vscode');
  const settingsFile = path.join(settingsDir, 'settings.json');
  const existing = existsSync(settingsFile) ? (JSON.parse(await readFile(settingsFile, 'utf8')) as Record<string, unknown>) : {};
  const settings = {
    ...existing,
    'lendos.rehearsal.world': path.resolve(worldFile),
    'lendos.repositories.workloadsPath': '../lendos-eks-workloads',
  };
  await mkdir(settingsDir, { recursive: true });
  await writeFile(settingsFile, `${JSON.stringify(settings, null, 2)}\n`);
  await excludeFromGit(lendosClone, '.vscode/');
}

async function excludeFromGit(clone: string, pattern: string): Promise<void> {
  const infoDir = path.join(clone, '.git', 'info');
  const exclude = path.join(infoDir, 'exclude');
  const current = existsSync(exclude) ? await readFile(exclude, 'utf8') : '';
  if (current.split('\n').includes(pattern)) return;
  await mkdir(infoDir, { recursive: true });
  await appendFile(exclude, `${current === '' || current.endsWith('\n') ? '' : '\n'}${pattern}\n`);
}
