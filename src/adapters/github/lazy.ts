/** Statically importable: hands out the GitHub port while Octokit's bundle loads only on the first call. */
import type { GitHub } from '../../ports.js';
import type { GitHubOptions } from './client.js';

export type { GitHubOptions } from './client.js';

/** `options` is resolved on every call, so a new sign-in or token takes effect on the next step run. */
export function lazyGitHub(options: () => Promise<GitHubOptions>): () => Promise<GitHub> {
  return async () => {
    const [{ createGitHub }, resolved] = await Promise.all([import('./index.js'), options()]);
    return createGitHub(resolved);
  };
}
