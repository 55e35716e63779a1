/**
 * 2.1 Run preflight checks: on the release PR (adopted, or opened once confirmed — preflight needs the PR), the four
 * checks recorded as evidence; the step fails, listing each failing check with its fix, unless every one passes.
 */
import { UserError } from '../../core/errors.js';
import type { StepExecutor } from '../../engine/step-types.js';
import type { UpgradePorts } from '../../ports.js';
import { short } from '../layout.js';
import { githubOf, productApprovers, type GitHubSite, type GitHubStepContext } from './context.js';
import { checkLines, failureMessage, preflightPull, reportData, type PreflightReport } from './preflight.js';
import { choosePull, ensurePull, releasePull, type PullChoice } from './release-pull.js';

export const PREFLIGHT_STEP = 'staging.preflight';

/** Preflight on the PR's current head, each check said in the step's log (its terminal). */
export async function preflightOnPull(
  ctx: GitHubStepContext,
  site: GitHubSite,
  number: number,
): Promise<PreflightReport> {
  const pull = await site.gh.getPull(site.lendos, number);
  if (!pull)
    throw new UserError(
      `PR #${number} is gone from GitHub: run this step again to find or open the release PR.`,
      'missing-pull',
    );
  await ctx.progress(`Preflight on PR #${pull.number} at ${short(pull.headSha)}`);
  const report = await preflightPull({
    gh: site.gh,
    lendos: site.lendos,
    version: ctx.version.format(),
    pull,
    approvers: () => productApprovers(ctx, site.gh),
  });
  for (const check of report.checks) {
    const [first = '', ...rest] = checkLines(check);
    if (check.status === 'pass') ctx.log.info(first);
    else ctx.log.warn(first);
    for (const line of rest) ctx.log.info(line);
  }
  return report;
}

export const runPreflight: StepExecutor<UpgradePorts, PullChoice> = {
  stepId: PREFLIGHT_STEP,

  async observe(ctx) {
    const state = await releasePull(await githubOf(ctx), ctx.version.format());
    if (state.kind !== 'merged') return { done: false };
    const { pull } = state;
    return {
      done: true,
      summary: `The release PR #${pull.number} is already merged into ${pull.base}: its preflight is behind it`,
      evidence: { pr: pull.number, url: pull.url, headSha: pull.headSha, merged: true },
    };
  },

  async prepare(ctx) {
    return choosePull(ctx, await githubOf(ctx));
  },

  async run(ctx, choice) {
    const site = await githubOf(ctx);
    const pull = await ensurePull(ctx, site, choice);
    const report = await preflightOnPull(ctx, site, pull.number);
    const evidence = reportData(report);
    await ctx.record(evidence);
    if (!report.passed)
      throw new UserError(failureMessage(report, 'Fix them and run 2.1 again.'), 'preflight-failed');
    return {
      summary: `Preflight passed on PR #${report.pr} at ${short(report.headSha ?? undefined)}: all ${report.checks.length} checks`,
      evidence,
    };
  },
};
