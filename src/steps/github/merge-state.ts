/** What GitHub says about a release PR before its merge, in words (pure): reviews, mergeability, what blocks it. */
import type { JsonValue } from '../../core/journal/types.js';
import type { PullInfo, ReviewInfo, WorkflowRunInfo } from '../../ports.js';
import { REMOTE, short } from '../layout.js';

export function reviewsLine(reviews: readonly ReviewInfo[]): string {
  if (reviews.length === 0) return 'no reviews';
  return reviews
    .map((r) => `${r.user} ${r.state.toLowerCase().replace(/_/g, ' ')} on ${short(r.commitId)}`)
    .join('; ');
}

export function reviewsData(reviews: readonly ReviewInfo[]): JsonValue {
  return reviews.map((r) => ({
    user: r.user,
    state: r.state,
    commit: r.commitId,
    submittedAt: r.submittedAt ?? null,
  }));
}

export function mergeableLine(pull: PullInfo): string {
  if (pull.mergeable === null) return `mergeability not computed yet (${pull.mergeableState})`;
  return `${pull.mergeable ? 'mergeable' : 'not mergeable'} (${pull.mergeableState})`;
}

/** Runs of the head that did not succeed: a failed, cancelled or timed-out check, or one still going. */
export function unfinishedRuns(runs: readonly WorkflowRunInfo[]): WorkflowRunInfo[] {
  return runs.filter(
    (r) => r.status !== 'completed' || !['success', 'neutral', 'skipped'].includes(r.conclusion ?? ''),
  );
}

const runWords = (r: WorkflowRunInfo) => `${r.name} (${r.status === 'completed' ? r.conclusion : r.status})`;

/** Why GitHub would not merge the PR now, with what to do; undefined when nothing blocks it. */
export function mergeBlocker(pull: PullInfo, runs: readonly WorkflowRunInfo[] = []): string | undefined {
  const branch = pull.head;
  const rerun = 'then run 2.2 again (it re-runs preflight on the new head). Nothing was merged.';
  if (pull.mergeable === false || pull.mergeableState === 'dirty') {
    return (
      `PR #${pull.number} (${branch} → ${pull.base}) conflicts with ${pull.base}: GitHub cannot merge it. Merge ${pull.base} into the ` +
      `release branch and resolve the conflicts there — git fetch ${REMOTE} && git checkout ${branch} && git merge ${REMOTE}/${pull.base}, ` +
      `resolve, commit, git push — ${rerun}`
    );
  }
  if (pull.mergeableState === 'draft')
    return `PR #${pull.number} is a draft: mark it ready for review on GitHub (${pull.url}), ${rerun}`;
  if (pull.mergeableState === 'blocked') {
    const failing = unfinishedRuns(runs);
    const which =
      failing.length > 0
        ? ` Checks of its head ${short(pull.headSha)} that have not passed: ${failing.map(runWords).join(', ')}.`
        : '';
    return (
      `GitHub reports PR #${pull.number} as blocked: a required status check has not passed or a required review is missing.${which} ` +
      `See ${pull.url}/checks; once they pass, ${rerun}`
    );
  }
  return undefined;
}

/** States GitHub still merges in, said before the merge. */
export function mergeWarning(pull: PullInfo): string | undefined {
  if (pull.mergeableState === 'unstable')
    return `Some non-required checks of PR #${pull.number} are failing; GitHub still allows the merge.`;
  if (pull.mergeableState === 'behind')
    return `${pull.head} is behind ${pull.base}; GitHub still allows the merge.`;
  return undefined;
}
