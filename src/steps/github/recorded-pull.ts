/**
 * The release PR (`release/<version>` → `main`) that later steps (approvals, gitflow) work on: the one 2.2 (merge to
 * main) or preflight recorded, else the merged or open one GitHub has for the release branch.
 */
import { UserError } from '../../core/errors.js';
import type { JsonValue } from '../../core/journal/types.js';
import { releaseBranch } from '../../core/names.js';
import type { GitHub, PullInfo, RepoRef } from '../../ports.js';
import { repoName, type GitHubSite, type GitHubStepContext } from './context.js';

/** Steps that record the release PR's number as `pr`, most telling first. */
const RECORDED_BY = ['staging.merge-to-main', 'staging.preflight'] as const;

/** A PR number as evidence holds it: `12`, `"12"`, `"#12"` or `{ number: 12 }`. */
export function pullNumberOf(value: JsonValue | undefined): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value > 0 ? value : undefined;
  if (typeof value === 'string')
    return /^#?[1-9]\d*$/.test(value.trim()) ? Number(value.trim().replace('#', '')) : undefined;
  if (value && typeof value === 'object' && !Array.isArray(value)) return pullNumberOf(value['number']);
  return undefined;
}

/**
 * The release PR: the first of `recorded` (a step and the `pr` it recorded) that GitHub has, else GitHub's merged or
 * open PR of the release branch; undefined when there is none. A recorded PR GitHub lacks is said through `warn`.
 */
export async function findReleasePull(
  gh: GitHub,
  repo: RepoRef,
  version: string,
  recorded: readonly { readonly step: string; readonly pr: JsonValue | undefined }[],
  warn: (line: string) => void,
): Promise<PullInfo | undefined> {
  for (const { step, pr } of recorded) {
    const number = pullNumberOf(pr);
    if (number === undefined) continue;
    const pull = await gh.getPull(repo, number);
    if (pull) return pull;
    warn(`${step} recorded PR #${number}, which ${repoName(repo)} does not have: looking for the release PR by its branch.`);
  }
  const pulls = await gh.findPulls(repo, { head: releaseBranch(version), base: 'main', state: 'all' });
  return pulls.find((p) => p.merged) ?? pulls.find((p) => p.state === 'open');
}

/** The `pr` each step that records the release PR recorded, most telling first. */
export function recordedPulls(evidenceOf: (step: string) => Readonly<Record<string, JsonValue>>): { step: string; pr: JsonValue | undefined }[] {
  return RECORDED_BY.map((step) => ({ step, pr: evidenceOf(step)['pr'] }));
}

export async function recordedReleasePull(ctx: GitHubStepContext, site: GitHubSite): Promise<PullInfo> {
  const pull = await findReleasePull(site.gh, site.lendos, ctx.version.format(), recordedPulls((step) => ctx.evidenceOf(step)), (line) => ctx.log.warn(line));
  if (!pull) {
    throw new UserError(
      `${repoName(site.lendos)} has no pull request ${releaseBranch(ctx.version)} → main: product approves the release on it. ` +
        'Open it (2.2 Merge release branch to main), then run this step again. Nothing was changed.',
      'no-release-pr',
    );
  }
  return pull;
}
