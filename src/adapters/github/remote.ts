/** The `owner/name` of a git remote URL: https, ssh (`git@host:owner/name.git`), `ssh://`; undefined for anything else. */
import type { RepoRef } from '../../ports.js';

const PATTERNS = [
  /^https?:\/\/(?:[^@/]+@)?[^/]+\/(?<owner>[^/]+)\/(?<name>[^/]+?)(?:\.git)?\/?$/,
  /^ssh:\/\/(?:[^@/]+@)?[^/]+\/(?<owner>[^/]+)\/(?<name>[^/]+?)(?:\.git)?\/?$/,
  /^[^@\s]+@[^:\s]+:(?<owner>[^/]+)\/(?<name>[^/]+?)(?:\.git)?\/?$/,
];

export function repoOfRemoteUrl(url: string): RepoRef | undefined {
  for (const pattern of PATTERNS) {
    const groups = pattern.exec(url.trim())?.groups;
    if (groups?.owner && groups.name) return { owner: groups.owner, name: groups.name };
  }
  return undefined;
}
