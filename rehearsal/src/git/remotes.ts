import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Fault, Scenario, WorldClock } from '../contracts.js';
import { git } from './git.js';
import { buildBareRepository } from './history.js';
import { PEOPLE } from './identities.js';
import { lendosPlan } from './lendos-history.js';
import { workloadsPlan } from './workloads-history.js';

/** Bare repository paths of the world's two git remotes. */
export interface Remotes {
  lendos: string;
  workloads: string;
}

export interface RemotesOptions {
  clock: WorldClock;
  scenario: Scenario;
  /** Where the seeded files live; defaults to rehearsal/fixtures beside this source. */
  fixturesDir?: string;
  /** Keep remotes already in `dir` (a restarted rehearsal) instead of seeding them afresh. */
  reuse?: boolean;
}

export interface CloneOptions {
  /** Scenario whose `script-fails` faults the repository's scripts should honour. */
  scenario?: Scenario;
  branch?: string;
}

/** Where the repository scripts look for injected faults, inside a clone's git directory (never committed). */
export const FAULTS_FILE = join('lendos-rehearsal', 'faults.json');

/** `rehearsal/fixtures`, found upwards from this module (it runs from `rehearsal/src/git` or bundled in `dist`). */
export function defaultFixturesDir(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    for (const candidate of [join(dir, 'rehearsal', 'fixtures'), join(dir, 'fixtures')]) {
      if (existsSync(join(candidate, 'lendos', 'VERSION')) || existsSync(join(candidate, 'lendos', 'BRANCHING.md'))) return candidate;
    }
    if (dirname(dir) === dir) return resolve(__dirname, '..', '..', 'fixtures');
  }
}

async function seed(destination: string, plan: ReturnType<typeof lendosPlan>, options: RemotesOptions) {
  if (existsSync(destination)) {
    if (options.reuse) return;
    await rm(destination, { recursive: true, force: true });
  }
  await buildBareRepository(plan, options.fixturesDir ?? defaultFixturesDir(), destination);
}

/** Creates the bare `lendos` and `lendos-eks-workloads` remotes under `dir` with their seeded history. */
export async function createRemotes(dir: string, options: RemotesOptions): Promise<Remotes> {
  await mkdir(dir, { recursive: true });
  const remotes: Remotes = {
    lendos: join(resolve(dir), 'lendos.git'),
    workloads: join(resolve(dir), 'lendos-eks-workloads.git'),
  };
  await seed(remotes.lendos, lendosPlan(), options);
  await seed(remotes.workloads, workloadsPlan(), options);
  return remotes;
}

/** Writes the scenario's faults where the repository scripts of a clone find them. */
export async function writeScenarioFaults(clone: string, faults: readonly Fault[]): Promise<void> {
  const commonDir = (await git(['rev-parse', '--path-format=absolute', '--git-common-dir'], { cwd: clone })).trim();
  const file = join(commonDir, FAULTS_FILE);
  await mkdir(join(commonDir, 'lendos-rehearsal'), { recursive: true });
  await writeFile(file, `${JSON.stringify(faults, null, 2)}\n`);
}

/** Clones a remote into `dest` as an engineer's working copy, with a commit identity of its own. */
export async function cloneWorkspace(remote: string, dest: string, options: CloneOptions = {}): Promise<void> {
  const args = ['clone', '--quiet', ...(options.branch ? ['--branch', options.branch] : []), remote, dest];
  await git(args, { cwd: process.cwd() });
  await git(['config', 'user.name', PEOPLE.engineer.name], { cwd: dest });
  await git(['config', 'user.email', PEOPLE.engineer.email], { cwd: dest });
  if (options.scenario) await writeScenarioFaults(dest, options.scenario.faults);
}
