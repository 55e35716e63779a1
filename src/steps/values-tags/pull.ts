/**
 * A values-tags PR (`release/<v>-values[-production]`, dev's `dev/values-…`) → `main` in lendos-eks-workloads: adopted when it exists, opened
 * otherwise, then followed until it is merged (the workloads owners approve and merge it). A PR closed unmerged or in
 * conflict with main stops the step with what to do.
 */
import { UserError } from '../../core/errors.js';
import { Cancelled } from '../../engine/step-types.js';
import type { PullInfo } from '../../ports.js';
import { repoName, type GitHubSite } from '../github/context.js';
import { MAIN, REMOTE, short } from '../layout.js';
import type { Clone, ValuesTagsContext } from './clone.js';
import type { ValuesTarget } from './apply.js';

function closedUnmerged(pull: PullInfo, clone: Clone): UserError {
  return new UserError(
    `The values-tags PR #${pull.number} (${pull.head} → ${pull.base}, ${pull.url}) was closed without being merged. If that was a mistake, reopen ` +
      `it on GitHub and run this step again (it waits for the merge); to start over, delete the branch (${clone.gitC} push ${REMOTE} --delete ${pull.head}; ` +
      `${clone.gitC} branch -D ${pull.head}) and run this step again. Nothing was changed.`,
    'closed-pull',
  );
}

function conflicting(pull: PullInfo, clone: Clone, file: string): UserError {
  return new UserError(
    `The values-tags PR #${pull.number} (${pull.url}) conflicts with ${MAIN}: ${file} changed on ${MAIN} since ${pull.head} was cut, so GitHub cannot merge it. ` +
      `Close the PR and delete the branch (${clone.gitC} push ${REMOTE} --delete ${pull.head}; ${clone.gitC} branch -D ${pull.head}), then run this step ` +
      `again: it proposes the edit on the new ${MAIN}.`,
    'not-mergeable',
  );
}

/**
 * The branch's PR to main: the open one, else the merged one; undefined when there is none. A PR closed unmerged is
 * refused, unless `fresh` (the branch was just written anew: that PR was of an earlier branch of the name).
 */
export async function findPull(site: GitHubSite, clone: Clone, branch: string, fresh = false): Promise<PullInfo | undefined> {
  const pulls = (await site.gh.findPulls(site.workloads, { head: branch, state: 'all' }))
    .filter((p) => p.head === branch && p.base === MAIN)
    .sort((a, b) => a.number - b.number);
  const found = pulls.find((p) => p.state === 'open') ?? pulls.filter((p) => p.merged).pop();
  if (found) return found;
  const closed = pulls.pop();
  if (closed && !fresh) throw closedUnmerged(closed, clone);
  return undefined;
}

export async function openPull(ctx: ValuesTagsContext, site: GitHubSite, target: Pick<ValuesTarget, 'branch' | 'title' | 'body'>): Promise<PullInfo> {
  const plan = { head: target.branch, base: MAIN, title: target.title, body: target.body };
  ctx.log.info(`Opening ${plan.head} → ${plan.base} in ${repoName(site.workloads)}: "${plan.title}"`);
  const pull = await site.gh.createPull(site.workloads, plan);
  await ctx.record({ pr: pull.number, url: pull.url });
  ctx.log.info(`Opened PR #${pull.number}: ${pull.url}`);
  return pull;
}

async function sleepOrStop(ctx: ValuesTagsContext, pull: PullInfo): Promise<void> {
  try {
    await ctx.clock.sleep(ctx.config.github.approvalPollSeconds * 1000, ctx.signal);
  } catch (error) {
    if (!ctx.signal.aborted) throw error;
    throw new Cancelled(
      `Stopped waiting for the values-tags PR #${pull.number} (${pull.url}) to be merged; it stays open. Run this step again to keep waiting: it adopts the PR.`,
    );
  }
}

/** Looks at the PR every `github.approvalPollSeconds` until it is merged; says each change of its state. */
export async function waitForMerge(ctx: ValuesTagsContext, site: GitHubSite, clone: Clone, number: number, file: string): Promise<PullInfo> {
  let said = '';
  for (;;) {
    const pull = await site.gh.getPull(site.workloads, number);
    if (!pull) throw new UserError(`PR #${number} is gone from ${repoName(site.workloads)}: run this step again to open it anew.`, 'missing-pull');
    if (pull.merged) return pull;
    if (pull.state === 'closed') throw closedUnmerged(pull, clone);
    if (pull.mergeable === false) throw conflicting(pull, clone, file);
    const line = `PR #${pull.number} at ${short(pull.headSha)} waits to be approved and merged (${pull.mergeableState}): ${pull.url}`;
    if (line !== said) {
      await ctx.progress(`PR #${pull.number} waits for approval and merge`);
      ctx.log.info(line);
      said = line;
    }
    await sleepOrStop(ctx, pull);
  }
}
