/**
 * The `gitflow-conflict` scenario: while the release was on its way to main, develop moved on — someone started the
 * next release there and bumped VERSION. When the release PR merges into main, that commit lands on develop, so the
 * main → develop sync (runbook 3.4) conflicts on VERSION: GitHub shows the PR as `dirty` and refuses to merge it.
 */
import { randomUUID } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { git } from '../git/git.js';
import { PEOPLE } from '../git/identities.js';
import { isoSeconds } from './http.js';
import type { GitHubState, PullRecord, RepoContext } from './state.js';

const RELEASE = /^release\/(\d{4})\.(\d+)\.\d+$/;

/** `release/2025.4.0` → `2025.5.0`: the release after it. */
function nextVersion(branch: string): string | undefined {
  const match = RELEASE.exec(branch);
  return match ? `${match[1]}.${Number(match[2]) + 1}.0` : undefined;
}

/** Commits `files` on top of `parent` in the bare repository (no worktree): a scratch index, then commit-tree. */
async function commitOnto(
  repo: RepoContext,
  parent: string,
  files: Record<string, string>,
  message: string,
  date: string,
) {
  const cwd = repo.git.gitDir;
  const scratch = join(tmpdir(), `lendos-world-${randomUUID()}`);
  const env = { GIT_INDEX_FILE: `${scratch}.index` };
  try {
    await git(['read-tree', parent], { cwd, env });
    for (const [path, content] of Object.entries(files)) {
      await writeFile(scratch, content);
      const blob = (await git(['hash-object', '-w', scratch], { cwd })).trim();
      await git(['update-index', '--add', '--cacheinfo', `100644,${blob},${path}`], { cwd, env });
    }
    const tree = (await git(['write-tree'], { cwd, env })).trim();
    const who = { name: PEOPLE.tom.name, email: PEOPLE.tom.email, date };
    return await repo.git.commitTree(tree, [parent], message, who, who);
  } finally {
    await Promise.all([rm(scratch, { force: true }), rm(`${scratch}.index`, { force: true })]);
  }
}

/** After a release PR merged into main: in the `gitflow-conflict` scenario, develop starts the next release. */
export async function developMovesOn(state: GitHubState, repo: RepoContext, pr: PullRecord): Promise<void> {
  if (!state.world.scenario.faults.some((f) => f.kind === 'gitflow-conflict')) return;
  const next = nextVersion(pr.head);
  const develop = await repo.git.refSha('refs/heads/develop');
  if (repo.name !== 'lendos' || pr.base !== 'main' || !next || !develop) return;
  const message = `Start ${next} on develop: bump VERSION`;
  const commit = await commitOnto(repo, develop, { VERSION: `${next}\n` }, message, isoSeconds(state.now()));
  await repo.git.updateRef('refs/heads/develop', commit, develop);
}
