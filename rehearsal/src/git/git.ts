import { execFile } from 'node:child_process';

/** A person as git records them, with the date of the act (ISO 8601). */
export interface GitIdentity {
  name: string;
  email: string;
  date: string;
}

export interface GitOptions {
  /** Working tree or bare repository the command runs in. */
  cwd: string;
  author?: GitIdentity;
  committer?: GitIdentity;
  /** Ignore the user's and the system's git configuration (for deterministic seeding). */
  isolated?: boolean;
  env?: Record<string, string>;
}

export interface GitResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export class GitError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly exitCode: number,
    readonly stderr: string,
  ) {
    super(`git ${args.join(' ')} failed (exit ${exitCode}): ${stderr.trim()}`);
    this.name = 'GitError';
  }
}

const INHERITED_GIT_VARIABLES = ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_OBJECT_DIRECTORY', 'GIT_COMMON_DIR'];

function gitEnvironment(options: GitOptions): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' };
  // A caller inside a git hook would otherwise point every command at its own repository.
  for (const name of INHERITED_GIT_VARIABLES) delete env[name];
  if (options.isolated) Object.assign(env, { GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' });
  if (options.author) {
    Object.assign(env, {
      GIT_AUTHOR_NAME: options.author.name,
      GIT_AUTHOR_EMAIL: options.author.email,
      GIT_AUTHOR_DATE: options.author.date,
    });
  }
  const committer = options.committer ?? options.author;
  if (committer) {
    Object.assign(env, {
      GIT_COMMITTER_NAME: committer.name,
      GIT_COMMITTER_EMAIL: committer.email,
      GIT_COMMITTER_DATE: committer.date,
    });
  }
  return { ...env, ...options.env };
}

/** Runs git with an argument array and reports its exit code instead of throwing. */
export function gitResult(args: readonly string[], options: GitOptions): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      [...args],
      { cwd: options.cwd, env: gitEnvironment(options), maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') {
          reject(error);
          return;
        }
        resolve({ stdout, stderr, exitCode: error ? Number(error.code) : 0 });
      },
    );
  });
}

/** Runs git and returns its standard output; a non-zero exit throws a GitError with stderr. */
export async function git(args: readonly string[], options: GitOptions): Promise<string> {
  const result = await gitResult(args, options);
  if (result.exitCode !== 0) throw new GitError(args, result.exitCode, result.stderr);
  return result.stdout;
}
