import { chmod, mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { git, type GitIdentity } from './git.js';
import type { Person } from './identities.js';

/** A file's content: inline text, or a fixture file with optional text replacements (for older versions). */
export type FileContent = string | { fixture: string; replace?: ReadonlyArray<readonly [string, string]> };

interface Authored {
  author: Person;
  /** ISO 8601 with offset; fixed, so the seeded SHAs are the same on every run. */
  date: string;
  message: string;
}

export type HistoryStep =
  | (Authored & {
      kind: 'commit';
      branch: string;
      /** Fixture files or folders (relative to the repository's fixture root) to write, recursively. */
      include?: string[];
      exclude?: string[];
      files?: Record<string, FileContent>;
    })
  | { kind: 'branch'; name: string; from: string }
  | (Authored & { kind: 'merge'; into: string; from: string });

export interface RepositoryPlan {
  /** Fixture folder of this repository under rehearsal/fixtures. */
  fixtureRoot: string;
  defaultBranch: string;
  steps: HistoryStep[];
}

const identity = (person: Person, date: string): GitIdentity => ({ name: person.name, email: person.email, date });

async function listFixtureFiles(root: string, path: string): Promise<string[]> {
  const absolute = join(root, path);
  if (!(await stat(absolute)).isDirectory()) return [path];
  const entries = await readdir(absolute, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(root, join(e.parentPath, e.name)))
    .sort();
}

async function resolveContent(root: string, content: FileContent): Promise<{ text: string; executable: boolean }> {
  if (typeof content === 'string') return { text: content, executable: false };
  const path = join(root, content.fixture);
  let text = await readFile(path, 'utf8');
  for (const [from, to] of content.replace ?? []) text = text.split(from).join(to);
  const executable = ((await stat(path)).mode & 0o111) !== 0 || /\.(sh|mjs)$/.test(content.fixture);
  return { text, executable };
}

async function filesOfCommit(root: string, step: Extract<HistoryStep, { kind: 'commit' }>) {
  const files = new Map<string, FileContent>();
  for (const path of step.include ?? []) {
    for (const file of await listFixtureFiles(root, path)) {
      if (!(step.exclude ?? []).includes(file)) files.set(file, { fixture: file });
    }
  }
  for (const [path, content] of Object.entries(step.files ?? {})) files.set(path, content);
  return files;
}

async function checkout(work: string, branch: string): Promise<void> {
  const current = (await git(['symbolic-ref', '--short', 'HEAD'], { cwd: work, isolated: true })).trim();
  if (current !== branch) await git(['checkout', '--quiet', branch], { cwd: work, isolated: true });
}

async function applyCommit(work: string, root: string, step: Extract<HistoryStep, { kind: 'commit' }>) {
  await checkout(work, step.branch);
  const executables: string[] = [];
  for (const [path, content] of await filesOfCommit(root, step)) {
    const { text, executable } = await resolveContent(root, content);
    const target = join(work, path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, text);
    await chmod(target, executable ? 0o755 : 0o644);
    if (executable) executables.push(path);
  }
  await git(['add', '--all'], { cwd: work, isolated: true });
  if (executables.length > 0) await git(['add', '--chmod=+x', '--', ...executables], { cwd: work, isolated: true });
  const who = identity(step.author, step.date);
  await git(['commit', '--quiet', '--no-verify', '-m', step.message], { cwd: work, isolated: true, author: who });
}

async function applyStep(work: string, root: string, step: HistoryStep): Promise<void> {
  switch (step.kind) {
    case 'commit':
      return applyCommit(work, root, step);
    case 'branch':
      await git(['branch', step.name, step.from], { cwd: work, isolated: true });
      return;
    case 'merge': {
      await checkout(work, step.into);
      const who = identity(step.author, step.date);
      await git(['merge', '--quiet', '--no-ff', '--no-verify', '-m', step.message, step.from], {
        cwd: work,
        isolated: true,
        author: who,
      });
    }
  }
}

/** Builds the planned history in a scratch repository and turns it into a bare repository at `destination`. */
export async function buildBareRepository(plan: RepositoryPlan, fixturesDir: string, destination: string): Promise<void> {
  const root = join(fixturesDir, plan.fixtureRoot);
  const work = await mkdtemp(join(tmpdir(), 'lendos-seed-'));
  try {
    const firstBranch = plan.steps.find((s) => s.kind === 'commit')?.branch ?? plan.defaultBranch;
    await git(['init', '--quiet', '--initial-branch', firstBranch, work], { cwd: tmpdir(), isolated: true });
    for (const step of plan.steps) await applyStep(work, root, step);
    await git(['clone', '--quiet', '--bare', '--no-local', work, destination], { cwd: tmpdir(), isolated: true });
    await git(['remote', 'remove', 'origin'], { cwd: destination, isolated: true });
    await git(['symbolic-ref', 'HEAD', `refs/heads/${plan.defaultBranch}`], { cwd: destination, isolated: true });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
