/** 1.2 Bump VERSION: `<version>\n` committed on the release branch and pushed, after showing the diff. */
import { UserError } from '../core/errors.js';
import { commitMessageForVersionBump, releaseBranch } from '../core/names.js';
import type { StepExecutor } from '../engine/step-types.js';
import type { Phase1Ports } from '../ports.js';
import {
  checkedBranch,
  checkoutUpToDate,
  pushBranch,
  requireCleanTree,
  requireOnBranch,
  type Phase1Context,
} from './git-flow.js';
import { REMOTE, VERSION_FILE, localRef, remoteRef, short } from './layout.js';
import { replacementDiff } from './text-diff.js';

export interface BumpInput {
  /** What VERSION read before, when a commit is needed; undefined when the bump is already committed locally. */
  readonly previous?: string;
}

const wanted = (ctx: Phase1Context): string => `${ctx.version.format()}\n`;

/** The release branch as this workspace knows it: the local one when there is one, else origin's. */
async function releaseRef(ctx: Phase1Context, branch: string): Promise<string> {
  const { git, workspaceRoot: cwd } = ctx.ports;
  if (await git.localBranchExists(cwd, branch)) return localRef(branch);
  if (await git.revParse(cwd, remoteRef(branch))) return remoteRef(branch);
  throw new UserError(
    `${branch} does not exist yet: run "Cut release branch" (1.1) first.`,
    'missing-branch',
  );
}

async function commitBump(
  ctx: Phase1Context,
  branch: string,
): Promise<{ commit: string; committed: boolean }> {
  const { git, workspaceRoot: cwd } = ctx.ports;
  const version = ctx.version.format();
  if ((await git.showFile(cwd, 'HEAD', VERSION_FILE)) === wanted(ctx)) {
    const last = await git.lastCommit(cwd, 'HEAD', VERSION_FILE);
    ctx.log.info(
      `VERSION already reads ${version} on ${branch} (commit ${short(last?.sha)}); nothing to commit.`,
    );
    return { commit: last?.sha ?? '', committed: false };
  }
  await requireOnBranch(ctx, branch);
  const message = commitMessageForVersionBump(version);
  ctx.log.info(`git commit -m "${message}" -- ${VERSION_FILE}`);
  const commit = await git.commitFile(cwd, { path: VERSION_FILE, content: wanted(ctx), message });
  ctx.log.output(await git.diffFile(cwd, VERSION_FILE, `${commit}~1`, commit));
  return { commit, committed: true };
}

export const bumpVersion: StepExecutor<Phase1Ports, BumpInput> = {
  stepId: 'prep.bump-version',

  async observe(ctx) {
    const branch = checkedBranch(releaseBranch(ctx.version));
    const { git, workspaceRoot: cwd } = ctx.ports;
    await git.fetch(cwd, REMOTE, ctx.signal);
    const content = await git.showFile(cwd, remoteRef(branch), VERSION_FILE);
    if (content?.trim() !== ctx.version.format()) return { done: false };
    const last = await git.lastCommit(cwd, remoteRef(branch), VERSION_FILE);
    const summary = `VERSION on ${REMOTE}/${branch} already reads ${ctx.version.format()}`;
    return {
      done: true,
      summary,
      evidence: { branch, commit: last?.sha ?? null, version: ctx.version.format() },
    };
  },

  async prepare(ctx) {
    const branch = checkedBranch(releaseBranch(ctx.version));
    const current = await ctx.ports.git.showFile(
      ctx.ports.workspaceRoot,
      await releaseRef(ctx, branch),
      VERSION_FILE,
    );
    if (current === wanted(ctx)) return {};
    const confirmed = await ctx.prompt.confirm(
      `Write ${ctx.version.format()} to VERSION on ${branch}, commit it and push ${branch}?`,
      'Commit and Push',
      replacementDiff(VERSION_FILE, current, wanted(ctx)),
    );
    return confirmed ? { previous: current?.trim() ?? '' } : undefined;
  },

  async run(ctx, input) {
    const branch = checkedBranch(releaseBranch(ctx.version));
    await requireCleanTree(ctx);
    await checkoutUpToDate(ctx, branch);
    const { commit, committed } = await commitBump(ctx, branch);
    await ctx.record({ branch, commit });
    await pushBranch(ctx, branch);
    const version = ctx.version.format();
    const evidence = {
      branch,
      commit,
      version,
      previousVersion: input.previous ?? null,
      committed,
      pushed: true,
    };
    const summary = committed
      ? `VERSION bumped to ${version} in ${short(commit)} and pushed`
      : `VERSION already ${version} in ${short(commit)}; pushed ${branch}`;
    return { summary, evidence };
  },
};
