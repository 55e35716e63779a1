/** The Git port on the git binary: argument arrays through execFile, never a shell; failures keep git's stderr. */
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Git, GitCommit, GitStatusEntry } from '../ports.js';

/** A git command that failed: the command line and git's own words, shown in the step's log. */
export class GitError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly exitCode: number | string,
    readonly stderr: string,
  ) {
    const said = stderr.trim() || '(git printed nothing on stderr)';
    super(`git ${args.join(' ')} failed (exit ${exitCode}):\n${said}`);
    this.name = 'GitError';
  }
}

interface Result {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

// A hook or an outer git command would otherwise point every command at another repository.
const INHERITED = ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_OBJECT_DIRECTORY', 'GIT_COMMON_DIR'];

function environment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, GIT_TERMINAL_PROMPT: '0' };
  for (const name of INHERITED) delete env[name];
  return env;
}

/** Runs git and answers its exit code; only a git that cannot start rejects. */
function gitResult(cwd: string, args: readonly string[]): Promise<Result> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      [...args],
      { cwd, env: environment(), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number')
          reject(new GitError(args, error.code ?? 'spawn', error.message));
        else resolve({ stdout, stderr, exitCode: error ? Number(error.code) : 0 });
      },
    );
  });
}

async function git(cwd: string, args: readonly string[]): Promise<string> {
  const result = await gitResult(cwd, args);
  if (result.exitCode !== 0) throw new GitError(args, result.exitCode, result.stderr);
  return result.stdout;
}

/** Parses `git status --porcelain=v1 -z`: renames carry their old path as an extra field, which is skipped. */
export function parsePorcelain(output: string): GitStatusEntry[] {
  const fields = output.split('\0');
  const entries: GitStatusEntry[] = [];
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i] ?? '';
    if (field.length < 4) continue;
    const code = field.slice(0, 2);
    entries.push({ code, path: field.slice(3) });
    if (code.includes('R') || code.includes('C')) i++;
  }
  return entries;
}

/** Refuses a path that leaves the working tree, so a bad input cannot write elsewhere. */
function insideTree(cwd: string, relative: string): string {
  const absolute = path.resolve(cwd, relative);
  if (path.isAbsolute(relative) || !absolute.startsWith(path.resolve(cwd) + path.sep)) {
    throw new Error(`${relative} is not a path inside the repository at ${cwd}`);
  }
  return absolute;
}

export class GitCli implements Git {
  async fetch(cwd: string, remote: string): Promise<void> {
    await git(cwd, ['fetch', '--prune', '--quiet', remote]);
  }

  async status(
    cwd: string,
    options: { paths?: readonly string[]; untracked?: boolean } = {},
  ): Promise<GitStatusEntry[]> {
    const untracked = options.untracked ? '--untracked-files=all' : '--untracked-files=no';
    const paths = options.paths && options.paths.length > 0 ? ['--', ...options.paths] : [];
    return parsePorcelain(await git(cwd, ['status', '--porcelain=v1', '-z', untracked, ...paths]));
  }

  async currentBranch(cwd: string): Promise<string | undefined> {
    const result = await gitResult(cwd, ['symbolic-ref', '--quiet', '--short', 'HEAD']);
    return result.exitCode === 0 ? result.stdout.trim() || undefined : undefined;
  }

  async checkout(cwd: string, branch: string): Promise<void> {
    await git(cwd, ['checkout', '--quiet', branch, '--']);
  }

  async pullFastForward(cwd: string, remote: string, branch: string): Promise<void> {
    await git(cwd, ['pull', '--ff-only', '--quiet', remote, branch]);
  }

  async revParse(cwd: string, ref: string): Promise<string | undefined> {
    const result = await gitResult(cwd, [
      'rev-parse',
      '--verify',
      '--quiet',
      '--end-of-options',
      `${ref}^{commit}`,
    ]);
    return result.exitCode === 0 ? result.stdout.trim() : undefined;
  }

  async localBranchExists(cwd: string, branch: string): Promise<boolean> {
    return (await this.revParse(cwd, `refs/heads/${branch}`)) !== undefined;
  }

  async remoteBranchExists(cwd: string, remote: string, branch: string): Promise<boolean> {
    return (await this.revParse(cwd, `refs/remotes/${remote}/${branch}`)) !== undefined;
  }

  async isAncestor(cwd: string, ancestor: string, descendant: string): Promise<boolean> {
    const args = ['merge-base', '--is-ancestor', ancestor, descendant];
    const result = await gitResult(cwd, args);
    if (result.exitCode > 1) throw new GitError(args, result.exitCode, result.stderr);
    return result.exitCode === 0;
  }

  async mergeBase(cwd: string, a: string, b: string): Promise<string | undefined> {
    const args = ['merge-base', a, b];
    const result = await gitResult(cwd, args);
    if (result.exitCode > 1) throw new GitError(args, result.exitCode, result.stderr);
    return result.exitCode === 0 ? result.stdout.trim() : undefined;
  }

  async countCommits(cwd: string, from: string, to: string): Promise<number> {
    return Number((await git(cwd, ['rev-list', '--count', `${from}..${to}`])).trim());
  }

  async createBranch(cwd: string, branch: string, startPoint: string): Promise<void> {
    await git(cwd, ['branch', '--no-track', branch, startPoint]);
  }

  async push(
    cwd: string,
    remote: string,
    branch: string,
    options: { setUpstream?: boolean } = {},
  ): Promise<void> {
    const upstream = options.setUpstream ? ['--set-upstream'] : [];
    await git(cwd, ['push', '--quiet', ...upstream, remote, `refs/heads/${branch}:refs/heads/${branch}`]);
  }

  async showFile(cwd: string, ref: string, file: string): Promise<string | undefined> {
    const result = await gitResult(cwd, ['show', `${ref}:${file}`]);
    return result.exitCode === 0 ? result.stdout : undefined;
  }

  async listFiles(cwd: string, ref: string): Promise<string[]> {
    const out = await git(cwd, ['ls-tree', '-r', '-z', '--name-only', '--end-of-options', ref]);
    return out.split('\0').filter(Boolean);
  }

  async commitFile(cwd: string, file: { path: string; content: string; message: string }): Promise<string> {
    await fs.writeFile(insideTree(cwd, file.path), file.content);
    await git(cwd, ['add', '--', file.path]);
    await git(cwd, ['commit', '--quiet', '-m', file.message, '--only', '--', file.path]);
    return (await git(cwd, ['rev-parse', 'HEAD'])).trim();
  }

  async commitPaths(cwd: string, paths: readonly string[], message: string): Promise<string | undefined> {
    if (paths.length === 0) return undefined;
    paths.forEach((p) => insideTree(cwd, p));
    await git(cwd, ['add', '--all', '--', ...paths]);
    const staged = await gitResult(cwd, ['diff', '--cached', '--quiet', '--', ...paths]);
    if (staged.exitCode === 0) return undefined;
    await git(cwd, ['commit', '--quiet', '-m', message, '--', ...paths]);
    return (await git(cwd, ['rev-parse', 'HEAD'])).trim();
  }

  async diffFile(cwd: string, file: string, from: string, to?: string): Promise<string> {
    return git(cwd, ['diff', from, ...(to ? [to] : []), '--', file]);
  }

  async lastCommit(cwd: string, ref: string, file?: string): Promise<GitCommit | undefined> {
    const args = ['log', '-1', '--format=%H%x00%cI', ref, '--', ...(file ? [file] : [])];
    const result = await gitResult(cwd, args);
    if (result.exitCode !== 0) return undefined;
    const [sha, date] = result.stdout.trim().split('\0');
    return sha && date ? { sha, date } : undefined;
  }
}
