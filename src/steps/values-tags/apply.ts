/**
 * An applied values-tags edit carried to `main` of lendos-eks-workloads, shared by the release's values-tags steps
 * and dev's: the edit committed on a branch of its own cut from an up-to-date `main`, pushed, its PR opened (or
 * adopted) and followed until merged, then the clone's `main` fast-forwarded.
 */
import path from 'node:path';
import { UserError } from '../../core/errors.js';
import type { EnvironmentName } from '../../core/runbook/types.js';
import { Declined, reviewChange } from '../../engine/step-types.js';
import type { PullInfo } from '../../ports.js';
import type { GitHubSite } from '../github/context.js';
import { MAIN, REMOTE, remoteRef } from '../layout.js';
import { fetchClone, upToDateMain, type Clone, type ValuesTagsContext } from './clone.js';
import type { ExistingBranch, Proposal } from './proposal.js';
import { findPull, openPull, waitForMerge } from './pull.js';

/** Where an edit goes and how its commit and PR are worded. */
export interface ValuesTarget {
  readonly environment: EnvironmentName;
  readonly file: string;
  readonly branch: string;
  readonly message: string;
  readonly title: string;
  readonly body: string;
}

/** A proposal the person applied, or a branch of the target's name that already holds the edit (a rerun). */
export type Applied = { readonly kind: 'apply'; readonly proposal: Proposal } | { readonly kind: 'resume'; readonly branch: ExistingBranch };

export interface Merged {
  readonly pull?: PullInfo;
  readonly commit: string;
  readonly mergeSha: string | null;
}

/**
 * Shows the proposed edit (each changed tag in the log, the change in the clone's file) and asks to apply it; a
 * refusal stops the step with nothing written.
 */
export async function reviewProposal(ctx: ValuesTagsContext, clone: Clone, title: string, proposal: Proposal): Promise<void> {
  for (const c of proposal.changes) ctx.log.info(`${proposal.file}:${c.line} ${c.service}: ${c.from} → ${c.to}`);
  const applied = await reviewChange(ctx.prompt, {
    title,
    // Absolute: the editor shows the change in the clone's file when it holds what the step read.
    path: path.join(clone.dir, proposal.file),
    before: proposal.before,
    after: proposal.after,
    diff: proposal.diff,
    action: 'Apply and open the PR',
  });
  if (!applied) throw new Declined(`Not applied: ${proposal.file} and ${ctx.config.repositories.workloads} are unchanged. Run this step again to review the change.`);
}

/** The edit on a new branch from origin/main, committed and pushed; refused when main's file changed since it was shown. */
async function writeBranch(ctx: ValuesTagsContext, clone: Clone, target: ValuesTarget, proposal: Proposal): Promise<string> {
  const { git } = ctx.ports;
  await upToDateMain(ctx, clone);
  if ((await git.showFile(clone.dir, remoteRef(MAIN), proposal.file)) !== proposal.before) {
    throw new UserError(`${proposal.file} changed on ${REMOTE}/${MAIN} since the diff was shown: run this step again to review the new diff. Nothing was written.`, 'main-moved');
  }
  ctx.log.info(`${clone.gitC} checkout -b ${target.branch} ${REMOTE}/${MAIN}`);
  await git.createBranch(clone.dir, target.branch, remoteRef(MAIN));
  await git.checkout(clone.dir, target.branch);
  let commit: string;
  try {
    ctx.log.info(`${clone.gitC} commit -m "${target.message}" -- ${proposal.file}`);
    commit = await git.commitFile(clone.dir, { path: proposal.file, content: proposal.after, message: target.message });
  } finally {
    await git.checkout(clone.dir, MAIN);
  }
  await ctx.record({ branch: target.branch, commit });
  await push(ctx, clone, target.branch);
  return commit;
}

async function push(ctx: ValuesTagsContext, clone: Clone, branch: string): Promise<void> {
  ctx.log.info(`${clone.gitC} push --set-upstream ${REMOTE} ${branch}`);
  await ctx.ports.git.push(clone.dir, REMOTE, branch, { setUpstream: true, signal: ctx.signal });
}

/** Writes (or resumes) the branch, opens or adopts its PR, follows it to the merge, then brings the clone's main up to date. */
export async function carryToMain(ctx: ValuesTagsContext, site: GitHubSite, clone: Clone, target: ValuesTarget, input: Applied): Promise<Merged> {
  const commit = input.kind === 'apply' ? await writeBranch(ctx, clone, target, input.proposal) : input.branch.tip;
  if (input.kind === 'resume' && !input.branch.onRemote) await push(ctx, clone, target.branch);
  const found = await findPull(site, clone, target.branch, input.kind === 'apply');
  if (!found && input.kind === 'resume' && input.branch.merged) {
    ctx.log.warn(`${target.branch} is already on ${MAIN} without a PR of its own; nothing to open.`);
    return { commit, mergeSha: (await ctx.ports.git.revParse(clone.dir, remoteRef(MAIN))) ?? null };
  }
  const pull = found ?? (await openPull(ctx, site, target));
  if (found) ctx.log.info(`Adopting PR #${found.number} (${found.state}${found.merged ? ', merged' : ''}): ${found.url}`);
  const merged = pull.merged ? pull : await waitForMerge(ctx, site, clone, pull.number, target.file);
  await ctx.record({ pr: merged.number, url: merged.url, mergeSha: merged.mergeSha ?? null });
  await fetchClone(ctx, clone);
  await upToDateMain(ctx, clone);
  return { pull: merged, commit, mergeSha: merged.mergeSha ?? null };
}
