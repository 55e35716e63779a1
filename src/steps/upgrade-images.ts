/**
 * 1.4 Build and push the DAML upgrade images: `docker-build.sh --push` on the upgrade branch with the artifacts
 * profile, then both the `-init` and the `-runner` tag verified in ECR, their digest, size and push time recorded.
 */
import { UserError } from '../core/errors.js';
import type { EventData } from '../core/journal/types.js';
import { upgradeBranch } from '../core/names.js';
import type { StepExecutor, StepOutcome } from '../engine/step-types.js';
import type { Ecr, Phase1Ports } from '../ports.js';
import { parseManifest } from './daml-versions.js';
import {
  branchTips,
  checkedBranch,
  checkoutUpToDate,
  pushBranch,
  requireCleanTree,
  type Phase1Context,
} from './git-flow.js';
import {
  imagesEvidence,
  newestCompleteBuild,
  pushedTagsFromOutput,
  type BuiltImages,
  type ImagePair,
  type UpgradePair,
} from './image-tags.js';
import { DOCKER_BUILD_SCRIPT, GENERATED_MANIFEST, REMOTE, localRef, remoteRef } from './layout.js';
import { runUpgradeScript } from './scripts.js';

/** The generated upgrade at `ref`: its versions and when it was committed (images older than that predate it). */
async function generationAt(
  ctx: Phase1Context,
  ref: string,
): Promise<{ pair: UpgradePair; since?: string } | undefined> {
  const { git, workspaceRoot: cwd } = ctx.ports;
  const manifest = parseManifest(await git.showFile(cwd, ref, GENERATED_MANIFEST));
  if (!manifest) return undefined;
  const commit = await git.lastCommit(cwd, ref);
  return { pair: { from: manifest.from, to: manifest.to }, since: commit?.date };
}

function outcome(ctx: Phase1Context, built: BuiltImages, extra: EventData): StepOutcome {
  const repository = ctx.config.ecr.upgradeRepository;
  // The headline is what the tree shows beside the step: the image tag without its -init/-runner variant.
  const headline = `${built.init.tag.replace(/-init$/, '')} (-init, -runner)`;
  const evidence: EventData = { ...extra, repository, build: built.build, images: imagesEvidence(built), headline };
  return {
    summary: `${built.init.tag} and ${built.runner.tag} are in ECR ${repository} (init ${built.init.digest.slice(0, 19)}…)`,
    evidence,
  };
}

function scriptFailure(ctx: Phase1Context, exitCode: number | null, signal: string | null): UserError {
  const profile = ctx.config.aws.artifactsProfile;
  const ended = exitCode === null ? `was ended by ${signal}` : `exited with code ${exitCode}`;
  return new UserError(
    `${DOCKER_BUILD_SCRIPT} --push ${ended}; its output is in the log above. If it could not reach ECR, log in with ` +
      `\`aws sso login --profile ${profile}\` (the runbook's \`assume\` only affects its own shell) and run the step again.`,
    'script-failed',
  );
}

/** The tags this run pushed: as the script printed them, else the newest complete build in ECR since the upgrade commit. */
async function pushedTags(
  ctx: Phase1Context,
  ecr: Ecr,
  output: string,
  pair: UpgradePair,
  since?: string,
): Promise<ImagePair> {
  const printed = pushedTagsFromOutput(output, pair);
  if (printed) return printed;
  const listed = newestCompleteBuild(await ecr.listImages(ctx.config.ecr.upgradeRepository), pair, since);
  if (listed) return { build: listed.build, init: listed.init.tag, runner: listed.runner.tag };
  throw new UserError(
    `${DOCKER_BUILD_SCRIPT} finished but reported no -init and -runner images for ${pair.to} from ${pair.from}, and ECR ${ctx.config.ecr.upgradeRepository} has none pushed since the upgrade commit.`,
    'images-missing',
  );
}

async function verifyInEcr(ctx: Phase1Context, ecr: Ecr, tags: ImagePair): Promise<BuiltImages> {
  const repository = ctx.config.ecr.upgradeRepository;
  const found = await ecr.describeImages(repository, [tags.init, tags.runner]);
  const init = found.find((image) => image.tag === tags.init);
  const runner = found.find((image) => image.tag === tags.runner);
  if (init && runner) return { build: tags.build, init, runner };
  const missing = [!init && tags.init, !runner && tags.runner].filter((t): t is string => Boolean(t));
  await ctx.record({ missingImages: missing });
  throw new UserError(
    `${DOCKER_BUILD_SCRIPT} reported pushing ${tags.init} and ${tags.runner}, but ECR ${repository} has no ${missing.join(' and ')}. ` +
      'The upgrade Jobs pull both by tag: check the push in the log, then run the step again.',
    'images-missing',
  );
}

async function buildAndPush(
  ctx: Phase1Context,
  ecr: Ecr,
  pair: UpgradePair,
  since: string | undefined,
): Promise<BuiltImages> {
  const env = {
    ...ctx.ports.scriptEnv,
    AWS_PROFILE: ctx.config.aws.artifactsProfile,
    AWS_REGION: ctx.config.aws.region,
  };
  const run = await runUpgradeScript(ctx, DOCKER_BUILD_SCRIPT, ['--push'], env);
  await ctx.record({ exitCode: run.exitCode });
  if (run.exitCode !== 0) throw scriptFailure(ctx, run.exitCode, run.signal);
  const tags = await pushedTags(ctx, ecr, run.output, pair, since);
  await ctx.progress(`Verifying ${tags.init} and ${tags.runner} in ECR`);
  return verifyInEcr(ctx, ecr, tags);
}

export const buildUpgradeImages: StepExecutor<Phase1Ports> = {
  stepId: 'prep.upgrade-images',

  async observe(ctx) {
    const upgrade = checkedBranch(upgradeBranch(ctx.version));
    const tips = await branchTips(ctx, upgrade);
    const ref = tips.local ? localRef(upgrade) : tips.remote ? remoteRef(upgrade) : undefined;
    const generation = ref ? await generationAt(ctx, ref) : undefined;
    if (!generation) return { done: false };
    const ecr = await ctx.ports.ecr();
    const built = newestCompleteBuild(
      await ecr.listImages(ctx.config.ecr.upgradeRepository),
      generation.pair,
      generation.since,
    );
    if (!built) return { done: false };
    const { evidence, summary } = outcome(ctx, built, { branch: upgrade, ...generation.pair });
    return { done: true, summary: `Already built: ${summary}`, evidence };
  },

  async run(ctx) {
    const upgrade = checkedBranch(upgradeBranch(ctx.version));
    ctx.log.info(`git fetch ${REMOTE}`);
    await ctx.ports.git.fetch(ctx.ports.workspaceRoot, REMOTE, ctx.signal);
    await requireCleanTree(ctx);
    const tips = await branchTips(ctx, upgrade);
    if (!tips.local && !tips.remote)
      throw new UserError(`There is no ${upgrade} yet: run 1.3 first.`, 'missing-branch');
    const branch = await checkoutUpToDate(ctx, upgrade);
    if (branch.needsPush) await pushBranch(ctx, upgrade);
    const generation = await generationAt(ctx, 'HEAD');
    if (!generation)
      throw new UserError(
        `${upgrade} holds no generated upgrade code (${GENERATED_MANIFEST}): run 1.3 first.`,
        'missing-generation',
      );
    const ecr = await ctx.ports.ecr();
    const repository = ctx.config.ecr.upgradeRepository;
    ctx.log.info(`Checking ECR ${repository} with profile ${ctx.config.aws.artifactsProfile}`);
    const existing = newestCompleteBuild(await ecr.listImages(repository), generation.pair, generation.since);
    if (existing)
      ctx.log.info(
        `${existing.init.tag} and ${existing.runner.tag} were already pushed for this commit; not building again.`,
      );
    const built = existing ?? (await buildAndPush(ctx, ecr, generation.pair, generation.since));
    return outcome(ctx, built, {
      branch: upgrade,
      commit: branch.head,
      ...generation.pair,
      exitCode: existing ? null : 0,
      profile: ctx.config.aws.artifactsProfile,
    });
  },
};
