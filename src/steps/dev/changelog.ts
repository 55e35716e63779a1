/**
 * Section 4 · "Generate changelog of merged items since last sync": when dev was last synced is the last commit on
 * lendos-eks-workloads' `main` that changed dev's values-tags file (the tags it deploys); the PRs merged to lendos'
 * `main` since then are listed, grouped (features, fixes, other), as Markdown in the step's log and evidence.
 * Read-only: a fresh look on every run.
 */
import { devChangelog, devChangelogMarkdown, devChangelogText, type MergedPull } from '../../core/dev-changelog.js';
import { UserError } from '../../core/errors.js';
import { locateTags } from '../../core/values-tags/index.js';
import type { StepExecutor } from '../../engine/step-types.js';
import type { UpgradePorts } from '../../ports.js';
import { githubOf, repoName } from '../github/context.js';
import { MAIN, REMOTE, remoteRef, short } from '../layout.js';
import { cloneOf, fetchClone } from '../values-tags/clone.js';

export const devChangelogStep: StepExecutor<UpgradePorts> = {
  stepId: 'dev.changelog',

  /** A changelog is a fresh look each time: never adopted. */
  async observe() {
    return { done: false };
  },

  async run(ctx) {
    const file = ctx.config.environments.dev.valuesTagsFile;
    const clone = cloneOf(ctx);
    await fetchClone(ctx, clone);
    const synced = await ctx.ports.git.lastCommit(clone.dir, remoteRef(MAIN), file);
    if (!synced) {
      throw new UserError(`${REMOTE}/${MAIN} of ${ctx.config.repositories.workloads} has no ${file}: check lendos.environments.dev.valuesTagsFile. Nothing was changed.`, 'values-tags-file');
    }
    const text = (await ctx.ports.git.showFile(clone.dir, synced.sha, file)) ?? '';
    const deployed = [...new Set(locateTags(text).sites.map((site) => site.tag))];
    ctx.log.info(`Dev was last synced by ${short(synced.sha)} (${synced.date}) of ${file}: ${deployed.join(', ') || 'no tags'}`);
    const site = await githubOf(ctx);
    const pulls: MergedPull[] = (await site.gh.findPulls(site.lendos, { base: MAIN, state: 'closed' }))
      .filter((p) => p.merged && p.mergedAt)
      .map((p) => ({ number: p.number, title: p.title, author: p.author, mergedAt: p.mergedAt ?? '', url: p.url }));
    const changelog = devChangelog(pulls, new Date(synced.date).toISOString());
    const heading = `Merged to ${repoName(site.lendos)} main since the last dev sync (${synced.date.slice(0, 10)})`;
    const markdown = devChangelogMarkdown(changelog, heading);
    for (const line of devChangelogText(changelog, heading)) ctx.log.info(line);
    return {
      summary: `${changelog.count} PR(s) merged to main since dev was last synced (${synced.date.slice(0, 16).replace('T', ' ')}, ${short(synced.sha)})`,
      evidence: {
        since: changelog.since,
        sinceCommit: synced.sha,
        deployedTags: deployed,
        pulls: changelog.groups.flatMap((g) => g.pulls.map((p) => ({ number: p.number, title: p.title, group: g.title, url: p.url }))),
        changelog: markdown.join('\n'),
        headline: `${changelog.count} PR(s) since ${changelog.since.slice(0, 10)}`,
      },
    };
  },
};
