/** Facts about the workspace's git repository, read with the git binary (argument arrays, no shell). */
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { WorkspaceRepo } from '../ports.js';

function git(cwd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('git', args, { cwd, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 }, (error, stdout) =>
      error ? reject(error) : resolve(stdout),
    );
  });
}

export class GitWorkspaceRepo implements WorkspaceRepo {
  constructor(readonly root: string) {}

  async isGitRepository(): Promise<boolean> {
    return git(this.root, ['rev-parse', '--is-inside-work-tree']).then(
      (out) => out.trim() === 'true',
      () => false,
    );
  }

  async branches(): Promise<string[]> {
    const out = await git(this.root, ['for-each-ref', '--format=%(refname)', 'refs/heads', 'refs/remotes']);
    return out
      .split('\n')
      .filter(Boolean)
      .map((ref) => ref.replace(/^refs\/heads\//, '').replace(/^refs\/remotes\//, ''));
  }

  async readVersionFile(): Promise<string | undefined> {
    return fs.readFile(path.join(this.root, 'VERSION'), 'utf8').catch(() => undefined);
  }

  async actor(): Promise<string> {
    const read = (key: string) => git(this.root, ['config', '--get', key]).then((s) => s.trim(), () => '');
    const [name, email] = await Promise.all([read('user.name'), read('user.email')]);
    if (name) return email ? `${name} <${email}>` : name;
    return os.userInfo().username;
  }

  /** The repository's git directory (for `.git/info/exclude`), resolving worktrees. */
  async gitDir(): Promise<string | undefined> {
    return git(this.root, ['rev-parse', '--absolute-git-dir']).then(
      (s) => s.trim() || undefined,
      () => undefined,
    );
  }
}
