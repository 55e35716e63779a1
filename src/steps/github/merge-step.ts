/**
 * 2.2 Merge release branch to main: the release PR (adopted, or opened once confirmed) with its reviews and mergeable
 * state on the step; preflight again when the PR's head moved since 2.1 recorded it — the merge needs it passed on the
 * current head; then, once confirmed, a merge commit guarded by that head's SHA. An already merged PR is adopted.
 */
import { UserError, messageOf } from '../../core/errors.js';
import type { EventData } from '../../core/journal/types.js';
import { Declined, type StepExecutor } from '../../engine/step-types.js';
import type { PullInfo, UpgradePorts } from '../../ports.js';
import { short } from '../layout.js';
import { githubOf, repoName, type GitHubSite, type GitHubStepContext } from './context.js';
import { mergeBlocker, mergeableLine, mergeWarning, reviewsData, reviewsLine } from './merge-state.js';
import { failureMessage, reportData } from './preflight.js';
import { PREFLIGHT_STEP, preflightOnPull } from './preflight-step.js';
import { choosePull, ensurePull, releasePull, type PullChoice } from './release-pull.js';

/** GitHub computes mergeability after a push; while it does, `mergeable` is null. */
const SETTLE_TRIES = 6;
const SETTLE_WAIT_MS = 2_000;

const mergedEvidence = (pull: PullInfo): EventData => ({
  pr: pull.number,
  url: pull.url,
  headSha: pull.headSha,
  mergeSha: pull.mergeSha ?? null,
  mergedAt: pull.mergedAt ?? null,
});

async function settledPull(ctx: GitHubStepContext, site: GitHubSite, number: number): Promise<PullInfo> {
  for (let attempt = 1; ; attempt++) {
    const pull = await site.gh.getPull(site.lendos, number);
    if (!pull)
      throw new UserError(
        `PR #${number} is gone from GitHub: run 2.2 again to find or open the release PR.`,
        'missing-pull',
      );
    if (pull.mergeable !== null || pull.state !== 'open' || attempt >= SETTLE_TRIES) return pull;
    ctx.log.info(
      `GitHub is still computing whether PR #${number} can be merged; asking again in ${SETTLE_WAIT_MS / 1000} s.`,
    );
    await ctx.clock.sleep(SETTLE_WAIT_MS, ctx.signal);
  }
}

/** The PR as GitHub sees it now, shown on the step; refused when GitHub would not merge it. */
async function inspect(ctx: GitHubStepContext, site: GitHubSite, number: number): Promise<PullInfo> {
  const pull = await settledPull(ctx, site, number);
  if (pull.state !== 'open')
    throw new UserError(
      `PR #${number} is ${pull.merged ? 'already merged' : 'closed'} (${pull.url}): run 2.2 again to adopt it or to be told what to do.`,
      'closed-pull',
    );
  const reviews = await site.gh.listReviews(site.lendos, number);
  ctx.log.info(
    `PR #${number} (${pull.head} → ${pull.base}) at ${short(pull.headSha)}: ${mergeableLine(pull)}; reviews: ${reviewsLine(reviews)}`,
  );
  await ctx.progress(`PR #${number}: ${mergeableLine(pull)}; ${reviewsLine(reviews)}`);
  await ctx.record({
    pr: number,
    url: pull.url,
    headSha: pull.headSha,
    mergeable: pull.mergeable,
    mergeableState: pull.mergeableState,
    reviews: reviewsData(reviews),
  });
  const runs =
    pull.mergeableState === 'blocked' ? await site.gh.listRuns(site.lendos, { headSha: pull.headSha }) : [];
  const blocker = mergeBlocker(pull, runs);
  if (blocker) throw new UserError(blocker, pull.mergeableState === 'blocked' ? 'blocked' : 'not-mergeable');
  const warning = mergeWarning(pull);
  if (warning) ctx.log.warn(warning);
  return pull;
}

/** Preflight must have passed on the PR's current head: 2.1's record when it is of this head, else a new run. */
async function requirePreflight(ctx: GitHubStepContext, site: GitHubSite, pull: PullInfo): Promise<void> {
  const recorded = ctx.evidenceOf(PREFLIGHT_STEP);
  const recordedHead = typeof recorded['headSha'] === 'string' ? recorded['headSha'] : undefined;
  if (
    ctx.statusOf(PREFLIGHT_STEP) === 'succeeded' &&
    recorded['passed'] === true &&
    recordedHead === pull.headSha
  ) {
    ctx.log.info(`Preflight (2.1) passed on ${short(pull.headSha)}, the PR's current head.`);
    await ctx.record({ preflightHeadSha: pull.headSha, preflightRerun: false });
    return;
  }
  ctx.log.warn(
    recordedHead && recordedHead !== pull.headSha
      ? `The PR's head moved since preflight ran on ${short(recordedHead)}: it is now ${short(pull.headSha)}. Running preflight again on it.`
      : `No passed preflight is recorded on ${short(pull.headSha)} (2.1 is ${ctx.statusOf(PREFLIGHT_STEP)}): running it now.`,
  );
  const report = await preflightOnPull(ctx, site, pull.number);
  await ctx.record({ preflight: reportData(report), preflightHeadSha: report.headSha, preflightRerun: true });
  if (report.headSha !== pull.headSha) {
    throw new UserError(
      `The PR's head moved again while preflight ran (${short(pull.headSha)} → ${short(report.headSha ?? undefined)}): nothing was merged; run 2.2 again.`,
      'head-moved',
    );
  }
  if (!report.passed)
    throw new UserError(
      failureMessage(report, 'Nothing was merged: fix them, push, and run 2.2 again.'),
      'preflight-failed',
    );
}

async function confirmMerge(ctx: GitHubStepContext, site: GitHubSite, pull: PullInfo): Promise<void> {
  const confirmed = await ctx.prompt.confirm(
    `Merge PR #${pull.number} (${pull.head} → ${pull.base}) in ${repoName(site.lendos)} with a merge commit, at its head ${short(pull.headSha)}? ` +
      `GitHub Actions then builds the changed services from ${pull.base} and pushes their images to ECR.`,
    'Merge',
    `${pull.url}\n${mergeableLine(pull)}`,
  );
  if (!confirmed)
    throw new Declined(`Not merged: not confirmed. PR #${pull.number} stays open; nothing was changed.`);
}

async function merge(ctx: GitHubStepContext, site: GitHubSite, pull: PullInfo): Promise<PullInfo> {
  ctx.log.info(`Merging PR #${pull.number} at ${short(pull.headSha)} with a merge commit`);
  let sha: string;
  try {
    ({ sha } = await site.gh.mergePull(site.lendos, pull.number, { sha: pull.headSha }));
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    throw new UserError(
      `${messageOf(error)} Nothing was merged: run 2.2 again — it re-reads the PR and re-runs preflight when its head moved.`,
      error.reason,
    );
  }
  await ctx.record({ mergeSha: sha });
  const merged = await site.gh.getPull(site.lendos, pull.number);
  return merged?.merged ? merged : { ...pull, merged: true, mergeSha: sha };
}

export const mergeToMain: StepExecutor<UpgradePorts, PullChoice> = {
  stepId: 'staging.merge-to-main',

  async observe(ctx) {
    const state = await releasePull(await githubOf(ctx), ctx.version.format());
    if (state.kind !== 'merged') return { done: false };
    const { pull } = state;
    return {
      done: true,
      summary: `PR #${pull.number} is already merged into ${pull.base} as ${short(pull.mergeSha)}`,
      evidence: mergedEvidence(pull),
    };
  },

  async prepare(ctx) {
    return choosePull(ctx, await githubOf(ctx));
  },

  async run(ctx, choice) {
    const site = await githubOf(ctx);
    const opened = await ensurePull(ctx, site, choice);
    const pull = await inspect(ctx, site, opened.number);
    await requirePreflight(ctx, site, pull);
    await confirmMerge(ctx, site, pull);
    const merged = await merge(ctx, site, pull);
    const evidence = mergedEvidence(merged);
    return {
      summary: `Merged PR #${merged.number} into ${merged.base} as ${short(merged.mergeSha)}; the main build has started`,
      evidence,
    };
  },
};
