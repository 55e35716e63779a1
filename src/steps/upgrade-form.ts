/** The one form of 1.3: the three generate-upgrade.sh versions, proposed from the repository with their sources. */
import { UserError } from '../core/errors.js';
import type { FormField } from '../engine/step-types.js';
import {
  compareDamlVersions,
  damlVersionProblem,
  findPackage,
  parseManifest,
  proposalFromManifest,
  proposeUpgradeVersions,
  type DamlYamlFile,
  type GeneratedManifest,
  type UpgradeVersionProposal,
} from './daml-versions.js';
import type { Phase1Context } from './git-flow.js';
import {
  GENERATED_MANIFEST,
  LOADER_PACKAGE,
  MAIN,
  MODEL_PACKAGE,
  REMOTE,
  localRef,
  remoteRef,
} from './layout.js';

/** The ids of the form's fields, in its order: what `lendos run prep.upgrade-branch --set FIELD=VALUE` accepts. */
export const UPGRADE_FORM_FIELDS = [
  'from',
  'to',
  'dataLoaderFrom',
] as const satisfies readonly (keyof UpgradeVersionProposal)[];

export interface CodegenInput extends GeneratedManifest {
  /** Where each proposed value came from (kept as evidence). */
  readonly sources: Readonly<Record<string, string>>;
}

async function damlYamlFiles(ctx: Phase1Context, ref: string): Promise<DamlYamlFile[]> {
  const { git, workspaceRoot: cwd } = ctx.ports;
  const paths = (await git.listFiles(cwd, ref)).filter((p) => p === 'daml.yaml' || p.endsWith('/daml.yaml'));
  return Promise.all(paths.map(async (path) => ({ path, text: (await git.showFile(cwd, ref, path)) ?? '' })));
}

/** The versions a generation committed at `ref` used, when `ref` has one the release branch has not. */
export async function generationAt(
  ctx: Phase1Context,
  ref: string,
  releaseRef: string,
): Promise<GeneratedManifest | undefined> {
  const { git, workspaceRoot: cwd } = ctx.ports;
  const text = await git.showFile(cwd, ref, GENERATED_MANIFEST);
  if (!text || text === (await git.showFile(cwd, releaseRef, GENERATED_MANIFEST))) return undefined;
  return parseManifest(text);
}

async function propose(
  ctx: Phase1Context,
  release: string,
  upgrade: string,
): Promise<UpgradeVersionProposal> {
  const { git, workspaceRoot: cwd } = ctx.ports;
  for (const ref of [localRef(upgrade), remoteRef(upgrade)]) {
    const earlier = (await git.revParse(cwd, ref))
      ? await generationAt(ctx, ref, remoteRef(release))
      : undefined;
    if (earlier) return proposalFromManifest(earlier, `${GENERATED_MANIFEST} on ${upgrade}`);
  }
  if (!(await git.revParse(cwd, remoteRef(release)))) {
    throw new UserError(`${release} is not on ${REMOTE}: run 1.1 and 1.2 first.`, 'missing-branch');
  }
  const releaseRef = remoteRef(release);
  const hasMain = (await git.revParse(cwd, remoteRef(MAIN))) !== undefined;
  const deployedRef = hasMain ? remoteRef(MAIN) : releaseRef;
  const [deployed, releaseFiles] = await Promise.all([
    damlYamlFiles(ctx, deployedRef),
    damlYamlFiles(ctx, releaseRef),
  ]);
  return proposeUpgradeVersions({
    deployedModel: findPackage(deployed, MODEL_PACKAGE),
    deployedLoader: findPackage(deployed, LOADER_PACKAGE),
    releaseModel: findPackage(releaseFiles, MODEL_PACKAGE),
    deployedRef: hasMain ? `${REMOTE}/${MAIN}` : release,
    releaseRef: release,
  });
}

/** Throws before any process starts when the versions cannot make an upgrade. */
export function checkVersions(input: GeneratedManifest): void {
  const problem =
    damlVersionProblem(input.from) ??
    damlVersionProblem(input.to) ??
    damlVersionProblem(input.dataLoaderFrom);
  if (problem) throw new UserError(problem);
  if (compareDamlVersions(input.to, input.from) <= 0) {
    throw new UserError(
      `The target version ${input.to} must be greater than the current version ${input.from}.`,
    );
  }
}

/** Proposes, asks once, and answers the confirmed versions; undefined when the person cancels. */
export async function askUpgradeVersions(
  ctx: Phase1Context,
  release: string,
  upgrade: string,
): Promise<CodegenInput | undefined> {
  const proposal = await propose(ctx, release, upgrade);
  const field = (id: keyof UpgradeVersionProposal, label: string): FormField => ({
    id,
    label,
    value: proposal[id].value,
    source: proposal[id].source,
    validate: damlVersionProblem,
  });
  const answers = await ctx.prompt.form(`Generate the DAML upgrade code for ${ctx.version.format()}`, [
    field('from', 'Current (deployed) lendos-model version: <old-version>'),
    field('to', 'Target lendos-model version: <new-version>'),
    field('dataLoaderFrom', 'Deployed data-loader version: <old-data-loader-version>'),
  ]);
  if (!answers) return undefined;
  const answer = (id: keyof UpgradeVersionProposal) => (answers[id] ?? '').trim();
  const sourceOf = (id: keyof UpgradeVersionProposal) =>
    answer(id) === proposal[id].value
      ? proposal[id].source
      : `typed in the form (proposed ${proposal[id].value || 'nothing'}: ${proposal[id].source})`;
  const input: CodegenInput = {
    from: answer('from'),
    to: answer('to'),
    dataLoaderFrom: answer('dataLoaderFrom'),
    sources: { from: sourceOf('from'), to: sourceOf('to'), dataLoaderFrom: sourceOf('dataLoaderFrom') },
  };
  checkVersions(input);
  return input;
}
