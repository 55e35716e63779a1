/**
 * 2.3 / 3.1 Update values-tags: the environment's values-tags file in lendos-eks-workloads set to the release's tags —
 * the edit shown as a diff and applied only when the person applies it — on `release/<v>-values[-production]` from an
 * up-to-date `main`, committed, pushed, its PR opened and followed until merged. A rerun adopts the branch, the PR or
 * a `main` that already holds the tags.
 */
import { UserError } from '../../core/errors.js';
import type { EventData } from '../../core/journal/types.js';
import { valuesBranch, valuesTagsCommitMessage, valuesTagsPrBody, valuesTagsPrTitle } from '../../core/names.js';
import type { StepExecutor, StepOutcome } from '../../engine/step-types.js';
import type { PullInfo, UpgradePorts } from '../../ports.js';
import { checkedBranch } from '../git-flow.js';
import { githubOf, repoName, type GitHubSite } from '../github/context.js';
import { MAIN, REMOTE, short } from '../layout.js';
import { carryToMain, reviewProposal, type ValuesTarget } from './apply.js';
import { checkClone, cloneOf, fetchClone, type Clone, type ValuesTagsContext } from './clone.js';
import { existingBranch, holdsTags, propose, valuesFile, type ExistingBranch, type Proposal } from './proposal.js';
import { findPull } from './pull.js';
import { environmentOf, tagsLine, wantedTags, type WantedTags } from './wanted.js';

type Input =
  | { readonly kind: 'adopt'; readonly wanted: WantedTags; readonly proposal: Proposal }
  | { readonly kind: 'apply'; readonly wanted: WantedTags; readonly proposal: Proposal }
  | { readonly kind: 'resume'; readonly wanted: WantedTags; readonly branch: ExistingBranch };

const branchOf = (ctx: ValuesTagsContext) => checkedBranch(valuesBranch(ctx.version, environmentOf(ctx)));

interface Done {
  readonly wanted: WantedTags;
  readonly pull?: PullInfo;
  readonly commit?: string;
  readonly mergeSha: string | null;
  readonly changes?: Proposal['changes'];
}

function outcome(ctx: ValuesTagsContext, done: Done): StepOutcome {
  const environment = environmentOf(ctx);
  const file = valuesFile(ctx, environment);
  const { pull, wanted } = done;
  const evidence: EventData = {
    environment,
    file,
    tags: { ...wanted.tags },
    tagsFrom: wanted.from,
    branch: branchOf(ctx),
    commit: done.commit ?? null,
    pr: pull?.number ?? null,
    url: pull?.url ?? null,
    mergeSha: pull?.mergeSha ?? done.mergeSha,
    changes: (done.changes ?? []).map((c) => ({ service: c.service, from: c.from, to: c.to, line: c.line })),
    headline: pull ? `PR #${pull.number}` : `already on ${MAIN}`,
  };
  const where = pull ? `PR #${pull.number} merged into ${MAIN} as ${short(pull.mergeSha)}` : `${MAIN} already held them`;
  return { summary: `${file}: ${tagsLine(wanted.tags)} — ${where}`, evidence };
}

/** The release's values-tags target in `environment`. */
function targetOf(ctx: ValuesTagsContext): ValuesTarget {
  const environment = environmentOf(ctx);
  return {
    environment,
    file: valuesFile(ctx, environment),
    branch: branchOf(ctx),
    message: valuesTagsCommitMessage(ctx.version, environment),
    title: valuesTagsPrTitle(ctx.version, environment),
    body: valuesTagsPrBody(ctx.version, environment),
  };
}

async function followPull(ctx: ValuesTagsContext, site: GitHubSite, clone: Clone, input: Exclude<Input, { kind: 'adopt' }>): Promise<Done> {
  const merged = await carryToMain(ctx, site, clone, targetOf(ctx), input);
  return { wanted: input.wanted, ...merged, changes: input.kind === 'apply' ? input.proposal.changes : [] };
}

async function review(ctx: ValuesTagsContext, clone: Clone, wanted: WantedTags, proposal: Proposal): Promise<Input> {
  const env = ctx.config.environments[environmentOf(ctx)];
  await reviewProposal(ctx, clone, `${env.label} values-tags for release ${ctx.version.format()}`, proposal);
  return { kind: 'apply', wanted, proposal };
}

export const updateValuesTags: StepExecutor<UpgradePorts, Input> = {
  stepId: /^(staging|production)\.values-tags$/,

  async observe(ctx) {
    let wanted: WantedTags;
    try {
      wanted = wantedTags(ctx);
    } catch {
      return { done: false };
    }
    const environment = environmentOf(ctx);
    const site = await githubOf(ctx);
    const text = await site.gh.fileAt(site.workloads, MAIN, valuesFile(ctx, environment));
    if (!holdsTags(ctx, environment, text, wanted.tags)) return { done: false };
    const pull = await findPull(site, cloneOf(ctx), branchOf(ctx)).catch(() => undefined);
    const done = outcome(ctx, { wanted, ...(pull?.merged ? { pull } : {}), mergeSha: null });
    return { done: true, summary: `${repoName(site.workloads)} ${done.summary}`, evidence: done.evidence };
  },

  async prepare(ctx) {
    const wanted = wantedTags(ctx);
    const branch = branchOf(ctx);
    const clone = cloneOf(ctx);
    const site = await githubOf(ctx);
    const access = await site.gh.checkAccess(site.workloads);
    if (!access.ok) throw new UserError(access.reason, 'no-access');
    await checkClone(ctx, clone, branch);
    await fetchClone(ctx, clone);
    const environment = environmentOf(ctx);
    const existing = await existingBranch(ctx, clone, environment, branch, wanted.tags);
    if (existing) {
      ctx.log.info(`${branch} already holds the release's tags (${short(existing.tip)}): adopting it.`);
      return { kind: 'resume', wanted, branch: existing };
    }
    const proposal = await propose(ctx, clone, environment, wanted.tags);
    if (proposal.changes.length === 0) return { kind: 'adopt', wanted, proposal };
    return review(ctx, clone, wanted, proposal);
  },

  async run(ctx, input) {
    const clone = cloneOf(ctx);
    if (input.kind === 'adopt') {
      ctx.log.info(`${input.proposal.file} on ${REMOTE}/${MAIN} already holds ${tagsLine(input.wanted.tags)}: nothing to change.`);
      return outcome(ctx, { wanted: input.wanted, mergeSha: input.proposal.base });
    }
    return outcome(ctx, await followPull(ctx, await githubOf(ctx), clone, input));
  },
};
