import type { GitIdentity } from '../git/git.js';
import { personByLogin } from '../git/identities.js';
import { DOCS, HttpError, isoSeconds } from './http.js';
import { pullShas } from './pull-shapes.js';
import type { CommitInfo } from './repo-git.js';
import type { GitHubState, PullRecord, RepoContext } from './state.js';

export type MergeMethod = 'merge' | 'squash' | 'rebase';

export interface MergeRequest {
  method: MergeMethod;
  commitTitle?: string;
  commitMessage?: string;
  /** The head SHA the caller expects; a moved head answers 409. */
  sha?: string;
}

const MERGE_DOCS = `${DOCS}/pulls/pulls#merge-a-pull-request`;
const notMergeable = (message = 'Pull Request is not mergeable') => new HttpError(405, message, MERGE_DOCS);

function identityOf(login: string, date: string): GitIdentity {
  const person = personByLogin(login);
  return person
    ? { name: person.name, email: person.email, date }
    : { name: login, email: `${login}@users.noreply.github.com`, date };
}

async function rebaseOnto(repo: RepoContext, commits: CommitInfo[], onto: string, committer: GitIdentity) {
  let current = onto;
  for (const commit of commits) {
    const [parent] = commit.parents;
    if (commit.parents.length !== 1 || !parent) throw notMergeable("This branch can't be rebased");
    const tree = await repo.git.mergeTree(current, commit.sha, parent);
    if (!tree) throw notMergeable("This branch can't be rebased");
    const author = { ...commit.author, date: commit.author.date };
    current = await repo.git.commitTree(tree, [current], commit.message, author, committer);
  }
  return current;
}

interface MergeInputs {
  shas: { head: string; base: string };
  login: string;
  owner: string;
  now: Date;
}

async function mergedCommit(repo: RepoContext, pr: PullRecord, request: MergeRequest, inputs: MergeInputs) {
  const { shas, login, owner, now } = inputs;
  const date = isoSeconds(now);
  const committer: GitIdentity = { name: 'GitHub', email: 'noreply@github.com', date };
  const commits = await repo.git.commitsBetween(shas.base, shas.head);
  if (request.method === 'rebase') return rebaseOnto(repo, commits, shas.base, committer);
  const tree = await repo.git.mergeTree(shas.base, shas.head);
  if (!tree) throw notMergeable();
  if (request.method === 'squash') {
    const title = request.commitTitle ?? `${pr.title} (#${pr.number})`;
    const message = request.commitMessage ?? commits.map((c) => `* ${c.message.split('\n')[0]}`).join('\n');
    return repo.git.commitTree(tree, [shas.base], `${title}\n\n${message}`, identityOf(pr.user, date), committer);
  }
  const title = request.commitTitle ?? `Merge pull request #${pr.number} from ${owner}/${pr.head}`;
  const message = request.commitMessage ?? pr.title;
  return repo.git.commitTree(tree, [shas.base, shas.head], `${title}\n\n${message}`, identityOf(login, date), committer);
}

/**
 * Merges a pull request for real in the bare repository (merge commit, squash or rebase, all without a worktree)
 * and moves the base branch only if nobody pushed to it meanwhile. Returns the new base tip.
 */
export async function mergePull(state: GitHubState, repo: RepoContext, pr: PullRecord, request: MergeRequest, login: string) {
  if (pr.state !== 'open') throw notMergeable();
  const shas = await pullShas(repo, pr);
  if (!shas.head || !shas.base) throw notMergeable();
  if (request.sha && request.sha !== shas.head) {
    throw new HttpError(409, 'Head branch was modified. Review and try the merge again.', MERGE_DOCS);
  }
  if ((await repo.git.aheadBehind(shas.base, shas.head)).ahead === 0) throw notMergeable();
  const now = state.now();
  const sha = await mergedCommit(repo, pr, request, { shas, login, owner: state.world.owner, now });
  if (!(await repo.git.updateRef(`refs/heads/${pr.base}`, sha, shas.base))) {
    throw new HttpError(409, 'Base branch was modified. Review and try the merge again.', MERGE_DOCS);
  }
  Object.assign(pr, {
    state: 'closed',
    closedAt: now,
    mergedAt: now,
    updatedAt: now,
    mergedBy: login,
    mergeCommitSha: sha,
    closedHeadSha: shas.head,
    closedBaseSha: shas.base,
  });
  return sha;
}
