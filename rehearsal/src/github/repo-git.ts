import { git, gitResult, type GitIdentity } from '../git/git.js';

/** One commit as the GitHub server describes it. */
export interface CommitInfo {
  sha: string;
  tree: string;
  parents: string[];
  author: { name: string; email: string; date: string };
  committer: { name: string; email: string; date: string };
  message: string;
}

export interface ChangedFile {
  filename: string;
  previousFilename?: string;
  status: 'added' | 'removed' | 'modified' | 'renamed' | 'changed';
  sha: string;
  additions: number;
  deletions: number;
}

const FILE_STATUS: Record<string, ChangedFile['status']> = { A: 'added', D: 'removed', M: 'modified', R: 'renamed' };
const FIELD = '%x1f';
const LOG_FORMAT = ['%H', '%T', '%P', '%an', '%ae', '%aI', '%cn', '%ce', '%cI', '%B'].join(FIELD) + '%x1e';

function parseLog(output: string): CommitInfo[] {
  return output
    .split('\x1e')
    .map((record) => record.replace(/^\n/, ''))
    .filter((record) => record.length > 0)
    .map((record) => {
      const [sha = '', tree = '', parents = '', an = '', ae = '', ad = '', cn = '', ce = '', cd = '', message = ''] =
        record.split('\x1f');
      return {
        sha,
        tree,
        parents: parents.split(' ').filter(Boolean),
        author: { name: an, email: ae, date: ad },
        committer: { name: cn, email: ce, date: cd },
        message: message.replace(/\n+$/, ''),
      };
    });
}

/** Git plumbing on one bare repository, for the GitHub API. */
export class RepoGit {
  constructor(readonly gitDir: string) {}

  private run(args: string[], identity?: { author: GitIdentity; committer: GitIdentity }) {
    return git(args, { cwd: this.gitDir, ...identity });
  }

  async branches(): Promise<Map<string, string>> {
    const out = await this.run(['for-each-ref', '--format=%(refname:strip=2) %(objectname)', 'refs/heads/']);
    const tips = new Map<string, string>();
    for (const line of out.split('\n').filter(Boolean)) {
      const space = line.lastIndexOf(' ');
      tips.set(line.slice(0, space), line.slice(space + 1));
    }
    return tips;
  }

  /** Resolves a branch, tag or SHA to a commit SHA; undefined when it names nothing. */
  async resolve(rev: string): Promise<string | undefined> {
    if (!rev || rev.startsWith('-')) return undefined;
    const result = await gitResult(['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`], {
      cwd: this.gitDir,
    });
    return result.exitCode === 0 ? result.stdout.trim() : undefined;
  }

  async refSha(ref: string): Promise<string | undefined> {
    const result = await gitResult(['rev-parse', '--verify', '--quiet', '--end-of-options', ref], { cwd: this.gitDir });
    return result.exitCode === 0 ? result.stdout.trim() : undefined;
  }

  async refs(prefix: string): Promise<Array<{ ref: string; sha: string }>> {
    const out = await this.run(['for-each-ref', '--format=%(refname) %(objectname)', prefix]);
    return out
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [ref = '', sha = ''] = line.split(' ');
        return { ref, sha };
      });
  }

  async isCommit(sha: string): Promise<boolean> {
    const result = await gitResult(['cat-file', '-t', sha], { cwd: this.gitDir });
    return result.exitCode === 0 && result.stdout.trim() === 'commit';
  }

  /** Moves a ref only if it still points at `expectedOld` (empty string = must not exist). */
  async updateRef(ref: string, sha: string, expectedOld?: string): Promise<boolean> {
    const args = ['update-ref', ref, sha, ...(expectedOld === undefined ? [] : [expectedOld])];
    return (await gitResult(args, { cwd: this.gitDir })).exitCode === 0;
  }

  async deleteRef(ref: string): Promise<boolean> {
    return (await gitResult(['update-ref', '-d', ref], { cwd: this.gitDir })).exitCode === 0;
  }

  async commit(sha: string): Promise<CommitInfo | undefined> {
    const result = await gitResult(['log', '-1', `--format=${LOG_FORMAT}`, sha, '--'], { cwd: this.gitDir });
    return result.exitCode === 0 ? parseLog(result.stdout)[0] : undefined;
  }

  /** Commits reachable from `head` but not from `base`, oldest first. */
  async commitsBetween(base: string, head: string, max = 250): Promise<CommitInfo[]> {
    const out = await this.run(['log', '--reverse', `--format=${LOG_FORMAT}`, `${base}..${head}`, '--']);
    return parseLog(out).slice(0, max);
  }

  async log(head: string, max: number): Promise<CommitInfo[]> {
    return parseLog(await this.run(['log', `--max-count=${max}`, `--format=${LOG_FORMAT}`, head, '--']));
  }

  async firstParentLog(head: string, max: number): Promise<CommitInfo[]> {
    const out = await this.run(['log', '--first-parent', `--max-count=${max}`, `--format=${LOG_FORMAT}`, head, '--']);
    return parseLog(out);
  }

  async aheadBehind(base: string, head: string): Promise<{ ahead: number; behind: number }> {
    const out = await this.run(['rev-list', '--left-right', '--count', `${base}...${head}`]);
    const [behind = '0', ahead = '0'] = out.trim().split(/\s+/);
    return { ahead: Number(ahead), behind: Number(behind) };
  }

  async mergeBase(a: string, b: string): Promise<string | undefined> {
    const result = await gitResult(['merge-base', a, b], { cwd: this.gitDir });
    return result.exitCode === 0 ? result.stdout.trim() : undefined;
  }

  /** Files changed from the merge base of `base` and `head` to `head` (GitHub's three-dot diff). */
  async changedFiles(base: string, head: string): Promise<ChangedFile[]> {
    const from = (await this.mergeBase(base, head)) ?? base;
    const raw = await this.run(['diff', '--raw', '--no-abbrev', '-M', from, head]);
    const numstat = await this.run(['diff', '--numstat', '-M', from, head]);
    const counts = numstat.split('\n').filter(Boolean);
    return raw
      .split('\n')
      .filter(Boolean)
      .map((line, index) => {
        const [meta = '', ...paths] = line.split('\t');
        const [, , , newSha = '', code = 'M'] = meta.split(' ');
        const [additions = '0', deletions = '0'] = (counts[index] ?? '').split('\t');
        const status = FILE_STATUS[code.charAt(0)] ?? 'changed';
        const renamed = status === 'renamed';
        return {
          filename: (renamed ? paths[1] : paths[0]) ?? '',
          ...(renamed ? { previousFilename: paths[0] ?? '' } : {}),
          status,
          sha: newSha,
          additions: Number(additions) || 0,
          deletions: Number(deletions) || 0,
        };
      });
  }

  /** Merges two commits without a worktree: the merged tree, or undefined when they conflict. */
  async mergeTree(ours: string, theirs: string, mergeBase?: string): Promise<string | undefined> {
    const [left, right] = mergeBase ? await this.rootedAt(mergeBase, ours, theirs) : [ours, theirs];
    const result = await gitResult(['merge-tree', '--write-tree', '--no-messages', left, right], { cwd: this.gitDir });
    if (result.exitCode === 1) return undefined;
    if (result.exitCode !== 0) throw new Error(`git merge-tree failed: ${result.stderr.trim()}`);
    return result.stdout.split('\n')[0]?.trim();
  }

  /**
   * Throwaway commits of `ours` and `theirs` whose only common ancestor has the tree of `base`, so merge-tree
   * merges against exactly that base (git before 2.40 has no `merge-tree --merge-base`).
   */
  private async rootedAt(base: string, ours: string, theirs: string): Promise<[string, string]> {
    const who: GitIdentity = { name: 'GitHub', email: 'noreply@github.com', date: '2000-01-01T00:00:00Z' };
    const commit = (rev: string, parents: string[]) =>
      this.commitTree(`${rev}^{tree}`, parents, 'merge base', who, who);
    const root = await commit(base, []);
    return Promise.all([commit(ours, [root]), commit(theirs, [root])]);
  }

  async commitTree(tree: string, parents: string[], message: string, author: GitIdentity, committer: GitIdentity) {
    const args = ['commit-tree', tree, ...parents.flatMap((p) => ['-p', p]), '-m', message];
    return (await this.run(args, { author, committer })).trim();
  }

  async readBlob(rev: string, path: string): Promise<Buffer | undefined> {
    const result = await gitResult(['cat-file', 'blob', `${rev}:${path}`], { cwd: this.gitDir });
    return result.exitCode === 0 ? Buffer.from(result.stdout, 'utf8') : undefined;
  }

  /** Entries of a tree at `rev:path` ('' = root), or undefined when the path is not a folder. */
  async listTree(rev: string, path: string) {
    const spec = path ? `${rev}:${path}` : `${rev}^{tree}`;
    const result = await gitResult(['ls-tree', '-l', spec], { cwd: this.gitDir });
    if (result.exitCode !== 0) return undefined;
    return result.stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [meta = '', name = ''] = line.split('\t');
        const [mode = '', type = '', sha = '', size = '-'] = meta.split(/\s+/);
        return { mode, type, sha, size: size === '-' ? 0 : Number(size), name };
      });
  }

  async objectType(rev: string, path: string): Promise<'blob' | 'tree' | undefined> {
    const result = await gitResult(['cat-file', '-t', path ? `${rev}:${path}` : `${rev}^{tree}`], { cwd: this.gitDir });
    const type = result.stdout.trim();
    return result.exitCode === 0 && (type === 'blob' || type === 'tree') ? type : undefined;
  }
}
