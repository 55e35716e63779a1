/**
 * The lendos-eks-workloads clone the values-tags steps work in: `repositories.workloadsPath` against the workspace.
 * It must exist, be clean and have `main` checked out (or this step's own branch, which it leaves for `main`).
 */
import path from 'node:path';
import { UserError } from '../../core/errors.js';
import type { StepContext } from '../../engine/step-types.js';
import type { GitStatusEntry, UpgradePorts } from '../../ports.js';
import { MAIN, REMOTE, remoteRef } from '../layout.js';

export type ValuesTagsContext = StepContext<UpgradePorts>;

export interface Clone {
  readonly dir: string;
  /** `git -C <dir>`, for messages. */
  readonly gitC: string;
}

export function cloneOf(ctx: ValuesTagsContext): Clone {
  const dir = path.resolve(ctx.ports.workspaceRoot, ctx.config.repositories.workloadsPath);
  return { dir, gitC: `git -C ${dir}` };
}

const listed = (entries: readonly GitStatusEntry[]) =>
  entries.slice(0, 10).map((e) => `${e.path} (${e.code.trim()})`).join(', ') + (entries.length > 10 ? ` and ${entries.length - 10} more` : '');

/**
 * The URL of a sibling repository of the lendos `origin` (same host and owner): `…/lendos.git` → `…/<name>.git`, for
 * https, ssh and local remotes alike. Undefined when the URL does not end in a repository name.
 */
export function siblingRemoteUrl(origin: string, name: string): string | undefined {
  const match = /^(.*[/:])[^/:]+?(\.git)?\/?$/.exec(origin.trim());
  return match ? `${match[1]}${name}${match[2] ?? ''}` : undefined;
}

/** A missing clone is offered to be cloned (from origin's sibling, else GitHub); declined, the step stops. */
async function offerClone(ctx: ValuesTagsContext, clone: Clone): Promise<void> {
  const { owner, workloads, workloadsPath } = ctx.config.repositories;
  const origin = await ctx.ports.git.remoteUrl(ctx.ports.workspaceRoot, REMOTE).catch(() => undefined);
  const url = (origin && siblingRemoteUrl(origin, workloads)) ?? `https://github.com/${owner}/${workloads}.git`;
  const where = `There is no clone of ${workloads} at ${clone.dir} (lendos.repositories.workloadsPath is ${workloadsPath}).`;
  if (await ctx.prompt.confirm(`${where} Clone it there from ${url}?`, 'Clone')) {
    ctx.log.info(`git clone ${url} ${clone.dir}`);
    await ctx.ports.git.clone(url, clone.dir, ctx.signal);
    return;
  }
  throw new UserError(
    `${where} Clone it there — git clone ${url} ${clone.dir} — or set lendos.repositories.workloadsPath to your clone, then run this step again. Nothing was changed.`,
    'workloads-missing',
  );
}

/** Offers to clone a missing clone; refuses uncommitted changes, or another branch than `main` or `own`; answers the branch. */
export async function checkClone(ctx: ValuesTagsContext, clone: Clone, own: string): Promise<string> {
  const { git } = ctx.ports;
  const { workloads } = ctx.config.repositories;
  if (!(await git.revParse(clone.dir, 'HEAD').catch(() => undefined))) await offerClone(ctx, clone);
  const changed = await git.status(clone.dir);
  if (changed.length > 0) {
    throw new UserError(
      `The ${workloads} clone at ${clone.dir} has uncommitted changes: ${listed(changed)}. Commit them on a branch of their own, ` +
        `or stash them (${clone.gitC} stash), then run this step again. Nothing was changed.`,
      'dirty-tree',
    );
  }
  const branch = await git.currentBranch(clone.dir);
  if (branch !== MAIN && branch !== own) {
    throw new UserError(
      `The ${workloads} clone at ${clone.dir} has ${branch ?? 'a detached HEAD'} checked out, not ${MAIN}: run ${clone.gitC} checkout ${MAIN} ` +
        '(once whatever you do there is committed), then run this step again. Nothing was changed.',
      'wrong-branch',
    );
  }
  return branch;
}

/** `git fetch origin`, logged; the network call stops on a cancel. */
export async function fetchClone(ctx: ValuesTagsContext, clone: Clone): Promise<void> {
  ctx.log.info(`${clone.gitC} fetch ${REMOTE}`);
  await ctx.ports.git.fetch(clone.dir, REMOTE, ctx.signal);
}

/** Checks out `main` and fast-forwards it to origin's; answers origin/main's tip. */
export async function upToDateMain(ctx: ValuesTagsContext, clone: Clone): Promise<string> {
  const { git } = ctx.ports;
  if ((await git.currentBranch(clone.dir)) !== MAIN) {
    ctx.log.info(`${clone.gitC} checkout ${MAIN}`);
    await git.checkout(clone.dir, MAIN);
  }
  const tip = await git.revParse(clone.dir, remoteRef(MAIN));
  if (!tip) throw new UserError(`${clone.dir} has no ${REMOTE}/${MAIN}: check its origin remote. Nothing was changed.`, 'missing-branch');
  if ((await git.revParse(clone.dir, `refs/heads/${MAIN}`)) !== tip) {
    ctx.log.info(`${clone.gitC} pull --ff-only ${REMOTE} ${MAIN}`);
    await git.pullFastForward(clone.dir, REMOTE, MAIN, ctx.signal);
  }
  return tip;
}
