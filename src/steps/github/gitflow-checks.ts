/**
 * What 3.4 (gitflow) reads before it changes anything: the release's merge commit on main that develop must receive,
 * the branch that brings it (main, or a `sync/<version>` branch where a conflict was resolved), the PR from it, and
 * whether it merges cleanly — the conflicting files named from a test merge in the workspace clone.
 */
import { UserError } from '../../core/errors.js';
import { releaseBranch } from '../../core/names.js';
import type { PullInfo } from '../../ports.js';
import { DEVELOP, MAIN, REMOTE, remoteRef, short } from '../layout.js';
import { repoName, type GitHubSite, type GitHubStepContext } from './context.js';
import { recordedReleasePull } from './recorded-pull.js';

/** The release's merge commit on main, and how it was found. */
export interface ReleaseMerge {
  readonly sha: string;
  readonly from: string;
}

/** Where a conflict between main and develop is resolved before the step runs again. */
export const syncBranch = (ctx: Pick<GitHubStepContext, 'version'>) => `sync/${ctx.version.format()}`;

const SHA = /^[0-9a-f]{40}$/;

export async function fetchOrigin(ctx: GitHubStepContext): Promise<void> {
  ctx.log.info(`git fetch ${REMOTE}`);
  await ctx.ports.git.fetch(ctx.ports.workspaceRoot, REMOTE, ctx.signal);
}

/** 2.2's recorded merge SHA, else the merged release PR's, else main's head (said in the log). */
export async function releaseMerge(ctx: GitHubStepContext, site: GitHubSite): Promise<ReleaseMerge> {
  const recorded = ctx.evidenceOf('staging.merge-to-main')['mergeSha'];
  if (typeof recorded === 'string' && SHA.test(recorded))
    return { sha: recorded, from: '2.2 (merge to main)' };
  const pull = await recordedReleasePull(ctx, site).catch((error: unknown) => {
    if (error instanceof UserError && error.reason === 'no-release-pr') return undefined;
    throw error;
  });
  if (pull && !pull.merged) {
    throw new UserError(
      `The release PR #${pull.number} (${releaseBranch(ctx.version)} → ${MAIN}) is not merged yet (${pull.url}): ` +
        'merge it first (2.2), then run this step again. Nothing was changed.',
      'release-not-merged',
    );
  }
  if (pull?.mergeSha) return { sha: pull.mergeSha, from: `the merged release PR #${pull.number}` };
  const head = await ctx.ports.git.revParse(ctx.ports.workspaceRoot, remoteRef(MAIN));
  if (!head)
    throw new UserError(`${REMOTE} has no ${MAIN} branch: is this the lendos repository?`, 'missing-branch');
  ctx.log.warn(
    `No release PR merge is recorded or found: taking ${MAIN}'s head ${short(head)} as the release merge.`,
  );
  return { sha: head, from: `${MAIN}'s head` };
}

/** Whether origin's develop (as last fetched) contains `sha`; its head too. */
export async function developHas(
  ctx: GitHubStepContext,
  sha: string,
): Promise<{ has: boolean; develop: string }> {
  const { git, workspaceRoot: cwd } = ctx.ports;
  const develop = await git.revParse(cwd, remoteRef(DEVELOP));
  if (!develop)
    throw new UserError(
      `${REMOTE} has no ${DEVELOP} branch: is this the lendos repository?`,
      'missing-branch',
    );
  return { has: await git.isAncestor(cwd, sha, develop), develop };
}

/** The branch that brings main into develop: a pushed `sync/<version>` that has the release merge, else main. */
export async function syncHead(ctx: GitHubStepContext, merge: ReleaseMerge): Promise<string> {
  const { git, workspaceRoot: cwd } = ctx.ports;
  const sync = syncBranch(ctx);
  const tip = await git.revParse(cwd, remoteRef(sync));
  if (tip && (await git.isAncestor(cwd, merge.sha, tip))) {
    ctx.log.info(
      `${REMOTE}/${sync} has the release merge ${short(merge.sha)}: it brings ${MAIN} into ${DEVELOP}.`,
    );
    return sync;
  }
  if (tip)
    ctx.log.warn(`${REMOTE}/${sync} does not contain the release merge ${short(merge.sha)}: using ${MAIN}.`);
  return MAIN;
}

/** The open PR head → develop, if there is one. */
export async function openSyncPull(site: GitHubSite, head: string): Promise<PullInfo | undefined> {
  const [pull] = await site.gh.findPulls(site.lendos, { head, base: DEVELOP, state: 'open' });
  return pull;
}

/** What conflicts when `head` is merged into develop (a test merge in the clone: nothing changes). */
export function conflictsOf(ctx: GitHubStepContext, head: string): Promise<string[] | undefined> {
  return ctx.ports.git.conflictingFiles(ctx.ports.workspaceRoot, remoteRef(DEVELOP), remoteRef(head));
}

/** The stop on a conflict: the files, and how to resolve it on a branch off develop. */
export function conflictError(
  ctx: GitHubStepContext,
  site: GitHubSite,
  head: string,
  files: string[] | undefined,
  pull?: PullInfo,
): UserError {
  const sync = syncBranch(ctx);
  const named = files && files.length > 0 ? files.join(', ') : undefined;
  const what = named
    ? `${named} conflict${files?.length === 1 ? 's' : ''}`
    : 'GitHub reports conflicts (this git cannot list the files: it needs 2.38)';
  const shown = pull ? ` PR #${pull.number} (${pull.url}) shows the conflict.` : '';
  return new UserError(
    `${head} does not merge cleanly into ${DEVELOP} in ${repoName(site.lendos)}: ${what}.${shown} Nothing was merged.\n` +
      `Resolve it on a branch off ${DEVELOP}, then run this step again: it opens (or adopts) the PR from that branch ` +
      `and merges it, so ${DEVELOP} still gets ${MAIN}'s release merge commit.\n` +
      `  git fetch ${REMOTE}\n  git checkout -b ${sync} ${REMOTE}/${DEVELOP}\n` +
      `  git merge --no-ff ${REMOTE}/${MAIN}    # resolve ${named ?? 'the conflicts'}, then git add them and git commit\n` +
      `  git push -u ${REMOTE} ${sync}`,
    'gitflow-conflict',
  );
}
