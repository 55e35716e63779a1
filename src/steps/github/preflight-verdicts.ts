/**
 * The preflight checks' verdicts from what was read (pure: no ports). Each answers a `CheckResult`: pass, fail or
 * skipped, what was found (detail), what to do when it does not pass (fix), and the evidence as JSON.
 */
import type { EventData } from '../../core/journal/types.js';
import type { IssueInfo, MilestoneInfo, PullInfo, ReviewInfo } from '../../ports.js';
import { GENERATED_DIR, short } from '../layout.js';
import type { Approvers } from './context.js';

export type CheckId = 'version' | 'generated-code' | 'milestone' | 'approval';
export type CheckStatus = 'pass' | 'fail' | 'skipped';

export interface CheckResult {
  readonly check: CheckId;
  readonly title: string;
  readonly status: CheckStatus;
  /** What was found (the evidence in words). */
  readonly detail: string;
  /** What to do, when the check does not pass. */
  readonly fix?: string;
  readonly evidence: EventData;
}

export const CHECK_TITLES: Readonly<Record<CheckId, string>> = {
  version: 'VERSION matches the release',
  'generated-code': 'No generated code committed',
  milestone: 'Milestone complete',
  approval: 'Product approval on the PR',
};

/** How many offending paths a message names before "and N more". */
const NAMED = 5;

export const result = (
  check: CheckId,
  status: CheckStatus,
  detail: string,
  evidence: EventData,
  fix?: string,
): CheckResult => ({
  check,
  title: CHECK_TITLES[check],
  status,
  detail,
  ...(status !== 'pass' && fix ? { fix } : {}),
  evidence,
});

const listed = (items: readonly string[]) =>
  items.length > NAMED
    ? `${items.slice(0, NAMED).join(', ')} and ${items.length - NAMED} more`
    : items.join(', ');

export function versionVerdict(
  found: string | undefined,
  version: string,
  where: string,
  branch: string,
): CheckResult {
  const evidence = { expected: version, found: found?.trim() ?? null };
  const fix = `Write ${version} to VERSION on ${branch}, commit and push (step 1.2 Bump VERSION does this).`;
  if (found === undefined)
    return result('version', 'fail', `There is no VERSION file at ${where}.`, evidence, fix);
  if (found.trim() !== version)
    return result(
      'version',
      'fail',
      `VERSION at ${where} reads "${found.trim()}", not ${version}.`,
      evidence,
      fix,
    );
  return result('version', 'pass', `VERSION at ${where} reads ${version}.`, evidence);
}

export function generatedVerdict(paths: readonly string[], where: string, branch: string): CheckResult {
  const evidence = { folder: GENERATED_DIR, count: paths.length, offenders: paths.slice(0, 20) };
  if (paths.length === 0)
    return result(
      'generated-code',
      'pass',
      `Nothing is committed under ${GENERATED_DIR} at ${where}.`,
      evidence,
    );
  return result(
    'generated-code',
    'fail',
    `${paths.length} generated file(s) committed under ${GENERATED_DIR} at ${where}: ${listed(paths)}.`,
    evidence,
    `Remove them from ${branch}: git rm -r --cached ${GENERATED_DIR} && git commit -m "Remove generated DAML upgrade code" && git push ` +
      '(generate-upgrade.sh writes them on the upgrade branch; they never belong on the release branch).',
  );
}

/** The milestone titled exactly `version`, or the ones that look meant for it (`Release 2025.4.0`, `v2025.4.0`). */
export function findMilestone(
  milestones: readonly MilestoneInfo[],
  version: string,
): { found?: MilestoneInfo; similar: MilestoneInfo[] } {
  const found = milestones.find((m) => m.title.trim() === version);
  const pattern = new RegExp(`(^|[^0-9.])${version.replace(/\./g, '\\.')}($|[^0-9.])`);
  return {
    ...(found ? { found } : {}),
    similar: found ? [] : milestones.filter((m) => pattern.test(m.title)),
  };
}

export function missingMilestoneVerdict(
  milestones: readonly MilestoneInfo[],
  version: string,
  similar: readonly MilestoneInfo[],
): CheckResult {
  const existing = milestones.map((m) => `${m.title} (${m.state})`);
  const evidence = {
    milestone: version,
    found: false,
    milestones: milestones.map((m) => m.title),
    similar: similar.map((m) => m.title),
  };
  const detail = `No milestone is named ${version}. ${existing.length > 0 ? `Milestones: ${existing.join(', ')}.` : 'The repository has no milestones.'}`;
  const fix =
    similar.length > 0
      ? `Rename milestone "${similar[0]?.title}" to "${version}": the release's milestone is named by its version, exactly.`
      : `Create milestone ${version} on GitHub (Issues → Milestones) and put the release's issues in it, or rename the release's milestone to ${version}.`;
  return result('milestone', 'fail', detail, evidence, fix);
}

export function milestoneVerdict(milestone: MilestoneInfo, open: readonly IssueInfo[]): CheckResult {
  const issue = (i: IssueInfo) =>
    `#${i.number} ${i.title} (${i.assignee ? `assigned to ${i.assignee}` : 'unassigned'})`;
  const evidence = {
    milestone: milestone.title,
    number: milestone.number,
    closedIssues: milestone.closedIssues,
    open: open.map((i) => ({ number: i.number, title: i.title, assignee: i.assignee ?? null })),
  };
  if (open.length === 0) {
    return result(
      'milestone',
      'pass',
      `Milestone ${milestone.title}: ${milestone.closedIssues} closed issue(s), none open.`,
      evidence,
    );
  }
  return result(
    'milestone',
    'fail',
    `Milestone ${milestone.title} has ${open.length} open issue(s): ${open.map(issue).join('; ')}.`,
    evidence,
    `Close them, or move those that are not in this release to the next milestone (${milestone.url}); then run preflight again.`,
  );
}

/** Each reviewer's latest review that decides (approved, changes requested, dismissed); comments do not. */
export function latestDecisions(reviews: readonly ReviewInfo[]): Map<string, ReviewInfo> {
  const latest = new Map<string, ReviewInfo>();
  for (const review of reviews) {
    if (!['APPROVED', 'CHANGES_REQUESTED', 'DISMISSED'].includes(review.state)) continue;
    const before = latest.get(review.user);
    if (!before || (review.submittedAt ?? '') >= (before.submittedAt ?? '')) latest.set(review.user, review);
  }
  return latest;
}

function approvedWording(review: ReviewInfo, headSha: string): string {
  return review.commitId === headSha
    ? `${review.user} on the head ${short(headSha)}`
    : `${review.user} on an earlier commit ${short(review.commitId)} (the head is now ${short(headSha)})`;
}

export function approvalVerdict(
  pull: PullInfo,
  reviews: readonly ReviewInfo[],
  approvers: Approvers,
): CheckResult {
  const decisions = [...latestDecisions(reviews).values()];
  const byApprovers = decisions.filter((r) => approvers.logins.has(r.user));
  const approved = byApprovers.filter((r) => r.state === 'APPROVED');
  const changes = byApprovers.filter((r) => r.state === 'CHANGES_REQUESTED');
  const others = decisions.filter((r) => r.state === 'APPROVED' && !approvers.logins.has(r.user));
  const evidence = {
    approvedBy: approved.map((r) => ({
      user: r.user,
      commit: r.commitId,
      onHead: r.commitId === pull.headSha,
    })),
    changesRequestedBy: changes.map((r) => r.user),
    notApprovers: others.map((r) => r.user),
  };
  const notes = [
    ...others.map((r) => `approved by ${r.user}, who is not a product approver`),
    ...changes.map((r) => `${r.user} requested changes`),
  ];
  const ask = `Ask ${approvers.described} (product approvers) to review and approve PR #${pull.number} (${pull.url}); then run preflight again.`;
  if (changes.length > 0) {
    return result(
      'approval',
      'fail',
      `PR #${pull.number} is not approved by product: ${notes.join('; ')}.`,
      evidence,
      `Resolve what ${changes.map((r) => r.user).join(', ')} asked for, push, and ${ask.charAt(0).toLowerCase()}${ask.slice(1)}`,
    );
  }
  if (approved.length > 0) {
    const extra = notes.length > 0 ? ` (${notes.join('; ')})` : '';
    return result(
      'approval',
      'pass',
      `PR #${pull.number} is approved by ${approved.map((r) => approvedWording(r, pull.headSha)).join(', ')}${extra}.`,
      evidence,
    );
  }
  const why =
    notes.length > 0
      ? notes.join('; ')
      : reviews.length === 0
        ? 'it has no reviews yet'
        : 'no product approver has approved it';
  return result('approval', 'fail', `PR #${pull.number} has no product approval: ${why}.`, evidence, ask);
}
