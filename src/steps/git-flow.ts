/** The git checks Phase 1's steps share: a clean tree, where a branch is, how it relates to its base, fast-forwards. */
import { UserError } from '../core/errors.js';
import { refNameProblem } from '../core/names.js';
import type { StepContext } from '../engine/step-types.js';
import type { GitStatusEntry, Phase1Ports } from '../ports.js';
import { REMOTE, localRef, remoteRef, short } from './layout.js';

export type Phase1Context = StepContext<Phase1Ports>;

/** The branch name, checked before any git process sees it. */
export function checkedBranch(name: string): string {
  const problem = refNameProblem(name);
  if (problem) throw new UserError(`"${name}" cannot be a branch name: ${problem}.`);
  return name;
}

const STATUS_WORDS: Record<string, string> = {
  M: 'modified',
  A: 'added',
  D: 'deleted',
  R: 'renamed',
  C: 'copied',
  U: 'conflict',
  T: 'type changed',
};

function describeChange(entry: GitStatusEntry): string {
  const letter = [...entry.code].find((c) => c !== ' ' && c !== '?') ?? '?';
  return `${entry.path} (${STATUS_WORDS[letter] ?? entry.code.trim()})`;
}

/** Refuses uncommitted changes to tracked files, naming them; untracked files do not block a checkout. */
export async function requireCleanTree(ctx: Phase1Context): Promise<void> {
  const changed = await ctx.ports.git.status(ctx.ports.workspaceRoot);
  if (changed.length === 0) return;
  const shown = changed.slice(0, 10).map(describeChange).join(', ');
  const more = changed.length > 10 ? ` and ${changed.length - 10} more` : '';
  throw new UserError(
    `The working tree has uncommitted changes: ${shown}${more}. Commit or stash them (git stash) and run the step again; nothing was changed.`,
    'dirty-tree',
  );
}

export interface BranchTips {
  readonly local?: string;
  readonly remote?: string;
}

export async function branchTips(ctx: Phase1Context, branch: string): Promise<BranchTips> {
  const { git, workspaceRoot: cwd } = ctx.ports;
  const [local, remote] = await Promise.all([
    git.revParse(cwd, localRef(branch)),
    git.revParse(cwd, remoteRef(branch)),
  ]);
  return { local, remote };
}

export interface Relation {
  readonly related: boolean;
  readonly forkPoint?: string;
  /** Why it is not related, in words for the person. */
  readonly why?: string;
}

export interface NamedRef {
  readonly ref: string;
  readonly name: string;
}

/**
 * Whether `ref` was cut from `base`: it contains base's tip, or it forked from base at a commit that is not yet on
 * `settled` (a branch base's work reaches later, e.g. main for develop), so the fork point holds base's own work.
 */
export async function relationTo(
  ctx: Phase1Context,
  ref: string,
  base: NamedRef,
  settled?: NamedRef,
): Promise<Relation> {
  const { git, workspaceRoot: cwd } = ctx.ports;
  const baseTip = await git.revParse(cwd, base.ref);
  if (baseTip && (await git.isAncestor(cwd, baseTip, ref))) return { related: true, forkPoint: baseTip };
  const forkPoint = baseTip ? await git.mergeBase(cwd, ref, baseTip) : undefined;
  if (!forkPoint) return { related: false, why: `it shares no history with ${base.name}` };
  const settledTip = settled ? await git.revParse(cwd, settled.ref) : undefined;
  if (settled && settledTip && (await git.isAncestor(cwd, forkPoint, settledTip))) {
    return {
      related: false,
      forkPoint,
      why: `it does not contain ${base.name}'s tip ${short(baseTip)}, and its last commit in common with ${base.name} (${short(forkPoint)}) is already on ${settled.name}, so it was not cut from ${base.name}`,
    };
  }
  return { related: true, forkPoint };
}

/** Local commits missing on origin (`ahead`) and origin's commits missing locally (`behind`). */
export async function divergence(
  ctx: Phase1Context,
  branch: string,
): Promise<{ ahead: number; behind: number }> {
  const { git, workspaceRoot: cwd } = ctx.ports;
  const [ahead, behind] = await Promise.all([
    git.countCommits(cwd, remoteRef(branch), localRef(branch)),
    git.countCommits(cwd, localRef(branch), remoteRef(branch)),
  ]);
  return { ahead, behind };
}

function divergedError(branch: string, ahead: number, behind: number): UserError {
  return new UserError(
    `Your local ${branch} and ${REMOTE}/${branch} have diverged: ${ahead} local commit(s) are not on ${REMOTE} and ${behind} commit(s) on ${REMOTE} are not local. ` +
      `LendOS only fast-forwards; reconcile them yourself (for example git rebase ${REMOTE}/${branch}) and run the step again.`,
    'diverged',
  );
}

export interface CheckedOut {
  readonly head: string;
  /** Local commits that origin has not got yet (or the branch is not on origin at all). */
  readonly needsPush: boolean;
}

/**
 * Checks out `branch` (creating it from origin's when only that exists) and fast-forwards it to origin's tip.
 * A diverged branch is an error; so is a local lead when `allowAhead` is false.
 */
export async function checkoutUpToDate(
  ctx: Phase1Context,
  branch: string,
  options: { allowAhead?: boolean } = {},
): Promise<CheckedOut> {
  const { git, workspaceRoot: cwd } = ctx.ports;
  const tips = await branchTips(ctx, branch);
  if (!tips.local && !tips.remote)
    throw new UserError(`There is no branch ${branch}, locally or on ${REMOTE}.`, 'missing-branch');
  if (!tips.local && tips.remote) await git.createBranch(cwd, branch, remoteRef(branch));
  if ((await git.currentBranch(cwd)) !== branch) {
    ctx.log.info(`git checkout ${branch}`);
    await git.checkout(cwd, branch);
  }
  let ahead = 0;
  if (tips.remote) {
    const state = await divergence(ctx, branch);
    ahead = state.ahead;
    if (state.ahead > 0 && state.behind > 0) throw divergedError(branch, state.ahead, state.behind);
    if (state.ahead > 0 && options.allowAhead === false) {
      throw new UserError(
        `Your local ${branch} has ${state.ahead} commit(s) that are not on ${REMOTE}/${branch}. Push them through a pull request, or move them to a branch of their own, then run the step again.`,
        'ahead',
      );
    }
    if (state.behind > 0) {
      ctx.log.info(`git pull --ff-only ${REMOTE} ${branch} (${state.behind} new commit(s))`);
      await git.pullFastForward(cwd, REMOTE, branch, ctx.signal);
    }
  }
  const head = await git.revParse(cwd, localRef(branch));
  if (!head) throw new UserError(`${branch} could not be checked out.`);
  return { head, needsPush: !tips.remote || ahead > 0 };
}

/** `git push -u origin <branch>`, logged. */
export async function pushBranch(ctx: Phase1Context, branch: string): Promise<void> {
  ctx.log.info(`git push --set-upstream ${REMOTE} ${branch}`);
  await ctx.ports.git.push(ctx.ports.workspaceRoot, REMOTE, branch, {
    setUpstream: true,
    signal: ctx.signal,
  });
}

/** Fails unless `branch` is checked out: a guard before committing or running a script that writes files. */
export async function requireOnBranch(ctx: Phase1Context, branch: string): Promise<void> {
  const current = await ctx.ports.git.currentBranch(ctx.ports.workspaceRoot);
  if (current !== branch) {
    throw new UserError(
      `Expected ${branch} to be checked out, but ${current ?? 'a detached HEAD'} is; nothing was committed.`,
      'wrong-branch',
    );
  }
}
