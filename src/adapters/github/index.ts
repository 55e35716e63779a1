/** The GitHub bundle (dist/github.js), loaded on first use: Octokit never loads at activation. */
import type { GitHub } from '../../ports.js';
import type { GitHubOptions } from './client.js';
import { OctokitGitHub } from './octokit-github.js';

export type { GitHubOptions } from './client.js';

export function createGitHub(options: GitHubOptions): GitHub {
  return new OctokitGitHub(options);
}
