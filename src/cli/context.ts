/** Builds the engine for the terminal: the workspace found from the current directory, the config file. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { readConfigFile } from '../adapters/config-file.js';
import { FileJournalStore } from '../adapters/journal-file.js';
import { GitWorkspaceRepo } from '../adapters/workspace-repo.js';
import { resolveConfig } from '../core/config/resolve.js';
import type { ConfigProblem, LendosConfig } from '../core/config/types.js';
import { ReleaseService } from '../engine/release-service.js';

export interface CliContext {
  readonly root: string;
  readonly service: ReleaseService;
  readonly config: LendosConfig;
  readonly problems: readonly ConfigProblem[];
  readonly journalPath: (version: string) => string;
}

/** The nearest folder at or above `start` that holds `.git`, else `start`. */
export function findWorkspaceRoot(start: string): string {
  let dir = path.resolve(start);
  for (;;) {
    if (existsSync(path.join(dir, '.git'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve(start);
    dir = parent;
  }
}

export async function createContext(workspace: string | undefined): Promise<CliContext> {
  const root = findWorkspaceRoot(workspace ?? process.cwd());
  const { layer, error } = await readConfigFile(root);
  const resolved = resolveConfig(layer ? [layer] : []);
  const problems = error ? [{ path: '.lendos/config.yaml', message: error }, ...resolved.problems] : resolved.problems;
  const store = new FileJournalStore(root);
  const service = new ReleaseService({
    store,
    repo: new GitWorkspaceRepo(root),
    clock: { now: () => new Date() },
    config: () => resolved.config,
  });
  return { root, service, config: resolved.config, problems, journalPath: (v) => store.pathOf(v) };
}
