/**
 * The Git port on the git binary: argument arrays in a process group of its own (the Processes adapter's runner), never
 * a shell; failures keep git's stderr. A network call given a signal is cancelled by killing git and everything it
 * started (ssh, a remote helper, a local upload-pack), and rejects with the signal's reason.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Git, GitCommit, GitStatusEntry } from '../ports.js';
import { runInGroup } from './processes.js';

/** After a cancel's SIGTERM (git removes its lock files on it), how long git gets before SIGKILL. */
const KILL_GRACE_MS = 1_000;

/** `Unable to create '<path>.lock': File exists.`: the lock file git found, when that is why it failed. */
export function lockInTheWay(stderr: string): string | undefined {
  return /Unable to create '([^']+\.lock)': File exists/.exec(stderr)?.[1];
}

/** A git command that failed: the command line and git's own words, shown in the step's log. */
export class GitError extends Error {
  /** A lock file that blocked the command (left by a git that is still running, or was killed holding it). */
  readonly lock: string | undefined;

  constructor(
    readonly args: readonly string[],
    readonly exitCode: number | string,
    readonly stderr: string,
  ) {
    const said = stderr.trim() || '(git printed nothing on stderr)';
    const lock = lockInTheWay(stderr);
    const advice = lock
      ? `\n${lock} is in the way: a git command is still working in this repository, or one was stopped (killed, ` +
        `a crash) while it held this lock. If no git command is running there, delete ${lock} and run the step again.`
      : '';
    super(`git ${args.join(' ')} failed (exit ${exitCode}):\n${said}${advice}`);
    this.name = 'GitError';
    this.lock = lock;
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

/**
 * Runs git and answers its exit code; a git that cannot start, or is ended by a signal, rejects. Aborting `signal`
 * kills git's process group and rejects with the signal's reason (unless git had already succeeded).
 */
async function gitResult(cwd: string, args: readonly string[], signal?: AbortSignal): Promise<Result> {
  const output = { stdout: [] as string[], stderr: [] as string[] };
  const onOutput = (chunk: string, stream: 'stdout' | 'stderr') => output[stream].push(chunk);
  const request = {
    command: 'git',
    args,
    cwd,
    env: environment(),
    signal,
    killGraceMs: KILL_GRACE_MS,
    onOutput,
  };
  const ended = await runInGroup(request).catch((error: unknown) => {
    if (signal?.aborted) throw signal.reason;
    throw new GitError(args, 'spawn', error instanceof Error ? error.message : String(error));
  });
  const [stdout, stderr] = [output.stdout.join(''), output.stderr.join('')];
  if (signal?.aborted && ended.exitCode !== 0) throw signal.reason;
  if (ended.exitCode === null) throw new GitError(args, ended.signal ?? 'signal', stderr);
  return { stdout, stderr, exitCode: ended.exitCode };
}

async function git(cwd: string, args: readonly string[], signal?: AbortSignal): Promise<string> {
  const result = await gitResult(cwd, args, signal);
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
  async fetch(cwd: string, remote: string, signal?: AbortSignal): Promise<void> {
    await git(cwd, ['fetch', '--prune', '--quiet', remote], signal);
  }

  async clone(url: string, dir: string, signal?: AbortSignal): Promise<void> {
    await fs.mkdir(path.dirname(dir), { recursive: true });
    // `--` ends the options: a URL or folder that starts with "-" is still only a URL or a folder.
    await git(path.dirname(dir), ['clone', '--quiet', '--', url, dir], signal);
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

  /** The fetch is cancellable; the merge that updates the working tree is local and is never cut off halfway. */
  async pullFastForward(cwd: string, remote: string, branch: string, signal?: AbortSignal): Promise<void> {
    await git(cwd, ['fetch', '--quiet', remote, `refs/heads/${branch}`], signal);
    signal?.throwIfAborted();
    await git(cwd, ['merge', '--ff-only', '--quiet', 'FETCH_HEAD']);
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

  async remoteUrl(cwd: string, remote: string): Promise<string | undefined> {
    const result = await gitResult(cwd, ['remote', 'get-url', remote]);
    return result.exitCode === 0 ? result.stdout.trim() || undefined : undefined;
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
    options: { setUpstream?: boolean; signal?: AbortSignal } = {},
  ): Promise<void> {
    const upstream = options.setUpstream ? ['--set-upstream'] : [];
    const refspec = `refs/heads/${branch}:refs/heads/${branch}`;
    await git(cwd, ['push', '--quiet', ...upstream, remote, refspec], options.signal);
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

  async conflictingFiles(cwd: string, ours: string, theirs: string): Promise<string[] | undefined> {
    const args = ['merge-tree', '--write-tree', '--name-only', '--no-messages', '-z', ours, theirs];
    const result = await gitResult(cwd, args);
    if (result.exitCode === 0) return [];
    // 1: conflicts (the tree, then each conflicted path); 129: an older git without --write-tree.
    if (result.exitCode !== 1) return undefined;
    return [...new Set(result.stdout.split('\0').slice(1).filter(Boolean))];
  }

  async lastCommit(cwd: string, ref: string, file?: string): Promise<GitCommit | undefined> {
    const args = ['log', '-1', '--format=%H%x00%cI', ref, '--', ...(file ? [file] : [])];
    const result = await gitResult(cwd, args);
    if (result.exitCode !== 0) return undefined;
    const [sha, date] = result.stdout.trim().split('\0');
    return sha && date ? { sha, date } : undefined;
  }
}
