/**
 * 3.4 Complete gitflow: the PR `main` → `develop` titled "Sync release <version> to develop" (an open one adopted,
 * else opened once confirmed) merged with a merge commit, so that develop receives main's release merge commit —
 * verified after a fetch. A conflict stops before anything merges, naming the files and how to resolve them. Then it
 * offers to delete the release branch; the upgrade branch stays (the runbook keeps it open for now).
 */
import { UserError } from '../../core/errors.js';
import type { EventData } from '../../core/journal/types.js';
import { gitflowPrBody, gitflowPrTitle, releaseBranch, upgradeBranch } from '../../core/names.js';
import type { StepExecutor, StepOutcome } from '../../engine/step-types.js';
import type { PullInfo, UpgradePorts } from '../../ports.js';
import { DEVELOP, MAIN, REMOTE, short } from '../layout.js';
import { githubOf, repoName, type GitHubSite, type GitHubStepContext } from './context.js';
import {
  conflictError,
  conflictsOf,
  developHas,
  fetchOrigin,
  openSyncPull,
  releaseMerge,
  syncBranch,
  syncHead,
  type ReleaseMerge,
} from './gitflow-checks.js';

interface GitflowInput {
  readonly merge: ReleaseMerge;
  /** `main`, or the sync branch where a conflict was resolved. */
  readonly head: string;
  /** The open PR head → develop to adopt; absent: one is opened. */
  readonly pull?: PullInfo;
}

/** How often, and how long apart, a PR whose mergeability GitHub is still computing is read again. */
const MERGEABLE_READS = 5;
const MERGEABLE_WAIT_MS = 2_000;

/** The merged sync PR (head main or the sync branch → develop), for the evidence of an adopted run. */
async function mergedSyncPull(ctx: GitHubStepContext, site: GitHubSite): Promise<PullInfo | undefined> {
  const pulls = await site.gh.findPulls(site.lendos, { base: DEVELOP, state: 'closed' });
  return pulls.find((p) => p.merged && (p.head === MAIN || p.head === syncBranch(ctx)));
}

async function readMergeable(ctx: GitHubStepContext, site: GitHubSite, pull: PullInfo): Promise<PullInfo> {
  let current = pull;
  for (let read = 0; current.mergeable === null && read < MERGEABLE_READS; read++) {
    await ctx.clock.sleep(MERGEABLE_WAIT_MS, ctx.signal);
    current = (await site.gh.getPull(site.lendos, pull.number)) ?? current;
  }
  return current;
}

async function openOrAdopt(ctx: GitHubStepContext, site: GitHubSite, input: GitflowInput): Promise<PullInfo> {
  if (input.pull) {
    ctx.log.info(
      `Adopting the open PR #${input.pull.number} (${input.head} → ${DEVELOP}): ${input.pull.url}`,
    );
    return input.pull;
  }
  const title = gitflowPrTitle(ctx.version);
  const pull = await site.gh.createPull(site.lendos, {
    head: input.head,
    base: DEVELOP,
    title,
    body: gitflowPrBody(ctx.version),
  });
  ctx.log.info(`Opened PR #${pull.number} "${title}" (${input.head} → ${DEVELOP}): ${pull.url}`);
  return pull;
}

/** Merges with a merge commit at the head it read; a conflict GitHub finds now stops with the files. */
async function mergeSync(
  ctx: GitHubStepContext,
  site: GitHubSite,
  input: GitflowInput,
  opened: PullInfo,
): Promise<string> {
  const pull = await readMergeable(ctx, site, opened);
  if (pull.mergeable === false || pull.mergeableState === 'dirty') {
    throw conflictError(ctx, site, input.head, await conflictsOf(ctx, input.head), pull);
  }
  await ctx.progress(`merging PR #${pull.number} (${input.head} → ${DEVELOP}) with a merge commit`);
  try {
    return (await site.gh.mergePull(site.lendos, pull.number, { sha: pull.headSha })).sha;
  } catch (error) {
    const now = error instanceof UserError ? await site.gh.getPull(site.lendos, pull.number) : undefined;
    if (now?.mergeable === false)
      throw conflictError(ctx, site, input.head, await conflictsOf(ctx, input.head), now);
    throw error;
  }
}

/** After a sync branch merged, an open main → develop PR has nothing left to bring: say so. */
async function sayStalePull(ctx: GitHubStepContext, site: GitHubSite, head: string): Promise<void> {
  const stale = head === MAIN ? undefined : await openSyncPull(site, MAIN);
  if (stale)
    ctx.log.info(
      `PR #${stale.number} (${MAIN} → ${DEVELOP}) has nothing left to merge now: close it (${stale.url}).`,
    );
}

/** Offers to delete the release branch on GitHub; declining keeps it (recorded either way). */
async function offerReleaseDelete(
  ctx: GitHubStepContext,
  site: GitHubSite,
): Promise<'deleted' | 'kept' | 'already deleted'> {
  const branch = releaseBranch(ctx.version);
  if (!(await ctx.ports.git.remoteBranchExists(ctx.ports.workspaceRoot, REMOTE, branch)))
    return 'already deleted';
  const question =
    `Delete ${branch} on GitHub (${repoName(site.lendos)})? It is merged into ${MAIN} and ${DEVELOP}; ` +
    `keep it if you want it for reference. ${upgradeBranch(ctx.version)} stays either way.`;
  if (!(await ctx.prompt.confirm(question, 'Delete Branch'))) {
    ctx.log.info(`Kept ${branch}.`);
    return 'kept';
  }
  await site.gh.deleteBranch(site.lendos, branch);
  ctx.log.info(`Deleted ${branch} on GitHub.`);
  return 'deleted';
}

async function runGitflow(ctx: GitHubStepContext, input: GitflowInput): Promise<StepOutcome> {
  const site = await githubOf(ctx);
  const pull = await openOrAdopt(ctx, site, input);
  await ctx.record({ pr: pull.number, url: pull.url, head: input.head, releaseMerge: input.merge.sha });
  const mergeSha = await mergeSync(ctx, site, input, pull);
  await ctx.record({ mergeSha });
  await fetchOrigin(ctx);
  const { has, develop } = await developHas(ctx, input.merge.sha);
  if (!has) {
    throw new UserError(
      `PR #${pull.number} merged as ${short(mergeSha)}, but ${REMOTE}/${DEVELOP} (${short(develop)}) does not contain the ` +
        `release merge ${short(input.merge.sha)}: check ${pull.url} and ${DEVELOP}'s history.`,
      'gitflow-not-synced',
    );
  }
  await sayStalePull(ctx, site, input.head);
  const deleted = await offerReleaseDelete(ctx, site);
  const evidence: EventData = {
    pr: pull.number,
    url: pull.url,
    mergeSha,
    head: input.head,
    releaseMerge: input.merge.sha,
    develop,
    releaseBranch: deleted,
    upgradeBranch: 'kept',
  };
  const release = `${releaseBranch(ctx.version)} ${deleted}`;
  const summary =
    `Merged PR #${pull.number} (${input.head} → ${DEVELOP}) as ${short(mergeSha)}: ${DEVELOP} contains the release merge ` +
    `${short(input.merge.sha)}; ${release}; ${upgradeBranch(ctx.version)} stays open (runbook 3.4)`;
  return { summary, evidence };
}

export const completeGitflow: StepExecutor<UpgradePorts, GitflowInput> = {
  stepId: 'production.gitflow',

  async observe(ctx) {
    const site = await githubOf(ctx);
    await fetchOrigin(ctx);
    const merge = await releaseMerge(ctx, site);
    const { has, develop } = await developHas(ctx, merge.sha);
    if (!has) return { done: false };
    const pull = await mergedSyncPull(ctx, site);
    const via = pull ? ` (PR #${pull.number} merged as ${short(pull.mergeSha)})` : '';
    const evidence: EventData = {
      releaseMerge: merge.sha,
      develop,
      ...(pull
        ? { pr: pull.number, url: pull.url, ...(pull.mergeSha ? { mergeSha: pull.mergeSha } : {}) }
        : {}),
    };
    return {
      done: true,
      summary: `${DEVELOP} already contains the release merge ${short(merge.sha)}${via}`,
      evidence,
    };
  },

  async prepare(ctx) {
    const site = await githubOf(ctx);
    await fetchOrigin(ctx);
    const merge = await releaseMerge(ctx, site);
    const head = await syncHead(ctx, merge);
    const pull = await openSyncPull(site, head);
    const files = await conflictsOf(ctx, head);
    if ((files && files.length > 0) || pull?.mergeable === false)
      throw conflictError(ctx, site, head, files, pull);
    const what = pull
      ? `Merge PR #${pull.number} (${head} → ${DEVELOP}) with a merge commit?`
      : `Open the PR ${head} → ${DEVELOP} "${gitflowPrTitle(ctx.version)}" and merge it with a merge commit?`;
    const detail = `${DEVELOP} then contains ${MAIN}'s release merge ${short(merge.sha)} (from ${merge.from}).`;
    const yes = await ctx.prompt.confirm(what, pull ? 'Merge' : 'Open and Merge', detail);
    return yes ? { merge, head, ...(pull ? { pull } : {}) } : undefined;
  },

  run: (ctx, input) => runGitflow(ctx, input),
};
