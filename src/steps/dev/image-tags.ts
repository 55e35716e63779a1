/**
 * Section 4 · "Image tags": dev's values-tags set per portal — the newest `main` builds or a `deploy/dev-…` build —
 * through the same exact edit as a release's: shown before it is written, then on `dev/values-<UTC stamp>` from an
 * up-to-date `main`, committed, pushed, its PR followed until merged. The tags and branch chosen are kept for the
 * sync: a rerun (after a crash or a cancel) carries the same change on without asking again.
 */
import { UserError } from '../../core/errors.js';
import type { EventData, JsonValue } from '../../core/journal/types.js';
import type { StepContext, StepExecutor, StepOutcome } from '../../engine/step-types.js';
import type { UpgradePorts } from '../../ports.js';
import { githubOf } from '../github/context.js';
import { MAIN, REMOTE, short } from '../layout.js';
import { carryToMain, reviewProposal, type Applied, type ValuesTarget } from '../values-tags/apply.js';
import { checkClone, cloneOf, fetchClone } from '../values-tags/clone.js';
import { existingBranch, holdsTags, propose } from '../values-tags/proposal.js';
import { tagsLine } from '../values-tags/wanted.js';
import { choiceFields, listPortals, PORTAL_FIELDS, resolveChoices, type PortalTags } from './tag-choice.js';

type Context = StepContext<UpgradePorts>;
const STEP = 'dev.image-tags';

interface Chosen {
  readonly branch: string;
  readonly portals: readonly PortalTags[];
}

type Input = ({ readonly kind: 'adopt'; readonly base: string } | Applied) & { readonly chosen: Chosen };

const allTags = (chosen: Chosen): Record<string, string> => Object.assign({}, ...chosen.portals.map((p) => p.tags)) as Record<string, string>;

const stamp = (at: Date) => at.toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-');

function targetOf(ctx: Context, chosen: Chosen): ValuesTarget {
  const choices = chosen.portals.map((p) => `${p.portal} ${p.choice === 'main' ? 'on main builds' : `on ${p.choice}`}`).join(', ');
  return {
    environment: 'dev',
    file: ctx.config.environments.dev.valuesTagsFile,
    branch: chosen.branch,
    message: `Sync dev: ${choices}`,
    title: `Sync dev: ${choices}`,
    body: `Sets dev's image tags for a dev sync: ${tagsLine(allTags(chosen))}.`,
  };
}

/** The choice an earlier run of this sync recorded, if any. */
function recorded(ctx: Context): Chosen | undefined {
  const evidence = ctx.evidenceOf(STEP);
  const portals = evidence['portals'];
  if (typeof evidence['branch'] !== 'string' || !Array.isArray(portals) || portals.length === 0) return undefined;
  return { branch: evidence['branch'], portals: portals as unknown as PortalTags[] };
}

async function choose(ctx: Context): Promise<Chosen | undefined> {
  const earlier = recorded(ctx);
  if (earlier) {
    ctx.log.info(`This sync already chose ${earlier.portals.map((p) => `${p.portal}: ${p.choice}`).join(', ')} (${earlier.branch}); reset the step to choose again.`);
    return earlier;
  }
  const listings = await listPortals(ctx);
  const answers = await ctx.prompt.form("Dev's image tags", choiceFields(listings));
  if (!answers) return undefined;
  const portals = resolveChoices(ctx, listings, answers);
  for (const p of portals) ctx.log.info(`${p.portal}: ${p.choice} → ${tagsLine(p.tags)}`);
  return { branch: `dev/values-${stamp(ctx.clock.now())}`, portals };
}

function outcome(ctx: Context, chosen: Chosen, merged: { pr?: number; url?: string; mergeSha: string | null; changes?: EventData[] }): StepOutcome {
  const file = ctx.config.environments.dev.valuesTagsFile;
  const where = merged.pr ? `PR #${merged.pr} merged into ${MAIN} as ${short(merged.mergeSha ?? '')}` : `${MAIN} already held them`;
  const choices = chosen.portals.map((p) => `${p.portal} ${p.choice}`).join(', ');
  return {
    summary: `${file}: ${choices} — ${where}`,
    evidence: {
      file,
      branch: chosen.branch,
      portals: chosen.portals.map((p) => ({ portal: p.portal, choice: p.choice, tags: { ...p.tags } })),
      tags: allTags(chosen),
      pr: merged.pr ?? null,
      url: merged.url ?? null,
      mergeSha: merged.mergeSha,
      changes: (merged.changes ?? []) as JsonValue,
      headline: choices,
    },
  };
}

async function review(ctx: Context, chosen: Chosen): Promise<Input> {
  const clone = cloneOf(ctx);
  const proposal = await propose(ctx, clone, 'dev', allTags(chosen));
  if (proposal.changes.length === 0) return { kind: 'adopt', base: proposal.base, chosen };
  await reviewProposal(ctx, clone, "Dev's values-tags for this sync", proposal);
  return { kind: 'apply', proposal, chosen };
}

export const devImageTags: StepExecutor<UpgradePorts, Input> = {
  stepId: STEP,
  fields: PORTAL_FIELDS,

  async observe(ctx) {
    const chosen = recorded(ctx);
    if (!chosen) return { done: false };
    const site = await githubOf(ctx);
    const text = await site.gh.fileAt(site.workloads, MAIN, ctx.config.environments.dev.valuesTagsFile);
    if (!holdsTags(ctx, 'dev', text, allTags(chosen))) return { done: false };
    const evidence = ctx.evidenceOf(STEP);
    const done = outcome(ctx, chosen, { mergeSha: typeof evidence['mergeSha'] === 'string' ? evidence['mergeSha'] : null });
    return { done: true, summary: done.summary, evidence: done.evidence };
  },

  async prepare(ctx) {
    const clone = cloneOf(ctx);
    const site = await githubOf(ctx);
    const access = await site.gh.checkAccess(site.workloads);
    if (!access.ok) throw new UserError(access.reason, 'no-access');
    const chosen = await choose(ctx);
    if (!chosen) return undefined;
    await checkClone(ctx, clone, chosen.branch);
    await fetchClone(ctx, clone);
    const existing = await existingBranch(ctx, clone, 'dev', chosen.branch, allTags(chosen));
    if (existing) {
      ctx.log.info(`${chosen.branch} already holds this sync's tags (${short(existing.tip)}): adopting it.`);
      return { kind: 'resume', branch: existing, chosen };
    }
    return review(ctx, chosen);
  },

  async run(ctx, input) {
    const { chosen } = input;
    await ctx.recordFirst({ branch: chosen.branch, portals: chosen.portals.map((p) => ({ portal: p.portal, choice: p.choice, tags: { ...p.tags } })) });
    if (input.kind === 'adopt') {
      ctx.log.info(`${ctx.config.environments.dev.valuesTagsFile} on ${REMOTE}/${MAIN} already holds ${tagsLine(allTags(chosen))}: nothing to change.`);
      return outcome(ctx, chosen, { mergeSha: input.base });
    }
    const merged = await carryToMain(ctx, await githubOf(ctx), cloneOf(ctx), targetOf(ctx, chosen), input);
    const changes = input.kind === 'apply' ? input.proposal.changes.map((c) => ({ service: c.service, from: c.from, to: c.to, line: c.line })) : [];
    return outcome(ctx, chosen, { pr: merged.pull?.number, url: merged.pull?.url, mergeSha: merged.mergeSha, changes });
  },
};
