/**
 * Follows the GitHub Actions runs of a merge commit on main until every one has finished: progress on the step,
 * polls with backoff through the step's clock (a cancel ends the wait at once and leaves the build running), a run
 * that never starts and a run that fails each reported with where to look.
 */
import { UserError } from '../../core/errors.js';
import { Cancelled } from '../../engine/step-types.js';
import type { GitHub, RepoRef, WorkflowRunInfo } from '../../ports.js';
import type { GitHubStepContext } from './context.js';

export const MAIN = 'main';

/** Polling: first after 2 s, then 1.5 times longer each time up to 30 s; back to 2 s when a run changes. */
const POLL = { firstMs: 2_000, factor: 1.5, maxMs: 30_000 } as const;

/** Conclusions of a finished run that did not fail. */
const PASSED = new Set(['success', 'skipped', 'neutral']);

/** The web address of GitHub (or GitHub Enterprise) for its API's URL. */
export function webBaseOf(apiUrl: string): string {
  const base = apiUrl.replace(/\/+$/, '');
  if (base === 'https://api.github.com') return 'https://github.com';
  return base.replace(/\/api\/v3$/, '');
}

/** Where a person watches main's Actions runs. */
export function actionsUrl(apiUrl: string, repo: RepoRef): string {
  return `${webBaseOf(apiUrl)}/${repo.owner}/${repo.name}/actions?query=branch%3A${MAIN}`;
}

export const short = (sha: string) => sha.slice(0, 7);

/** "<1 min", "3 min": coarse, so the progress line (journalled) changes about once a minute. */
export function elapsed(fromIso: string, now: Date): string {
  const minutes = Math.floor(Math.max(0, now.getTime() - Date.parse(fromIso)) / 60_000);
  return minutes < 1 ? '<1 min' : `${minutes} min`;
}

/** "Build and Publish in_progress (2 min); CI queued (5 s)". */
export function runsLine(runs: readonly WorkflowRunInfo[], now: Date): string {
  return runs.map((run) => `${run.name} ${run.status} (${elapsed(run.createdAt, now)})`).join('; ');
}

export function failedRun(runs: readonly WorkflowRunInfo[]): WorkflowRunInfo | undefined {
  return runs.find((run) => run.status === 'completed' && !PASSED.has(run.conclusion ?? ''));
}

export function buildFailure(run: WorkflowRunInfo, sha: string): UserError {
  return new UserError(
    `The main build of ${short(sha)} failed: ${run.name} ended ${run.conclusion ?? 'without a conclusion'} — ${run.url}. ` +
      'No image of this merge can be trusted: read the run’s log, fix the cause on main (or re-run the workflow in GitHub), then run this step again.',
    'main-build-failed',
  );
}

/** The runs for `sha` on main (GitHub's filter, checked again here). */
export async function runsOf(gh: GitHub, repo: RepoRef, sha: string): Promise<WorkflowRunInfo[]> {
  return (await gh.listRuns(repo, { headSha: sha, branch: MAIN })).filter((run) => run.headSha === sha);
}

export interface Follow {
  readonly gh: GitHub;
  readonly repo: RepoRef;
  readonly sha: string;
}

function neverStarted(ctx: GitHubStepContext, follow: Follow, seconds: number): UserError {
  return new UserError(
    `No GitHub Actions run started for ${short(follow.sha)} on ${MAIN} within ${seconds} s (github.buildStartTimeoutSeconds). ` +
      `Look at ${actionsUrl(ctx.config.github.apiUrl, follow.repo)}: the "Build and Publish" workflow may be disabled, or its ` +
      'trigger did not fire for this push. Start it there (or push again), then run this step again.',
    'main-build-not-started',
  );
}

function cancelled(ctx: GitHubStepContext, follow: Follow): Cancelled {
  return new Cancelled(
    `Stopped following the main build of ${short(follow.sha)}; the build goes on in GitHub Actions ` +
      `(${actionsUrl(ctx.config.github.apiUrl, follow.repo)}). Run this step again to pick it up where it is.`,
  );
}

async function wait(ctx: GitHubStepContext, follow: Follow, ms: number): Promise<void> {
  try {
    await ctx.clock.sleep(ms, ctx.signal);
  } catch (error) {
    if (ctx.signal.aborted) throw cancelled(ctx, follow);
    throw error;
  }
}

/**
 * Every run for the merge commit, once all have finished successfully. Fails on the first failed run (with its link)
 * and when no run has appeared within `github.buildStartTimeoutSeconds`.
 */
export async function followBuild(ctx: GitHubStepContext, follow: Follow): Promise<WorkflowRunInfo[]> {
  const started = ctx.clock.now().getTime();
  const timeoutSeconds = ctx.config.github.buildStartTimeoutSeconds;
  let delay: number = POLL.firstMs;
  let said = '';
  let states = '';
  for (;;) {
    if (ctx.signal.aborted) throw cancelled(ctx, follow);
    const runs = await runsOf(follow.gh, follow.repo, follow.sha);
    // A cancel during the request: stop here, even when the build has just finished.
    if (ctx.signal.aborted) throw cancelled(ctx, follow);
    const failed = failedRun(runs);
    if (failed) throw buildFailure(failed, follow.sha);
    if (runs.length > 0 && runs.every((run) => run.status === 'completed')) return runs;
    const now = ctx.clock.now();
    const left = started + timeoutSeconds * 1000 - now.getTime();
    if (runs.length === 0 && left <= 0) throw neverStarted(ctx, follow, timeoutSeconds);
    const changed = runs.map((run) => `${run.id}:${run.status}`).join(' ');
    if (changed !== states) delay = POLL.firstMs;
    states = changed;
    const line =
      runs.length === 0 ? `Waiting for the main build of ${short(follow.sha)} to start` : runsLine(runs, now);
    if (line !== said) {
      await ctx.progress(line);
      ctx.log.info(line);
      said = line;
    }
    await wait(ctx, follow, runs.length === 0 ? Math.min(delay, Math.max(left, 0) + 1) : delay);
    delay = Math.min(POLL.maxMs, Math.round(delay * POLL.factor));
  }
}
