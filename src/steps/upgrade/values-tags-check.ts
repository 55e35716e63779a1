/**
 * Prerequisite: the environment's values-tags file on lendos-eks-workloads `origin/main` (what Argo CD deploys after
 * the upgrade) names the release's tags — those the environment's values-tags step recorded, else 2.2's — and every tag
 * it names exists in ECR. With no tags recorded (the steps marked done by hand), main's own tags are checked in ECR.
 */
import { UserError } from '../../core/errors.js';
import type { EventData } from '../../core/journal/types.js';
import { ecrRepositoryOf, locateTags, siteOf, type TagSite } from '../../core/values-tags/index.js';
import { MAIN, REMOTE, remoteRef, short } from '../layout.js';
import { cloneOf } from '../values-tags/clone.js';
import { tagsIn, wantedTags } from '../values-tags/wanted.js';
import type { CheckResult } from './prerequisites.js';
import type { UpgradeAwsContext, UpgradeTarget } from './snapshot.js';

const CHECK = 'values-tags';

/** The release's tags and where they were recorded; undefined when no step recorded them. */
function releaseTags(ctx: UpgradeAwsContext, target: UpgradeTarget): { tags: Record<string, string>; from: string } | undefined {
  const images = Object.keys(ctx.config.ecr.serviceRepositories);
  const own = `${target.environment}.values-tags`;
  const recorded = tagsIn(ctx.evidenceOf(own), images);
  if (recorded.missing.length === 0) return { tags: recorded.tags, from: own };
  try {
    const wanted = wantedTags(ctx);
    return { tags: { ...wanted.tags }, from: wanted.from };
  } catch (error) {
    if (error instanceof UserError) return undefined;
    throw error;
  }
}

interface MainFile {
  readonly file: string;
  readonly commit: string;
  readonly sites: readonly TagSite[];
}

async function mainFile(ctx: UpgradeAwsContext, target: UpgradeTarget): Promise<MainFile | CheckResult> {
  const clone = cloneOf(ctx);
  const file = target.env.valuesTagsFile;
  const failed = (detail: string, next: string): CheckResult => ({ check: CHECK, ok: false, detail, next });
  if (!(await ctx.ports.git.revParse(clone.dir, 'HEAD').catch(() => undefined))) {
    return failed(`${clone.dir} is not a clone of lendos-eks-workloads: the values-tags on its main cannot be read`, 'Clone it there, or set lendos.repositories.workloadsPath.');
  }
  await ctx.ports.git.fetch(clone.dir, REMOTE, ctx.signal);
  const commit = await ctx.ports.git.revParse(clone.dir, remoteRef(MAIN));
  const text = commit ? await ctx.ports.git.showFile(clone.dir, commit, file) : undefined;
  if (!commit || text === undefined) return failed(`${REMOTE}/${MAIN} of ${clone.dir} has no ${file}`, `Check lendos.environments.${target.env.name}.valuesTagsFile and the clone's origin.`);
  const { sites, problems } = locateTags(text);
  const [problem] = problems;
  if (problem) return failed(`${file} on ${REMOTE}/${MAIN} is not valid YAML at line ${problem.line}, column ${problem.column}: ${problem.message}`, 'Fix it through a PR to main: Argo CD cannot deploy it.');
  return { file, commit, sites };
}

/** Services whose tag on main is not the release's, in words. */
function mismatches(main: MainFile, tags: Readonly<Record<string, string>>, paths: Readonly<Record<string, string>>): string[] {
  return Object.entries(tags).flatMap(([service, tag]) => {
    const site = siteOf(main.sites, service, paths);
    if (!site) return [`${service} has no tag there (the release's: ${tag})`];
    return site.tag === tag ? [] : [`${service} is ${site.tag}, not the release's ${tag}`];
  });
}

export async function valuesTagsOnMain(ctx: UpgradeAwsContext, target: UpgradeTarget): Promise<CheckResult> {
  const main = await mainFile(ctx, target);
  if ('check' in main) return main;
  const paths = target.env.valuesTagsPaths;
  const release = releaseTags(ctx, target);
  const step = `${target.environment}.values-tags`;
  const at = `${main.file} on ${REMOTE}/${MAIN} (${short(main.commit)})`;
  if (release) {
    const wrong = mismatches(main, release.tags, paths);
    if (wrong.length > 0) {
      return { check: CHECK, ok: false, detail: `${at}: ${wrong.join('; ')}`, next: `Run ${step} (it opens the values-tags PR and waits for its merge), or get its PR merged: Argo CD deploys what main says.` };
    }
  } else ctx.log.warn(`No step recorded the release's tags (${step} and 2.2 were marked done by hand): checking the tags ${at} names.`);
  const tags = release?.tags ?? Object.fromEntries(main.sites.map((s) => [s.service, s.tag]));
  return inEcr(ctx, main, at, tags, paths);
}

type Tags = Readonly<Record<string, string>>;

async function inEcr(ctx: UpgradeAwsContext, main: MainFile, at: string, tags: Tags, paths: Tags): Promise<CheckResult> {
  const ecr = await ctx.ports.ecr();
  const found: EventData = {};
  const missing: string[] = [];
  for (const [service, tag] of Object.entries(tags)) {
    const repository = ecrRepositoryOf(service, siteOf(main.sites, service, paths), ctx.config.ecr.serviceRepositories);
    const [image] = await ecr.describeImages(repository, [tag]);
    if (image) found[service] = { tag, repository, digest: image.digest, pushedAt: image.pushedAt };
    else missing.push(`${repository}:${tag}`);
  }
  const evidence: EventData = { valuesTags: { file: main.file, commit: main.commit, tags: found } };
  if (missing.length > 0) {
    return {
      check: CHECK,
      ok: false,
      detail: `${at} names ${missing.length === 1 ? 'an image' : 'images'} ECR does not have: ${missing.join(', ')}`,
      next: 'Find out why the build did not push it (2.2 lists its runs); then push it, or name a tag ECR has: reset 2.2 and the values-tags step and run them again.',
      evidence,
    };
  }
  return { check: CHECK, ok: true, detail: `${at} names the release's tags, each in ECR: ${Object.entries(tags).map(([s, t]) => `${s} ${t}`).join(', ')}`, evidence };
}
