/**
 * The values-tags edit of an environment, computed on `origin/main` of the workloads clone (pure but for the reads):
 * the file before and after, its diff and the tags that change. A branch of the step's name that already exists is
 * accepted only when it holds exactly that edit of the file it started from.
 */
import { UserError } from '../../core/errors.js';
import type { EnvironmentName } from '../../core/runbook/types.js';
import { applyTagEdits, locateTags, tagsBySite, type TagChange } from '../../core/values-tags/index.js';
import { MAIN, REMOTE, localRef, remoteRef, short } from '../layout.js';
import { inPlaceDiff } from '../text-diff.js';
import type { Clone, ValuesTagsContext } from './clone.js';

export interface Proposal {
  readonly file: string;
  /** origin/main's commit the edit was computed on. */
  readonly base: string;
  readonly before: string;
  readonly after: string;
  readonly diff: string;
  readonly changes: readonly TagChange[];
}

export const valuesFile = (ctx: ValuesTagsContext, environment: EnvironmentName) =>
  ctx.config.environments[environment].valuesTagsFile;

/** `file` with `tags` written in; refuses malformed YAML, a missing service or a bad tag (nothing is changed then). */
export function editOf(ctx: ValuesTagsContext, environment: EnvironmentName, text: string, tags: Readonly<Record<string, string>>) {
  const file = valuesFile(ctx, environment);
  const located = locateTags(text);
  // Problems first: a malformed file is reported as such, not as a missing path.
  const bySite = located.problems.length > 0 ? tags : tagsBySite(file, located.sites, tags, ctx.config.environments[environment].valuesTagsPaths);
  return applyTagEdits(file, text, bySite, located);
}

/** Whether `text` (the file on main) already holds `tags`; a file the edit refuses does not. */
export function holdsTags(ctx: ValuesTagsContext, environment: EnvironmentName, text: string | undefined, tags: Readonly<Record<string, string>>): boolean {
  if (text === undefined) return false;
  try {
    return editOf(ctx, environment, text, tags).changes.length === 0;
  } catch {
    return false;
  }
}

async function fileAt(ctx: ValuesTagsContext, clone: Clone, ref: string, file: string, name: string): Promise<string> {
  const text = await ctx.ports.git.showFile(clone.dir, ref, file);
  if (text === undefined) {
    throw new UserError(
      `${name} of ${ctx.config.repositories.workloads} has no ${file}: check lendos.environments.<env>.valuesTagsFile. Nothing was changed.`,
      'values-tags-file',
    );
  }
  return text;
}

export async function propose(
  ctx: ValuesTagsContext,
  clone: Clone,
  environment: EnvironmentName,
  tags: Readonly<Record<string, string>>,
): Promise<Proposal> {
  const file = valuesFile(ctx, environment);
  const base = await ctx.ports.git.revParse(clone.dir, remoteRef(MAIN));
  if (!base) throw new UserError(`${clone.dir} has no ${REMOTE}/${MAIN}: check its origin remote. Nothing was changed.`, 'missing-branch');
  const before = await fileAt(ctx, clone, base, file, `${REMOTE}/${MAIN}`);
  const { text: after, changes } = editOf(ctx, environment, before, tags);
  return { file, base, before, after, diff: inPlaceDiff(file, before, after), changes };
}

export interface ExistingBranch {
  readonly ref: string;
  readonly tip: string;
  readonly onRemote: boolean;
  /** Already on origin/main: its PR was merged (or it was pushed there). */
  readonly merged: boolean;
}

/** The step's branch when it exists (origin's first), after checking it holds exactly the edit; undefined when it does not exist. */
export async function existingBranch(
  ctx: ValuesTagsContext,
  clone: Clone,
  environment: EnvironmentName,
  branch: string,
  tags: Readonly<Record<string, string>>,
): Promise<ExistingBranch | undefined> {
  const { git } = ctx.ports;
  const remote = await git.revParse(clone.dir, remoteRef(branch));
  const local = await git.revParse(clone.dir, localRef(branch));
  const tip = remote ?? local;
  if (!tip) return undefined;
  const ref = remote ? remoteRef(branch) : localRef(branch);
  if (await git.isAncestor(clone.dir, tip, remoteRef(MAIN))) return { ref, tip, onRemote: Boolean(remote), merged: true };
  const file = valuesFile(ctx, environment);
  const forkPoint = await git.mergeBase(clone.dir, tip, remoteRef(MAIN));
  const started = forkPoint ? await git.showFile(clone.dir, forkPoint, file) : undefined;
  const holds = await git.showFile(clone.dir, tip, file);
  const expected = started === undefined ? undefined : editOf(ctx, environment, started, tags).text;
  const commits = forkPoint ? await git.countCommits(clone.dir, forkPoint, tip) : 0;
  if (expected === undefined || holds !== expected || commits !== 1 || (remote && local && local !== remote)) {
    throw new UserError(
      `The branch ${branch} already exists (${remote ? `on ${REMOTE}` : 'in the clone'}, at ${short(tip)}) with other content than this step's single commit setting ` +
        `${file} to the release's tags. Look at it (${clone.gitC} log -p ${MAIN}..${remote ? `${REMOTE}/` : ''}${branch}); if it is a leftover, delete it ` +
        `(${clone.gitC} branch -D ${branch}${remote ? `; ${clone.gitC} push ${REMOTE} --delete ${branch}` : ''}) and run this step again. Nothing was written.`,
      'branch-exists',
    );
  }
  return { ref, tip, onRemote: Boolean(remote), merged: false };
}
