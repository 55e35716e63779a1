/**
 * 1.3 Create the DAML upgrade branch and generate the upgrade code: `upgrade/<version>` from the release branch,
 * `generate-upgrade.sh <old> <new> <old-data-loader>` run on it, and the generated code committed to the upgrade
 * branch and pushed — 1.4 builds the images from origin's upgrade branch (the runbook checks it out in a Codespace),
 * and the upgrade branch is never merged back, so Generated/ never reaches the release branch.
 */
import { UserError } from '../core/errors.js';
import type { EventData } from '../core/journal/types.js';
import { releaseBranch, upgradeBranch } from '../core/names.js';
import type { StepExecutor } from '../engine/step-types.js';
import type { GitStatusEntry, Phase1Ports } from '../ports.js';
import {
  branchTips,
  checkedBranch,
  checkoutUpToDate,
  pushBranch,
  relationTo,
  requireCleanTree,
  requireOnBranch,
  type Phase1Context,
} from './git-flow.js';
import {
  DEVELOP,
  GENERATED_DIR,
  GENERATE_SCRIPT,
  KEPT_DIRS,
  REMOTE,
  UPGRADE_PROJECT,
  localRef,
  remoteRef,
  short,
} from './layout.js';
import { runUpgradeScript } from './scripts.js';
import {
  UPGRADE_FORM_FIELDS,
  askUpgradeVersions,
  checkVersions,
  generationAt,
  type CodegenInput,
} from './upgrade-form.js';

const MAX_LISTED_FILES = 200;

function names(ctx: Phase1Context) {
  return {
    release: checkedBranch(releaseBranch(ctx.version)),
    upgrade: checkedBranch(upgradeBranch(ctx.version)),
  };
}

/** Whether `ref` was cut from the release branch (whose own commits are not on develop). */
function relationToRelease(ctx: Phase1Context, ref: string, release: string) {
  return relationTo(
    ctx,
    ref,
    { ref: remoteRef(release), name: `${REMOTE}/${release}` },
    { ref: remoteRef(DEVELOP), name: `${REMOTE}/${DEVELOP}` },
  );
}

/** Checks out the upgrade branch: adopted when it exists and was cut from the release branch, else created from it. */
async function upgradeBranchCheckedOut(ctx: Phase1Context, upgrade: string, release: string, base: string) {
  const tips = await branchTips(ctx, upgrade);
  for (const ref of [tips.remote && remoteRef(upgrade), tips.local && localRef(upgrade)]) {
    if (!ref) continue;
    const relation = await relationToRelease(ctx, ref, release);
    if (!relation.related) {
      throw new UserError(
        `${upgrade} already exists but was not cut from ${release}: ${relation.why}. Delete it (git branch -D ${upgrade}; git push ${REMOTE} --delete ${upgrade}) and run the step again. Nothing was changed.`,
        'unrelated-branch',
      );
    }
  }
  const adopted = Boolean(tips.local || tips.remote);
  if (adopted) ctx.log.info(`${upgrade} already exists and was cut from ${release}: continuing on it.`);
  else {
    ctx.log.info(`git checkout -b ${upgrade} (at ${release} ${short(base)})`);
    await ctx.ports.git.createBranch(ctx.ports.workspaceRoot, upgrade, base);
  }
  return { ...(await checkoutUpToDate(ctx, upgrade)), adopted };
}

/** Which of the kept folders exist before the generator runs (tracked at HEAD, or untracked files on disk). */
async function existingKeptDirs(ctx: Phase1Context): Promise<string[]> {
  const { git, workspaceRoot: cwd } = ctx.ports;
  const tracked = await git.listFiles(cwd, 'HEAD');
  const untracked = await git.status(cwd, { paths: [...KEPT_DIRS], untracked: true });
  const present = [...tracked, ...untracked.map((e) => e.path)];
  return KEPT_DIRS.filter((dir) => present.some((p) => p.startsWith(`${dir}/`)));
}

async function generate(
  ctx: Phase1Context,
  input: CodegenInput,
): Promise<{ exitCode: number | null; kept: string[] }> {
  const { git, workspaceRoot: cwd } = ctx.ports;
  if ((await git.showFile(cwd, 'HEAD', `${UPGRADE_PROJECT}/${GENERATE_SCRIPT}`)) === undefined) {
    throw new UserError(
      `${UPGRADE_PROJECT}/${GENERATE_SCRIPT} is not in this branch: is this the lendos repository?`,
      'missing-script',
    );
  }
  const kept = await existingKeptDirs(ctx);
  const run = await runUpgradeScript(
    ctx,
    GENERATE_SCRIPT,
    [input.from, input.to, input.dataLoaderFrom],
    ctx.ports.scriptEnv,
  );
  await ctx.record({ exitCode: run.exitCode });
  if (run.exitCode !== 0) {
    const ended = run.exitCode === null ? `was ended by ${run.signal}` : `exited with code ${run.exitCode}`;
    throw new UserError(
      `${GENERATE_SCRIPT} ${ended}; its output is in the log above. Nothing was committed; the upgrade branch is checked out as the script left it.`,
      'script-failed',
    );
  }
  for (const dir of kept) {
    ctx.log.warn(
      `${dir} existed and was kept as it is (the generator never overwrites it): review it by hand against the regenerated code.`,
    );
  }
  return { exitCode: run.exitCode, kept };
}

/** Runs the generator unless HEAD already holds a generation for the same versions (a rerun after a crash). */
async function generateUnlessDone(ctx: Phase1Context, upgrade: string, release: string, input: CodegenInput) {
  const earlier = await generationAt(ctx, 'HEAD', remoteRef(release));
  const before =
    earlier?.from === input.from &&
    earlier.to === input.to &&
    earlier.dataLoaderFrom === input.dataLoaderFrom;
  if (!before) return { ...(await generate(ctx, input)), before };
  ctx.log.info(
    `${upgrade} already holds the upgrade code for ${input.from} -> ${input.to}; not generating it again.`,
  );
  return { exitCode: null, kept: [], before };
}

function listChanges(ctx: Phase1Context, changed: readonly GitStatusEntry[]): string[] {
  const files = changed.map((e) => `${e.code.trim() === '??' ? 'A' : e.code.trim()} ${e.path}`);
  ctx.log.info(
    files.length > 0
      ? `Changed under ${GENERATED_DIR}:\n${files.join('\n')}`
      : `Nothing changed under ${GENERATED_DIR}.`,
  );
  return files.slice(0, MAX_LISTED_FILES);
}

/** Commits Generated/ and the folders the generator created (not hand-written ones it kept) to the upgrade branch only. */
async function commitGeneration(
  ctx: Phase1Context,
  upgrade: string,
  input: CodegenInput,
  kept: readonly string[],
) {
  const { git, workspaceRoot: cwd } = ctx.ports;
  const candidates = [GENERATED_DIR, ...KEPT_DIRS.filter((dir) => !kept.includes(dir))];
  const paths: string[] = [];
  for (const dir of candidates) {
    if ((await git.status(cwd, { paths: [dir], untracked: true })).length > 0) paths.push(dir);
  }
  await requireOnBranch(ctx, upgrade);
  const message = `Generate DAML upgrade ${input.from} -> ${input.to}`;
  if (paths.length > 0) ctx.log.info(`git commit -m "${message}" -- ${paths.join(' ')}`);
  return git.commitPaths(cwd, paths, message);
}

export const createUpgradeBranch: StepExecutor<Phase1Ports, CodegenInput> = {
  stepId: 'prep.upgrade-branch',
  fields: UPGRADE_FORM_FIELDS,

  async observe(ctx) {
    const { release, upgrade } = names(ctx);
    const { git, workspaceRoot: cwd } = ctx.ports;
    await git.fetch(cwd, REMOTE, ctx.signal);
    const tip = await git.revParse(cwd, remoteRef(upgrade));
    const generation = tip ? await generationAt(ctx, remoteRef(upgrade), remoteRef(release)) : undefined;
    if (!tip || !generation || !(await relationToRelease(ctx, remoteRef(upgrade), release)).related)
      return { done: false };
    const summary = `${upgrade} is on ${REMOTE} with upgrade code for ${generation.from} -> ${generation.to}`;
    return { done: true, summary, evidence: { branch: upgrade, commit: tip, ...generation } };
  },

  async prepare(ctx) {
    const { release, upgrade } = names(ctx);
    const input = await askUpgradeVersions(ctx, release, upgrade);
    // Versions that cannot make an upgrade are refused before the step starts.
    if (input) checkVersions(input);
    return input;
  },

  async run(ctx, input) {
    checkVersions(input);
    const { release, upgrade } = names(ctx);
    const { git, workspaceRoot: cwd } = ctx.ports;
    ctx.log.info(`git fetch ${REMOTE}`);
    await git.fetch(cwd, REMOTE, ctx.signal);
    await requireCleanTree(ctx);
    const base = await git.revParse(cwd, remoteRef(release));
    if (!base)
      throw new UserError(`${release} is not on ${REMOTE}: run 1.1 and 1.2 first.`, 'missing-branch');
    const branch = await upgradeBranchCheckedOut(ctx, upgrade, release, base);
    const versions = { from: input.from, to: input.to, dataLoaderFrom: input.dataLoaderFrom };
    await ctx.record({ branch: upgrade, baseCommit: base, ...versions, sources: input.sources });
    const generated = await generateUnlessDone(ctx, upgrade, release, input);
    const changed = listChanges(ctx, await git.status(cwd, { paths: [GENERATED_DIR], untracked: true }));
    const committed = await commitGeneration(ctx, upgrade, input, generated.kept);
    const head = committed ?? (await git.revParse(cwd, 'HEAD')) ?? branch.head;
    const push = Boolean(committed) || branch.needsPush;
    if (push) await pushBranch(ctx, upgrade);
    const evidence: EventData = {
      branch: upgrade,
      commit: head,
      baseCommit: base,
      ...versions,
      exitCode: generated.exitCode,
      generatedFiles: changed,
      kept: generated.kept,
      adopted: branch.adopted,
      committed: Boolean(committed),
      pushed: push,
    };
    const what = generated.before ? 'already generated' : `generated (${changed.length} file(s) changed)`;
    return {
      summary: `${upgrade}: upgrade code ${input.from} -> ${input.to} ${what}, at ${short(head)}`,
      evidence,
    };
  },
};
