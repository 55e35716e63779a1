/** Real git repositories in temporary folders for integration tests. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The environment for git commits made as the tests' engineer, Ada (a fresh machine has no git identity). */
export function asAda(): NodeJS.ProcessEnv {
  return { ...process.env, GIT_AUTHOR_NAME: 'Ada', GIT_AUTHOR_EMAIL: 'ada@example.com', GIT_COMMITTER_NAME: 'Ada', GIT_COMMITTER_EMAIL: 'ada@example.com' };
}

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export interface TempRepo {
  readonly root: string;
  cleanup(): void;
}

/** A small lendos-shaped repository: VERSION, develop and main, and the given release branches. */
export function lendosRepo(options: { version?: string | null; releaseBranches?: string[] } = {}): TempRepo {
  const root = mkdtempSync(path.join(os.tmpdir(), 'lendos-it-'));
  git(root, 'init', '-q', '-b', 'main');
  git(root, 'config', 'user.name', 'Ada Release');
  git(root, 'config', 'user.email', 'ada@example.com');
  if (options.version !== null) writeFileSync(path.join(root, 'VERSION'), `${options.version ?? '2025.3.0'}\n`);
  writeFileSync(path.join(root, 'BRANCHING.md'), '# Branching\n');
  git(root, 'add', '-A');
  git(root, 'commit', '-qm', 'Initial commit');
  git(root, 'branch', 'develop');
  for (const branch of options.releaseBranches ?? []) git(root, 'branch', branch);
  return { root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

export function tempDir(): TempRepo {
  const root = mkdtempSync(path.join(os.tmpdir(), 'lendos-it-'));
  return { root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** A process's state and process group, from /proc (undefined once it is gone). */
function procStat(pid: number | string): { state: string; pgid: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0] ?? '', pgid: Number(fields[2]) };
  } catch {
    return undefined; // The process ended while we looked.
  }
}

/** The process group of a running process. */
export function processGroupOf(pid: number): number | undefined {
  return procStat(pid)?.pgid;
}

/** Live (not zombie) processes of a process group, read from /proc. */
export function groupMembers(pgid: number): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      const stat = procStat(entry);
      return stat?.pgid === pgid && stat.state !== 'Z';
    })
    .map(Number);
}
