/**
 * 2.2 Identify built artifact tags: follows the main build that the release merge started (its GitHub Actions runs
 * for the merge commit), finds in ECR the image each service's build pushed — by the runs and push times, never the
 * newest tag — and records tag, digest and push time once a person confirmed them (or named others, with a reason).
 */
import { UserError } from '../../core/errors.js';
import type { EventData } from '../../core/journal/types.js';
import { Declined, type StepExecutor, type StepOutcome } from '../../engine/step-types.js';
import type { Ecr, UpgradePorts, WorkflowRunInfo } from '../../ports.js';
import {
  confirmTags,
  REASON_FIELD,
  SERVICE_IMAGES,
  tagsEvidence,
  type ChosenTag,
  type Confirmation,
  type Finding,
} from './built-tags-form.js';
import { matchBuiltImage } from './built-tags-match.js';
import { githubOf, type GitHubSite, type GitHubStepContext } from './context.js';
import { failedRun, followBuild, MAIN, runsOf, short } from './follow-build.js';

const MERGE_STEP = 'staging.merge-to-main';
const SHA = /^[0-9a-f]{40}$/;

interface MergeCommit {
  readonly sha: string;
  /** Where it came from: 2.2 Merge's evidence, or `origin/main` when that step was marked done by hand. */
  readonly from: string;
}

/** A run as recorded: what a person follows up. */
type RunRef = Pick<WorkflowRunInfo, 'id' | 'name' | 'conclusion' | 'url'>;

interface Confirmed {
  readonly runs: readonly RunRef[];
  readonly tags: Readonly<Record<string, ChosenTag>>;
}

interface Input {
  readonly merge: MergeCommit;
  /** The build had finished before the step started: the form was asked then, so a refused tag changed nothing. */
  readonly asked?: { readonly runs: readonly WorkflowRunInfo[]; readonly confirmation: Confirmation };
}

/** The release merge: 2.2 Merge's `mergeSha`; when it was marked done by hand, main's head after a fetch (said so). */
async function mergeCommit(ctx: GitHubStepContext): Promise<MergeCommit> {
  const recorded = ctx.evidenceOf(MERGE_STEP)['mergeSha'];
  if (typeof recorded === 'string' && SHA.test(recorded)) return { sha: recorded, from: MERGE_STEP };
  if (ctx.statusOf(MERGE_STEP) !== 'succeeded') {
    throw new UserError(
      'The release PR has not been merged by LendOS yet: run 2.2 Merge first; this step follows the main build its merge starts.',
      'merge-missing',
    );
  }
  const { git, workspaceRoot } = ctx.ports;
  ctx.log.info('git fetch origin');
  await git.fetch(workspaceRoot, 'origin', ctx.signal);
  const head = await git.revParse(workspaceRoot, `refs/remotes/origin/${MAIN}`);
  if (!head)
    throw new UserError(
      `origin has no ${MAIN} branch to follow the build of: check the lendos clone's origin.`,
      'missing-branch',
    );
  ctx.log.warn(
    `2.2 Merge was marked done by hand and recorded no merge commit: following ${MAIN}'s head ${short(head)} (origin/${MAIN} after a fetch). ` +
      `If anything was merged to ${MAIN} after the release PR, these are not the release's images: cancel and check.`,
  );
  return { sha: head, from: `origin/${MAIN}` };
}

/** Each service image's match among its ECR repository's images, against this build's runs and main's other builds. */
async function findImages(
  ctx: GitHubStepContext,
  site: GitHubSite,
  ecr: Ecr,
  sha: string,
  runs: readonly WorkflowRunInfo[],
): Promise<Finding[]> {
  const names = new Set(runs.map((run) => run.name));
  const others = (await site.gh.listRuns(site.lendos, { branch: MAIN })).filter(
    (run) => run.headSha !== sha && names.has(run.name),
  );
  const now = ctx.clock.now().getTime();
  const findings: Finding[] = [];
  for (const [image, repository] of Object.entries(ctx.config.ecr.serviceRepositories)) {
    const match = matchBuiltImage(await ecr.listImages(repository), runs, others, now);
    ctx.log.info(
      `${image}: ${match.kind === 'found' ? `${match.image.tag} pushed ${match.image.pushedAt} (${match.image.digest})` : `${match.kind} in ECR ${repository}`}`,
    );
    findings.push({ image, repository, match });
  }
  return findings;
}

function outcome(merge: MergeCommit, confirmed: Confirmed): StepOutcome {
  const entries = Object.entries(confirmed.tags);
  const overrides = entries.filter(([, t]) => t.override).map(([image]) => image);
  const evidence: EventData = {
    mergeSha: merge.sha,
    mergeShaFrom: merge.from,
    runs: confirmed.runs.map((run) => ({
      id: run.id,
      name: run.name,
      conclusion: run.conclusion,
      url: run.url,
    })),
    tags: tagsEvidence(confirmed.tags),
    headline: entries.map(([, t]) => `${t.tag}${t.override ? '*' : ''}`).join(' · '),
  };
  const said = entries.map(([image, t]) => `${image} ${t.tag}`).join(', ');
  const changed = overrides.length > 0 ? `; named instead of the build's: ${overrides.join(', ')}` : '';
  return { summary: `Tags built from ${short(merge.sha)}: ${said}${changed}`, evidence };
}

const isTag = (value: unknown): value is ChosenTag => {
  const t = value as Partial<ChosenTag> | null;
  return (
    typeof t === 'object' &&
    t !== null &&
    typeof t.tag === 'string' &&
    typeof t.digest === 'string' &&
    typeof t.repository === 'string'
  );
};

function runRefOf(value: unknown): RunRef[] {
  const r = value as Partial<Record<keyof RunRef, unknown>> | null;
  if (
    typeof r !== 'object' ||
    r === null ||
    typeof r.id !== 'number' ||
    typeof r.name !== 'string' ||
    typeof r.url !== 'string'
  )
    return [];
  return [
    {
      id: r.id,
      name: r.name,
      url: r.url,
      conclusion: typeof r.conclusion === 'string' ? r.conclusion : null,
    },
  ];
}

/** The recorded tags, when they were found for the same merge and still name the same images in ECR. */
async function stillRecorded(ctx: GitHubStepContext): Promise<StepOutcome | undefined> {
  const own = ctx.evidenceOf(ctx.step.id);
  const sha = own['mergeSha'];
  const merged = ctx.evidenceOf(MERGE_STEP)['mergeSha'];
  if (typeof sha !== 'string' || (typeof merged === 'string' && merged !== sha)) return undefined;
  const tags = (own['tags'] ?? {}) as Record<string, unknown>;
  const images = Object.keys(ctx.config.ecr.serviceRepositories);
  if (!images.every((image) => isTag(tags[image]))) return undefined;
  const recorded = Object.fromEntries(images.map((image) => [image, tags[image] as ChosenTag]));
  const ecr = await ctx.ports.ecr();
  for (const t of Object.values(recorded)) {
    const [image] = await ecr.describeImages(t.repository, [t.tag]);
    if (image?.digest !== t.digest) return undefined;
  }
  const runs = (Array.isArray(own['runs']) ? own['runs'] : []).flatMap(runRefOf);
  return outcome(
    { sha, from: typeof own['mergeShaFrom'] === 'string' ? own['mergeShaFrom'] : MERGE_STEP },
    { runs, tags: recorded },
  );
}

export const identifyBuiltTags: StepExecutor<UpgradePorts, Input> = {
  stepId: 'staging.identify-tags',
  fields: [...SERVICE_IMAGES, REASON_FIELD],

  async observe(ctx) {
    const kept = await stillRecorded(ctx);
    return kept
      ? {
          done: true,
          summary: `still in ECR with the same digests: ${kept.summary}`,
          evidence: kept.evidence,
        }
      : { done: false };
  },

  async prepare(ctx) {
    const merge = await mergeCommit(ctx);
    const site = await githubOf(ctx);
    const runs = await runsOf(site.gh, site.lendos, merge.sha);
    const finished = runs.length > 0 && runs.every((run) => run.status === 'completed') && !failedRun(runs);
    if (!finished) return { merge };
    const ecr = await ctx.ports.ecr();
    const confirmation = await confirmTags(ctx, ecr, {
      sha: merge.sha,
      runs,
      findings: await findImages(ctx, site, ecr, merge.sha, runs),
    });
    return confirmation.kind === 'declined' ? undefined : { merge, asked: { runs, confirmation } };
  },

  async run(ctx, input) {
    // Evidence only with the outcome: a failed run must never pair this merge with tags an earlier run found.
    const { merge } = input;
    const { runs, confirmation } = input.asked ?? (await followAndAsk(ctx, merge));
    if (confirmation.kind === 'unresolved')
      throw new UserError(confirmation.message, 'built-image-not-found');
    if (confirmation.kind === 'declined') {
      throw new Declined(
        `Not confirmed: nothing was recorded. The build of ${short(merge.sha)} is done and its images stay in ECR; run this step again to confirm them.`,
      );
    }
    return outcome(merge, { runs, tags: confirmation.tags });
  },
};

/** Follows the build to its end, finds its images and asks the form. */
async function followAndAsk(
  ctx: GitHubStepContext,
  merge: MergeCommit,
): Promise<{ runs: readonly WorkflowRunInfo[]; confirmation: Confirmation }> {
  const site = await githubOf(ctx);
  ctx.log.info(
    `Following the GitHub Actions runs of ${short(merge.sha)} on ${MAIN} in ${site.lendos.owner}/${site.lendos.name}`,
  );
  const runs = await followBuild(ctx, { gh: site.gh, repo: site.lendos, sha: merge.sha });
  await ctx.progress(`Main build of ${short(merge.sha)} finished; finding its images in ECR`);
  const ecr = await ctx.ports.ecr();
  const findings = await findImages(ctx, site, ecr, merge.sha, runs);
  return { runs, confirmation: await confirmTags(ctx, ecr, { sha: merge.sha, runs, findings }) };
}
