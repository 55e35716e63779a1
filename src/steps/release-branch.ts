/** 1.1 Cut release branch: `release/<version>` from an up-to-date develop, pushed with upstream; an existing one is adopted. */
import { UserError } from '../core/errors.js';
import { releaseBranch } from '../core/names.js';
import type { EventData } from '../core/journal/types.js';
import type { StepExecutor, StepOutcome } from '../engine/step-types.js';
import type { Phase1Ports } from '../ports.js';
import {
  branchTips,
  checkedBranch,
  checkoutUpToDate,
  pushBranch,
  relationTo,
  requireCleanTree,
  type BranchTips,
  type Phase1Context,
  type Relation,
} from './git-flow.js';
import { DEVELOP, MAIN, REMOTE, localRef, remoteRef, short } from './layout.js';

const DEVELOP_REF = { ref: remoteRef(DEVELOP), name: `${REMOTE}/${DEVELOP}` };
const MAIN_REF = { ref: remoteRef(MAIN), name: `${REMOTE}/${MAIN}` };

function unrelatedError(branch: string, where: string, relation: Relation): UserError {
  return new UserError(
    `${branch} already exists (${where}) but was not cut from develop: ${relation.why}. ` +
      `If it is the release branch you cut by hand, mark this step done; if it is a leftover, delete it ` +
      `(git branch -D ${branch}; git push ${REMOTE} --delete ${branch}) and run the step again. Nothing was changed.`,
    'unrelated-branch',
  );
}

async function cutFromDevelop(ctx: Phase1Context, branch: string): Promise<StepOutcome> {
  const { git, workspaceRoot: cwd } = ctx.ports;
  if (!(await git.revParse(cwd, DEVELOP_REF.ref))) {
    throw new UserError(
      `${REMOTE} has no ${DEVELOP} branch: is this the lendos repository?`,
      'missing-branch',
    );
  }
  const develop = await checkoutUpToDate(ctx, DEVELOP, { allowAhead: false });
  await ctx.progress(`Creating ${branch} at ${short(develop.head)}`);
  ctx.log.info(`git checkout -b ${branch} (at develop ${short(develop.head)})`);
  await git.createBranch(cwd, branch, develop.head);
  await git.checkout(cwd, branch);
  await ctx.record({ branch, commit: develop.head, developCommit: develop.head });
  await pushBranch(ctx, branch);
  const evidence: EventData = {
    branch,
    commit: develop.head,
    developCommit: develop.head,
    adopted: false,
    pushed: true,
  };
  return { summary: `Cut ${branch} from develop at ${short(develop.head)} and pushed it`, evidence };
}

async function adoptExisting(ctx: Phase1Context, branch: string, tips: BranchTips): Promise<StepOutcome> {
  const { git, workspaceRoot: cwd } = ctx.ports;
  const where =
    tips.local && tips.remote ? `locally and on ${REMOTE}` : tips.remote ? `on ${REMOTE}` : 'locally';
  for (const ref of [tips.remote && remoteRef(branch), tips.local && localRef(branch)]) {
    if (!ref) continue;
    const relation = await relationTo(ctx, ref, DEVELOP_REF, MAIN_REF);
    if (!relation.related) throw unrelatedError(branch, where, relation);
  }
  ctx.log.info(`${branch} already exists ${where} and was cut from develop: adopting it.`);
  const checkedOut = await checkoutUpToDate(ctx, branch);
  const newer = await git.countCommits(cwd, localRef(branch), DEVELOP_REF.ref);
  if (newer > 0)
    ctx.log.warn(
      `develop has ${newer} commit(s) that are not in ${branch}; they will not be in this release.`,
    );
  if (checkedOut.needsPush) await pushBranch(ctx, branch);
  const evidence: EventData = {
    branch,
    commit: checkedOut.head,
    adopted: true,
    pushed: checkedOut.needsPush,
    developCommitsNotIncluded: newer,
  };
  const pushed = checkedOut.needsPush ? ' and pushed it' : '';
  return { summary: `Adopted the existing ${branch} at ${short(checkedOut.head)}${pushed}`, evidence };
}

export const cutReleaseBranch: StepExecutor<Phase1Ports> = {
  stepId: 'prep.cut-release-branch',

  async observe(ctx) {
    const branch = checkedBranch(releaseBranch(ctx.version));
    const { git, workspaceRoot: cwd } = ctx.ports;
    await git.fetch(cwd, REMOTE, ctx.signal);
    const remote = await git.revParse(cwd, remoteRef(branch));
    if (!remote || !(await relationTo(ctx, remoteRef(branch), DEVELOP_REF, MAIN_REF)).related)
      return { done: false };
    return {
      done: true,
      summary: `${branch} is already on ${REMOTE} at ${short(remote)}`,
      evidence: { branch, commit: remote },
    };
  },

  /** Pushing a new branch changes origin: said before it happens, as 1.2 and 1.3 do. */
  async prepare(ctx) {
    const branch = checkedBranch(releaseBranch(ctx.version));
    const { git, workspaceRoot: cwd } = ctx.ports;
    if (await git.revParse(cwd, remoteRef(branch))) return {};
    const develop = await git.revParse(cwd, DEVELOP_REF.ref);
    const from = develop ? `${DEVELOP_REF.name} at ${short(develop)}` : DEVELOP_REF.name;
    const confirmed = await ctx.prompt.confirm(`Cut ${branch} from ${from} and push it to ${REMOTE}?`, 'Cut and Push');
    return confirmed ? {} : undefined;
  },

  async run(ctx) {
    const branch = checkedBranch(releaseBranch(ctx.version));
    ctx.log.info(`git fetch ${REMOTE}`);
    await ctx.ports.git.fetch(ctx.ports.workspaceRoot, REMOTE, ctx.signal);
    await requireCleanTree(ctx);
    const tips = await branchTips(ctx, branch);
    return tips.local || tips.remote ? adoptExisting(ctx, branch, tips) : cutFromDevelop(ctx, branch);
  },
};
