/**
 * Rollback 5 · Revert the values-tags PR: the environment's values-tags file in lendos-eks-workloads set back to the
 * tags it had before this release (what `<env>.values-tags` recorded as each change's `from`), shown as a diff, on
 * `release/<v>-values[-production]-revert`, its PR opened and followed until merged. A tag changed on main since the
 * release's PR is a conflict: named, nothing written.
 */
import path from 'node:path';
import { UserError } from '../../core/errors.js';
import type { JsonValue } from '../../core/journal/types.js';
import { valuesBranch } from '../../core/names.js';
import { Declined, reviewChange, type StepExecutor } from '../../engine/step-types.js';
import type { UpgradePorts } from '../../ports.js';
import { githubOf, repoName } from '../github/context.js';
import { MAIN, REMOTE, remoteRef, short } from '../layout.js';
import { checkClone, cloneOf, fetchClone, upToDateMain, type Clone } from '../values-tags/clone.js';
import { editOf, propose, valuesFile, type Proposal } from '../values-tags/proposal.js';
import { findPull, waitForMerge } from '../values-tags/pull.js';
import { environmentOf, type RollbackContext } from './rds-target.js';

interface Reverted {
  readonly back: Record<string, string>;
  readonly release: Record<string, string>;
  readonly pr: number | null;
}

type Plan = { readonly kind: 'write'; readonly proposal: Proposal; readonly reverted: Reverted } | { readonly kind: 'follow'; readonly reverted: Reverted };

const branchOf = (ctx: RollbackContext) => `${valuesBranch(ctx.version, environmentOf(ctx))}-revert`;

/** What the release's values-tags step changed, to be put back. */
function reverted(ctx: RollbackContext): Reverted {
  const stepId = `${environmentOf(ctx)}.values-tags`;
  const evidence = ctx.evidenceOf(stepId);
  const changes = evidence['changes'];
  if (!Array.isArray(changes)) {
    throw new UserError(`${stepId} recorded no changes (marked done by hand?): revert its PR on GitHub by hand, then mark this step done. Nothing was changed.`, 'nothing-recorded');
  }
  const back: Record<string, string> = {};
  const release: Record<string, string> = {};
  for (const change of changes as JsonValue[]) {
    if (!change || typeof change !== 'object' || Array.isArray(change)) continue;
    const { service, from, to } = change;
    if (typeof service === 'string' && typeof from === 'string' && typeof to === 'string') [back[service], release[service]] = [from, to];
  }
  return { back, release, pr: typeof evidence['pr'] === 'number' ? evidence['pr'] : null };
}

const line = (tags: Record<string, string>) => Object.entries(tags).map(([s, t]) => `${s} ${t}`).join(', ');

async function plan(ctx: RollbackContext): Promise<Plan | undefined> {
  const wanted = reverted(ctx);
  const environment = environmentOf(ctx);
  const clone = cloneOf(ctx);
  const branch = branchOf(ctx);
  const site = await githubOf(ctx);
  const access = await site.gh.checkAccess(site.workloads);
  if (!access.ok) throw new UserError(access.reason, 'no-access');
  await checkClone(ctx, clone, branch);
  await fetchClone(ctx, clone);
  if (await ctx.ports.git.revParse(clone.dir, remoteRef(branch))) {
    ctx.log.info(`${branch} is already on ${REMOTE}: following its PR.`);
    return { kind: 'follow', reverted: wanted };
  }
  const current = await propose(ctx, clone, environment, wanted.release);
  if (current.changes.length > 0) {
    const moved = current.changes.map((c) => `${c.service} is ${c.from} (the release set ${c.to})`).join('; ');
    throw new UserError(
      `${current.file} changed on ${MAIN} since the release's PR${wanted.pr ? ` #${wanted.pr}` : ''}: ${moved}. A revert would undo someone else's change: ` +
        `decide the tags with their owner, edit ${current.file} by hand, then mark this step done. Nothing was written.`,
      'revert-conflict',
    );
  }
  const proposal = await propose(ctx, clone, environment, wanted.back);
  const env = ctx.config.environments[environment];
  const applied = await reviewChange(ctx.prompt, {
    title: `Revert ${env.label} values-tags of release ${ctx.version.format()}`,
    path: path.join(clone.dir, proposal.file),
    before: proposal.before,
    after: proposal.after,
    diff: proposal.diff,
    action: 'Apply and open the revert PR',
  });
  if (!applied) throw new Declined(`Not applied: ${proposal.file} is unchanged. Run this step again to review the revert.`);
  return { kind: 'write', proposal, reverted: wanted };
}

async function writeBranch(ctx: RollbackContext, clone: Clone, proposal: Proposal): Promise<void> {
  const { git } = ctx.ports;
  const branch = branchOf(ctx);
  await upToDateMain(ctx, clone);
  if ((await git.showFile(clone.dir, remoteRef(MAIN), proposal.file)) !== proposal.before) {
    throw new UserError(`${proposal.file} changed on ${REMOTE}/${MAIN} since the diff was shown: run this step again to review the new diff. Nothing was written.`, 'main-moved');
  }
  await git.createBranch(clone.dir, branch, remoteRef(MAIN));
  await git.checkout(clone.dir, branch);
  try {
    const message = `Revert values-tags of release ${ctx.version.format()} (${environmentOf(ctx)})`;
    ctx.log.info(`${clone.gitC} commit -m "${message}" -- ${proposal.file}`);
    await ctx.record({ branch, commit: await git.commitFile(clone.dir, { path: proposal.file, content: proposal.after, message }) });
  } finally {
    await git.checkout(clone.dir, MAIN);
  }
  ctx.log.info(`${clone.gitC} push --set-upstream ${REMOTE} ${branch}`);
  await git.push(clone.dir, REMOTE, branch, { setUpstream: true, signal: ctx.signal });
}

export const revertValuesTags: StepExecutor<UpgradePorts, Plan> = {
  stepId: /^(staging|production)\.rollback\.revert-values-tags$/,

  async observe(ctx) {
    let wanted: Reverted;
    try {
      wanted = reverted(ctx);
    } catch {
      return { done: false };
    }
    const site = await githubOf(ctx);
    const text = await site.gh.fileAt(site.workloads, MAIN, valuesFile(ctx, environmentOf(ctx)));
    if (text === undefined) return { done: false };
    try {
      if (editOf(ctx, environmentOf(ctx), text, wanted.back).changes.length > 0) return { done: false };
    } catch {
      return { done: false };
    }
    const summary = Object.keys(wanted.back).length === 0 ? 'the release changed no tag: nothing to revert' : `${MAIN} holds the previous tags again (${line(wanted.back)})`;
    return { done: true, summary: `${repoName(site.workloads)}: ${summary}`, evidence: { tags: wanted.back } };
  },

  prepare: plan,

  async run(ctx, input) {
    const clone = cloneOf(ctx);
    const site = await githubOf(ctx);
    const branch = branchOf(ctx);
    if (input.kind === 'write') await writeBranch(ctx, clone, input.proposal);
    const file = valuesFile(ctx, environmentOf(ctx));
    let pull = await findPull(site, clone, branch, input.kind === 'write');
    if (!pull) {
      const title = `Revert tags of release ${ctx.version.format()} in ${environmentOf(ctx)}`;
      const body = `Rollback by RDS restore: puts back the tags before release ${ctx.version.format()}${input.reverted.pr ? ` (reverts #${input.reverted.pr})` : ''}: ${line(input.reverted.back)}.`;
      ctx.log.info(`Opening ${branch} → ${MAIN} in ${repoName(site.workloads)}: "${title}"`);
      pull = await site.gh.createPull(site.workloads, { head: branch, base: MAIN, title, body });
      await ctx.record({ pr: pull.number, url: pull.url });
    }
    const merged = pull.merged ? pull : await waitForMerge(ctx, site, clone, pull.number, file);
    await fetchClone(ctx, clone);
    await upToDateMain(ctx, clone);
    return {
      summary: `${file}: ${line(input.reverted.back)} — revert PR #${merged.number} merged as ${short(merged.mergeSha)}`,
      evidence: { tags: input.reverted.back, pr: merged.number, url: merged.url, mergeSha: merged.mergeSha ?? null, branch },
    };
  },
};
