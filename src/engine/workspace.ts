import { UserError } from '../core/errors.js';
import type { WorkspaceRepo } from '../ports.js';

/** A release runs in the lendos repository: a git work tree with a VERSION file at its root. */
export async function checkWorkspace(repo: WorkspaceRepo): Promise<void> {
  if (!(await repo.isGitRepository())) {
    throw new UserError(
      `${repo.root} is not a git repository: open the lendos repository (the folder that holds VERSION and .git).`,
      'not-git',
    );
  }
  if ((await repo.readVersionFile()) === undefined) {
    throw new UserError(
      `There is no VERSION file at ${repo.root}: open the root of the lendos repository, where VERSION holds the release version.`,
      'no-version-file',
    );
  }
}
