import { personByEmail, personByLogin } from '../git/identities.js';
import { isoSeconds } from './http.js';
import type { CommitInfo } from './repo-git.js';
import type { RepoContext } from './state.js';

/** Where GitHub JSON links point: the server's own URL and the owner of the repositories. */
export interface Site {
  baseUrl: string;
  owner: string;
}

const HTML = 'https://github.com';

function stableId(text: string): number {
  let hash = 5381;
  for (const char of text) hash = (hash * 33 + char.charCodeAt(0)) >>> 0;
  return 10_000_000 + (hash % 90_000_000);
}

export function userJson(site: Site, login: string) {
  const id = stableId(login);
  return {
    login,
    id,
    node_id: Buffer.from(`04:User${id}`).toString('base64'),
    avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
    url: `${site.baseUrl}/users/${login}`,
    html_url: `${HTML}/${login}`,
    type: login === site.owner ? 'Organization' : 'User',
    site_admin: false,
  };
}

export function authenticatedUserJson(site: Site, login: string) {
  const person = personByLogin(login);
  return { ...userJson(site, login), name: person?.name ?? login, email: person?.email ?? null, company: 'LendOS' };
}

export function repoJson(site: Site, repo: RepoContext) {
  const fullName = `${site.owner}/${repo.name}`;
  const url = `${site.baseUrl}/repos/${fullName}`;
  return {
    id: repo.id,
    node_id: Buffer.from(`010:Repository${repo.id}`).toString('base64'),
    name: repo.name,
    full_name: fullName,
    private: true,
    visibility: 'private',
    owner: userJson(site, site.owner),
    html_url: `${HTML}/${fullName}`,
    description: repo.description,
    fork: false,
    url,
    pulls_url: `${url}/pulls{/number}`,
    git_url: `git://github.com/${fullName}.git`,
    clone_url: `${HTML}/${fullName}.git`,
    default_branch: repo.defaultBranch,
    archived: false,
    disabled: false,
    has_issues: true,
    permissions: { admin: false, maintain: true, push: true, triage: true, pull: true },
    allow_merge_commit: true,
    allow_squash_merge: true,
    allow_rebase_merge: true,
    delete_branch_on_merge: false,
  };
}

function gitUser(person: { name: string; email: string; date: string }) {
  return { name: person.name, email: person.email, date: new Date(person.date).toISOString().replace(/\.\d{3}Z$/, 'Z') };
}

export function commitJson(site: Site, repo: RepoContext, commit: CommitInfo) {
  const url = `${site.baseUrl}/repos/${site.owner}/${repo.name}`;
  const loginOf = (email: string) => {
    const person = personByEmail(email);
    return person ? userJson(site, person.login) : null;
  };
  return {
    sha: commit.sha,
    node_id: Buffer.from(`04:Commit${commit.sha}`).toString('base64'),
    commit: {
      author: gitUser(commit.author),
      committer: gitUser(commit.committer),
      message: commit.message,
      tree: { sha: commit.tree, url: `${url}/git/trees/${commit.tree}` },
      url: `${url}/git/commits/${commit.sha}`,
      comment_count: 0,
      verification: { verified: false, reason: 'unsigned', signature: null, payload: null },
    },
    url: `${url}/commits/${commit.sha}`,
    html_url: `${HTML}/${site.owner}/${repo.name}/commit/${commit.sha}`,
    author: loginOf(commit.author.email),
    committer: commit.committer.email === 'noreply@github.com' ? userJson(site, 'web-flow') : loginOf(commit.committer.email),
    parents: commit.parents.map((sha) => ({ sha, url: `${url}/commits/${sha}`, html_url: `${HTML}/${site.owner}/${repo.name}/commit/${sha}` })),
  };
}

export function branchSummaryJson(site: Site, repo: RepoContext, name: string, sha: string) {
  return {
    name,
    commit: { sha, url: `${site.baseUrl}/repos/${site.owner}/${repo.name}/commits/${sha}` },
    protected: name === 'main' || name === 'develop',
  };
}

export function refJson(site: Site, repo: RepoContext, ref: string, sha: string) {
  const url = `${site.baseUrl}/repos/${site.owner}/${repo.name}/git`;
  return {
    ref,
    node_id: Buffer.from(`03:Ref${repo.id}:${ref}`).toString('base64'),
    url: `${url}/${ref}`,
    object: { sha, type: 'commit', url: `${url}/commits/${sha}` },
  };
}

export const dateOrNull = (date: Date | undefined) => (date ? isoSeconds(date) : null);
