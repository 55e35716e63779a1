/**
 * The release report as a comment on the release PR, where product and the team read the release: one comment per
 * release, marked, and replaced in place when it is posted again (never a second copy). The PR is the one the journal
 * recorded (2.2 merge, else 2.1 preflight), else the one GitHub has for the release branch.
 */
import { UserError } from '../../core/errors.js';
import { releaseBranch } from '../../core/names.js';
import type { PlannedStep } from '../../core/plan.js';
import type { GitHub, PullInfo, RepoRef } from '../../ports.js';
import { repoName } from './context.js';
import { findReleasePull, recordedPulls } from './recorded-pull.js';

/** GitHub refuses comments over 65,536 characters; the report is cut before that, saying so. */
const MAX_BODY = 65_000;

export const reportMarker = (version: string): string => `<!-- lendos-release-report ${version} -->`;

export interface ReportPost {
  readonly pr: number;
  readonly url: string;
  /** created: a new comment; updated: the earlier one replaced; unchanged: it already said this. */
  readonly outcome: 'created' | 'updated' | 'unchanged';
}

function bodyOf(version: string, markdown: string): string {
  const marker = reportMarker(version);
  const room = MAX_BODY - marker.length - 200;
  const text = markdown.length <= room ? markdown : `${markdown.slice(0, room)}\n\n… (cut: the whole report is \`lendos report --release ${version}\`)`;
  return `${marker}\n${text}`;
}

/** The release PR to post on (as the approval steps find it, from the plan's evidence); a UserError when there is none yet. */
export async function releasePullFor(gh: GitHub, repo: RepoRef, version: string, plan: readonly PlannedStep[], warn: (line: string) => void): Promise<PullInfo> {
  const evidenceOf = (step: string) => plan.find((p) => p.step.id === step)?.state.evidence ?? {};
  const pull = await findReleasePull(gh, repo, version, recordedPulls(evidenceOf), warn);
  if (pull) return pull;
  throw new UserError(`${repoName(repo)} has no pull request ${releaseBranch(version)} → main to post the report on: 2.1 preflight opens it. Nothing was posted.`, 'no-release-pr');
}

/** What a post did, as said to the person: "Posted the report of release V on PR #N" (or Updated, or left as it was). */
export function reportPostSummary(version: string, posted: ReportPost): string {
  const what = { created: 'Posted', updated: 'Updated', unchanged: 'Already posted, unchanged:' }[posted.outcome];
  return `${what} the report of release ${version} on PR #${posted.pr}`;
}

/** Posts (or replaces) the report of `version` on `pull`, as the signed-in user. */
export async function postReportComment(gh: GitHub, repo: RepoRef, pull: PullInfo, version: string, markdown: string): Promise<ReportPost> {
  const marker = reportMarker(version);
  const body = bodyOf(version, markdown);
  const me = await gh.whoami();
  const earlier = (await gh.listComments(repo, pull.number)).filter((c) => c.user === me && c.body.startsWith(marker)).at(-1);
  if (earlier?.body === body) return { pr: pull.number, url: earlier.url, outcome: 'unchanged' };
  if (earlier) return { pr: pull.number, url: (await gh.updateComment(repo, earlier.id, body)).url, outcome: 'updated' };
  return { pr: pull.number, url: (await gh.createComment(repo, pull.number, body)).url, outcome: 'created' };
}

/** The whole post: the release PR found from the plan's evidence, the report posted on it or updated in place. */
export async function postReleaseReport(request: {
  readonly gh: GitHub;
  readonly repo: RepoRef;
  readonly version: string;
  readonly markdown: string;
  readonly plan: readonly PlannedStep[];
  readonly warn: (line: string) => void;
}): Promise<ReportPost> {
  const pull = await releasePullFor(request.gh, request.repo, request.version, request.plan, request.warn);
  return postReportComment(request.gh, request.repo, pull, request.version, request.markdown);
}
