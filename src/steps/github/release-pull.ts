/**
 * The release PR `release/<v>` → `main` (runbook 2.2, first half), shared by 2.1 and 2.2: the open one is adopted; when
 * there is none it is opened — titled `Release <v>`, its body listing the milestone's closed issues — once confirmed.
 * A release PR on another base, or one closed without merging, is reported with what to do.
 */
import { UserError } from '../../core/errors.js';
import { releaseBranch, releasePrTitle } from '../../core/names.js';
import type { IssueInfo, PullInfo } from '../../ports.js';
import { MAIN, short } from '../layout.js';
import { repoName, type GitHubSite, type GitHubStepContext } from './context.js';
import { findMilestone } from './preflight-verdicts.js';

export interface PullPlan {
  readonly head: string;
  readonly base: string;
  readonly title: string;
  readonly body: string;
}

export type ReleasePullState =
  | { readonly kind: 'open'; readonly pull: PullInfo }
  | { readonly kind: 'merged'; readonly pull: PullInfo }
  | { readonly kind: 'none' };

/** What the person chose in `prepare`: the PR to adopt, or the one to open. */
export type PullChoice = { readonly pull: PullInfo } | { readonly plan: PullPlan };

function wrongBase(site: GitHubSite, pull: PullInfo): UserError {
  return new UserError(
    `PR #${pull.number} (${pull.url}) goes ${pull.head} → ${pull.base}, not → ${MAIN}: the release PR merges into ${MAIN}. ` +
      `Change its base to ${MAIN} on GitHub (Edit, next to its title), or close it and run this step again to open ${pull.head} → ${MAIN} ` +
      `in ${repoName(site.lendos)}. Nothing was changed.`,
    'wrong-base',
  );
}

function closedUnmerged(pull: PullInfo): UserError {
  return new UserError(
    `The release PR #${pull.number} (${pull.head} → ${pull.base}, ${pull.url}) was closed without being merged. If it was closed by ` +
      'mistake, reopen it on GitHub and run this step again (it adopts the reopened PR); if it was closed on purpose, find out why ' +
      'before releasing: LendOS does not open a second release PR over a closed one. Nothing was changed.',
    'closed-pull',
  );
}

/** The release PR's state: open (adopt it), merged, or none yet; a PR to another base or a closed one is refused. */
export async function releasePull(site: GitHubSite, version: string): Promise<ReleasePullState> {
  const head = releaseBranch(version);
  const pulls = (await site.gh.findPulls(site.lendos, { head, state: 'all' }))
    .filter((p) => p.head === head)
    .sort((a, b) => a.number - b.number);
  const toMain = pulls.filter((p) => p.base === MAIN);
  const open = toMain.find((p) => p.state === 'open');
  if (open) return { kind: 'open', pull: open };
  const merged = toMain.filter((p) => p.merged).pop();
  if (merged) return { kind: 'merged', pull: merged };
  const elsewhere = pulls.find((p) => p.state === 'open');
  if (elsewhere) throw wrongBase(site, elsewhere);
  const closed = toMain.filter((p) => p.state === 'closed').pop();
  if (closed) throw closedUnmerged(closed);
  return { kind: 'none' };
}

/** The PR body: the milestone's closed issues as `- #N Title`. */
export function releasePullBody(
  version: string,
  milestone: string | undefined,
  closed: readonly IssueInfo[],
): string {
  const intro = `Release ${version}: ${releaseBranch(version)} → ${MAIN}.`;
  if (!milestone) return `${intro}\n\nNo milestone is named ${version}; list the release's changes here.\n`;
  if (closed.length === 0) return `${intro}\n\nMilestone ${milestone} has no closed issues yet.\n`;
  const lines = [...closed].sort((a, b) => a.number - b.number).map((i) => `- #${i.number} ${i.title}`);
  return `${intro}\n\nIssues of milestone ${milestone}:\n${lines.join('\n')}\n`;
}

export async function planReleasePull(site: GitHubSite, version: string): Promise<PullPlan> {
  const { found } = findMilestone(await site.gh.listMilestones(site.lendos), version);
  const closed = found
    ? await site.gh.listIssues(site.lendos, { milestone: found.number, state: 'closed' })
    : [];
  return {
    head: releaseBranch(version),
    base: MAIN,
    title: releasePrTitle(version),
    body: releasePullBody(version, found?.title, closed),
  };
}

/** `prepare`: adopt the open release PR, or ask to open it; undefined when the person declines. */
export async function choosePull(ctx: GitHubStepContext, site: GitHubSite): Promise<PullChoice | undefined> {
  const version = ctx.version.format();
  const state = await releasePull(site, version);
  if (state.kind !== 'none') {
    ctx.log.info(
      `The release PR is #${state.pull.number} (${state.pull.head} → ${state.pull.base}, ${state.pull.state}): ${state.pull.url}`,
    );
    return { pull: state.pull };
  }
  const plan = await planReleasePull(site, version);
  const confirmed = await ctx.prompt.confirm(
    `There is no release PR yet. Open ${plan.head} → ${plan.base} in ${repoName(site.lendos)} titled "${plan.title}"?`,
    'Open PR',
    plan.body,
  );
  return confirmed ? { plan } : undefined;
}

/** `run`: the chosen PR, opened now when it was planned (recorded at once). */
export async function ensurePull(
  ctx: GitHubStepContext,
  site: GitHubSite,
  choice: PullChoice,
): Promise<PullInfo> {
  if ('pull' in choice) return choice.pull;
  ctx.log.info(
    `Opening ${choice.plan.head} → ${choice.plan.base} in ${repoName(site.lendos)}: "${choice.plan.title}"`,
  );
  const pull = await site.gh.createPull(site.lendos, choice.plan);
  await ctx.record({ pr: pull.number, url: pull.url, opened: true });
  await ctx.progress(`Opened PR #${pull.number} at ${short(pull.headSha)}`);
  ctx.log.info(`Opened PR #${pull.number}: ${pull.url}`);
  return pull;
}
