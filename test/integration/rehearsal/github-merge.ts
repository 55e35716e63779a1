/** Merges into the world's lendos `main` as a person would through GitHub: a branch pushed, a pull request, a merge. */
import { execFileSync } from 'node:child_process';
import { Octokit } from '@octokit/rest';
import type { World } from '../../../rehearsal/src/index.js';
import { asAda } from '../helpers.js';

export const OWNER = 'rplendos';
export const REPO = 'lendos';

export function octokitFor(world: World): Octokit {
  const { apiUrl, token } = world.description.github;
  return new Octokit({
    baseUrl: apiUrl,
    auth: token,
    log: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
  });
}

/** Commits `file` with `text` on `branch` (created from origin/develop the first time) in the world's clone and pushes it. */
export function pushCommit(world: World, branch: string, file: string, text: string): void {
  const cwd = world.description.workspace.lendos;
  const env = asAda();
  // The remote is a bare repository on disk: git never waits on this process's servers, so a synchronous child is fine.
  const git = (...args: string[]) => execFileSync('git', args, { cwd, env, stdio: 'pipe' }).toString().trim();
  const exists = git('branch', '--list', branch) !== '';
  git('checkout', '-q', exists ? branch : '-B', ...(exists ? [] : [branch, 'origin/develop']));
  execFileSync('sh', ['-c', `printf '%s\\n' "$1" > "$2"`, 'sh', text, file], { cwd });
  git('add', file);
  git('commit', '-qm', `${file}: ${text}`);
  git('push', '-q', 'origin', branch);
}

/** Opens `head` → main and merges it with a merge commit; answers the merge commit (what 2.2 Merge records). */
export async function mergeIntoMain(world: World, head: string): Promise<string> {
  const gh = octokitFor(world);
  const { data: pull } = await gh.rest.pulls.create({
    owner: OWNER,
    repo: REPO,
    head,
    base: 'main',
    title: `Merge ${head}`,
    body: 'test',
  });
  const { data } = await gh.rest.pulls.merge({
    owner: OWNER,
    repo: REPO,
    pull_number: pull.number,
    sha: pull.head.sha,
    merge_method: 'merge',
  });
  return data.sha;
}
