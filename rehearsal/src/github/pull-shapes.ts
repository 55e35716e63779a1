import { dateOrNull, repoJson, userJson, type Site } from './shapes.js';
import type { PullRecord, RepoContext } from './state.js';

/** Current head and base SHAs of a pull request (frozen once it closed). */
export async function pullShas(repo: RepoContext, pr: PullRecord): Promise<{ head: string; base: string }> {
  if (pr.state === 'closed' && pr.closedHeadSha && pr.closedBaseSha) return { head: pr.closedHeadSha, base: pr.closedBaseSha };
  const head = (await repo.git.refSha(`refs/heads/${pr.head}`)) ?? pr.closedHeadSha ?? '';
  const base = (await repo.git.refSha(`refs/heads/${pr.base}`)) ?? pr.closedBaseSha ?? '';
  return { head, base };
}

function side(site: Site, repo: RepoContext, ref: string, sha: string) {
  return { label: `${site.owner}:${ref}`, ref, sha, user: userJson(site, site.owner), repo: repoJson(site, repo) };
}

/** The pull request as `pulls.list` shows it. */
export async function pullSummaryJson(site: Site, repo: RepoContext, pr: PullRecord) {
  const { head, base } = await pullShas(repo, pr);
  const api = `${site.baseUrl}/repos/${site.owner}/${repo.name}`;
  const html = `https://github.com/${site.owner}/${repo.name}/pull/${pr.number}`;
  return {
    url: `${api}/pulls/${pr.number}`,
    id: pr.id,
    node_id: Buffer.from(`011:PullRequest${pr.id}`).toString('base64'),
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: `${api}/issues/${pr.number}`,
    number: pr.number,
    state: pr.state,
    locked: false,
    title: pr.title,
    user: userJson(site, pr.user),
    body: pr.body,
    labels: [],
    milestone: null,
    created_at: dateOrNull(pr.createdAt),
    updated_at: dateOrNull(pr.updatedAt),
    closed_at: dateOrNull(pr.closedAt),
    merged_at: dateOrNull(pr.mergedAt),
    merge_commit_sha: pr.mergeCommitSha ?? null,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    requested_teams: [],
    head: side(site, repo, pr.head, head),
    base: side(site, repo, pr.base, base),
    _links: {
      self: { href: `${api}/pulls/${pr.number}` },
      html: { href: html },
      commits: { href: `${api}/pulls/${pr.number}/commits` },
      statuses: { href: `${api}/statuses/${head}` },
    },
    author_association: 'MEMBER',
    auto_merge: null,
    draft: pr.draft,
  };
}

/** The pull request as `pulls.get` shows it: with mergeability and diff statistics. */
export async function pullJson(site: Site, repo: RepoContext, pr: PullRecord) {
  const summary = await pullSummaryJson(site, repo, pr);
  const head = summary.head.sha;
  const base = summary.base.sha;
  const open = pr.state === 'open' && head !== '' && base !== '';
  const mergeable = open ? (await repo.git.mergeTree(base, head)) !== undefined : null;
  const [commits, files] = head && base ? await Promise.all([repo.git.commitsBetween(base, head), repo.git.changedFiles(base, head)]) : [[], []];
  const mergeableState = !open ? 'unknown' : !mergeable ? 'dirty' : pr.draft ? 'draft' : 'clean';
  return {
    ...summary,
    merged: pr.mergedAt !== undefined,
    mergeable,
    rebaseable: mergeable,
    mergeable_state: mergeableState,
    merged_by: pr.mergedBy ? userJson(site, pr.mergedBy) : null,
    comments: pr.commentCount ?? 0,
    review_comments: 0,
    maintainer_can_modify: false,
    commits: commits.length,
    additions: files.reduce((n, f) => n + f.additions, 0),
    deletions: files.reduce((n, f) => n + f.deletions, 0),
    changed_files: files.length,
  };
}
