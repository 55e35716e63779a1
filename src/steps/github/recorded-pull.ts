/**
 * The release PR (`release/<version>` → `main`) that later steps (approvals, gitflow) work on: the one 2.2 (merge to
 * main) or preflight recorded, else the merged or open one GitHub has for the release branch.
 */
import { UserError } from '../../core/errors.js';
import type { JsonValue } from '../../core/journal/types.js';
import { releaseBranch } from '../../core/names.js';
import type { PullInfo } from '../../ports.js';
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

export async function recordedReleasePull(ctx: GitHubStepContext, site: GitHubSite): Promise<PullInfo> {
  for (const step of RECORDED_BY) {
    const number = pullNumberOf(ctx.evidenceOf(step)['pr']);
    if (number === undefined) continue;
    const pull = await site.gh.getPull(site.lendos, number);
    if (pull) return pull;
    ctx.log.warn(
      `${step} recorded PR #${number}, which ${repoName(site.lendos)} does not have: looking for the release PR by its branch.`,
    );
  }
  const head = releaseBranch(ctx.version);
  const pulls = await site.gh.findPulls(site.lendos, { head, base: 'main', state: 'all' });
  const pull = pulls.find((p) => p.merged) ?? pulls.find((p) => p.state === 'open');
  if (!pull) {
    throw new UserError(
      `${repoName(site.lendos)} has no pull request ${head} → main: product approves the release on it. ` +
        'Open it (2.2 Merge release branch to main), then run this step again. Nothing was changed.',
      'no-release-pr',
    );
  }
  return pull;
}
