/** Builds the engine for the terminal: the workspace found from the current directory, the config file, and the
 * rehearsal world when `--world FILE` names one. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { readConfigFile } from '../adapters/config-file.js';
import { systemClock } from '../adapters/clock.js';
import { FileJournalStore } from '../adapters/journal-file.js';
import { FileRunLocks } from '../adapters/run-locks.js';
import { createStepPorts, type RehearsalWorld } from '../adapters/step-ports.js';
import { loadWorldFile, WorldFileError } from '../adapters/world-file.js';
import { GitWorkspaceRepo } from '../adapters/workspace-repo.js';
import { withRehearsal } from '../core/config/environment.js';
import { resolveConfig } from '../core/config/resolve.js';
import type { ConfigProblem, LendosConfig } from '../core/config/types.js';
import { LazyExecutorRegistry } from '../engine/registry.js';
import { ReleaseService } from '../engine/release-service.js';
import { StepRunner } from '../engine/step-runner.js';
import { AUTOMATED_STEPS } from '../steps/automated.js';

export interface CliContext {
  readonly root: string;
  readonly service: ReleaseService;
  readonly runner: StepRunner;
  readonly config: LendosConfig;
  readonly problems: readonly ConfigProblem[];
  readonly journalPath: (version: string) => string;
  readonly world?: RehearsalWorld;
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

export async function createContext(workspace: string | undefined, worldFile?: string): Promise<CliContext> {
  const world = worldFile ? loadWorldFile<RehearsalWorld & { workspace: { lendos: string } }>(worldFile) : undefined;
  if (world && workspace === undefined && !existsSync(path.join(world.workspace.lendos, '.git'))) {
    throw new WorldFileError(
      `${path.resolve(worldFile as string)} names the workspace ${world.workspace.lendos}, which is not a git repository: pass the ` +
        'world.json of a running rehearsal (its workspace is the clone it made), or --workspace DIR. Nothing was done.',
    );
  }
  const root = findWorkspaceRoot(workspace ?? (world ? world.workspace.lendos : process.cwd()));
  const { layer, error } = await readConfigFile(root);
  const resolved = resolveConfig(layer ? [layer] : []);
  const config = withRehearsal(resolved.config, world);
  const problems = error ? [{ path: '.lendos/config.yaml', message: error }, ...resolved.problems] : resolved.problems;
  const store = new FileJournalStore(root);
  const repo = new GitWorkspaceRepo(root);
  const registry = new LazyExecutorRegistry(AUTOMATED_STEPS, async () => (await import('../steps/index.js')).allExecutors());
  const service = new ReleaseService({
    store,
    repo,
    clock: systemClock,
    config: () => config,
    isAutomated: (id) => registry.isAutomated(id),
    configProblems: () => problems,
  });
  const runner = new StepRunner(service, registry, createStepPorts(root, () => config, () => world, () => repo.actor()), new FileRunLocks(root), 'cli');
  return { root, service, runner, config, problems, journalPath: (v) => store.pathOf(v), world };
}
