/** GitHub's failures a person can act on, as UserErrors that say what to do. */
import { UserError, messageOf } from '../../core/errors.js';
import type { RepoRef } from '../../ports.js';

export const CODESPACE_ACCESS_SNIPPET = (repo: RepoRef) =>
  JSON.stringify(
    { customizations: { codespaces: { repositories: { [`${repo.owner}/${repo.name}`]: { permissions: { contents: 'write', pull_requests: 'write' } } } } } },
    null,
    2,
  );

function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}

/** GitHub's own message (the `message` of its JSON answer) when there is one. */
function githubMessage(error: unknown): string {
  const data = (error as { response?: { data?: { message?: unknown } } } | null)?.response?.data;
  return typeof data?.message === 'string' ? data.message : messageOf(error);
}

/** What to tell a person for `status` on `what` (e.g. "read pull request #12 of rplendos/lendos"). */
export function githubFailure(error: unknown, what: string, repo: RepoRef | undefined, tokenSource: string): Error {
  const status = statusOf(error);
  const where = repo ? `${repo.owner}/${repo.name}` : 'GitHub';
  if (status === 401) {
    return new UserError(
      `GitHub refused the token from ${tokenSource} (401: ${githubMessage(error)}) to ${what}. Sign in again ` +
        '(VS Code: Accounts → GitHub; terminal: `gh auth login`), or set GITHUB_TOKEN to a token with the `repo` scope.',
      'github-auth',
    );
  }
  if (status === 403 || status === 404) {
    const codespace = process.env['CODESPACES'] === 'true' && repo
      ? ` In a Codespace the token reaches only its own repository: add this to .devcontainer/devcontainer.json and rebuild the Codespace:\n${CODESPACE_ACCESS_SNIPPET(repo)}`
      : '';
    return new UserError(
      `Could not ${what}: GitHub answered ${status} (${githubMessage(error)}). The token from ${tokenSource} cannot reach ${where}: ` +
        `it needs the \`repo\` scope and access to ${where}.${codespace}`,
      'github-access',
    );
  }
  if (status === 422 || status === 405 || status === 409) {
    return new UserError(`GitHub refused to ${what} (${status}: ${githubMessage(error)}).`, 'github-refused');
  }
  return error instanceof Error ? error : new Error(messageOf(error));
}
