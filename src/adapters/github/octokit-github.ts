/** The GitHub port on Octokit: one method a REST call (or a paginated list), GitHub's shapes turned into ours. */
import { UserError } from '../../core/errors.js';
import type { CommentInfo, GitHub, IssueInfo, MilestoneInfo, PullInfo, RepoRef, ReviewInfo, WorkflowRunInfo } from '../../ports.js';
import { createOctokit, type GitHubOptions, type ReleaseOctokit } from './client.js';
import { githubFailure } from './errors.js';

type Pull = Awaited<ReturnType<ReleaseOctokit['rest']['pulls']['get']>>['data'];
type ListedPull = Awaited<ReturnType<ReleaseOctokit['rest']['pulls']['list']>>['data'][number];
type Run = Awaited<ReturnType<ReleaseOctokit['rest']['actions']['listWorkflowRunsForRepo']>>['data']['workflow_runs'][number];

const at = (repo: RepoRef) => ({ owner: repo.owner, repo: repo.name });

function pullOf(pull: Pull | ListedPull): PullInfo {
  const full = pull as Partial<Pull>;
  return {
    number: pull.number,
    url: pull.html_url,
    title: pull.title,
    body: pull.body ?? '',
    state: pull.state === 'closed' ? 'closed' : 'open',
    merged: Boolean(full.merged ?? pull.merged_at),
    ...(pull.merge_commit_sha && (full.merged ?? pull.merged_at) ? { mergeSha: pull.merge_commit_sha } : {}),
    ...(pull.merged_at ? { mergedAt: pull.merged_at } : {}),
    head: pull.head.ref,
    headSha: pull.head.sha,
    base: pull.base.ref,
    mergeable: full.mergeable ?? null,
    mergeableState: full.mergeable_state ?? 'unknown',
    author: pull.user?.login ?? '',
    createdAt: pull.created_at,
  };
}

function runOf(run: Run): WorkflowRunInfo {
  return {
    id: run.id,
    name: run.name ?? String(run.workflow_id),
    status: run.status ?? 'queued',
    conclusion: run.conclusion ?? null,
    headSha: run.head_sha,
    branch: run.head_branch ?? '',
    event: run.event,
    url: run.html_url,
    createdAt: run.created_at,
    updatedAt: run.updated_at,
  };
}

const status = (error: unknown) => (error as { status?: number } | null)?.status;

export class OctokitGitHub implements GitHub {
  private readonly octokit: ReleaseOctokit;

  constructor(private readonly options: GitHubOptions) {
    this.octokit = createOctokit(options);
  }

  private async call<T>(what: string, repo: RepoRef | undefined, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw githubFailure(error, what, repo, this.options.tokenSource);
    }
  }

  whoami(): Promise<string> {
    return this.call('read the signed-in user', undefined, async () => (await this.octokit.rest.users.getAuthenticated()).data.login);
  }

  async checkAccess(repo: RepoRef): Promise<{ ok: true } | { ok: false; reason: string }> {
    try {
      await this.call(`read ${repo.owner}/${repo.name}`, repo, () => this.octokit.rest.repos.get(at(repo)));
      return { ok: true };
    } catch (error) {
      if (error instanceof UserError) return { ok: false, reason: error.message };
      throw error;
    }
  }

  findPulls(repo: RepoRef, query: { head?: string; base?: string; state?: 'open' | 'closed' | 'all' }): Promise<PullInfo[]> {
    const head = query.head ? `${repo.owner}:${query.head}` : undefined;
    return this.call(`list pull requests of ${repo.owner}/${repo.name}`, repo, async () =>
      (await this.octokit.paginate(this.octokit.rest.pulls.list, { ...at(repo), head, base: query.base, state: query.state ?? 'open', per_page: 100 })).map(pullOf),
    );
  }

  getPull(repo: RepoRef, number: number): Promise<PullInfo | undefined> {
    return this.call(`read pull request #${number} of ${repo.owner}/${repo.name}`, repo, async () => {
      try {
        return pullOf((await this.octokit.rest.pulls.get({ ...at(repo), pull_number: number })).data);
      } catch (error) {
        if (status(error) === 404) return undefined;
        throw error;
      }
    });
  }

  createPull(repo: RepoRef, pull: { head: string; base: string; title: string; body: string }): Promise<PullInfo> {
    return this.call(`open a pull request ${pull.head} → ${pull.base} in ${repo.owner}/${repo.name}`, repo, async () =>
      pullOf((await this.octokit.rest.pulls.create({ ...at(repo), ...pull })).data),
    );
  }

  mergePull(repo: RepoRef, number: number, options: { sha: string; title?: string }): Promise<{ sha: string }> {
    return this.call(`merge pull request #${number} of ${repo.owner}/${repo.name}`, repo, async () => {
      const { data } = await this.octokit.rest.pulls.merge({ ...at(repo), pull_number: number, sha: options.sha, merge_method: 'merge', commit_title: options.title });
      return { sha: data.sha };
    });
  }

  listReviews(repo: RepoRef, number: number): Promise<ReviewInfo[]> {
    return this.call(`read the reviews of #${number} in ${repo.owner}/${repo.name}`, repo, async () =>
      (await this.octokit.paginate(this.octokit.rest.pulls.listReviews, { ...at(repo), pull_number: number, per_page: 100 })).map((r) => ({
        id: r.id,
        user: r.user?.login ?? '',
        state: r.state,
        commitId: r.commit_id ?? '',
        ...(r.submitted_at ? { submittedAt: r.submitted_at } : {}),
        url: r.html_url,
      })),
    );
  }

  listComments(repo: RepoRef, number: number): Promise<CommentInfo[]> {
    return this.call(`read the comments of #${number} in ${repo.owner}/${repo.name}`, repo, async () =>
      (await this.octokit.paginate(this.octokit.rest.issues.listComments, { ...at(repo), issue_number: number, per_page: 100 })).map(commentOf),
    );
  }

  createComment(repo: RepoRef, number: number, body: string): Promise<CommentInfo> {
    return this.call(`comment on #${number} in ${repo.owner}/${repo.name}`, repo, async () =>
      commentOf((await this.octokit.rest.issues.createComment({ ...at(repo), issue_number: number, body })).data),
    );
  }

  updateComment(repo: RepoRef, id: number, body: string): Promise<CommentInfo> {
    return this.call(`update comment ${id} in ${repo.owner}/${repo.name}`, repo, async () =>
      commentOf((await this.octokit.rest.issues.updateComment({ ...at(repo), comment_id: id, body })).data),
    );
  }

  listMilestones(repo: RepoRef): Promise<MilestoneInfo[]> {
    return this.call(`list the milestones of ${repo.owner}/${repo.name}`, repo, async () =>
      (await this.octokit.paginate(this.octokit.rest.issues.listMilestones, { ...at(repo), state: 'all', per_page: 100 })).map((m) => ({
        number: m.number,
        title: m.title,
        state: m.state === 'closed' ? 'closed' : 'open',
        openIssues: m.open_issues,
        closedIssues: m.closed_issues,
        url: m.html_url,
      })),
    );
  }

  listIssues(repo: RepoRef, query: { milestone: number; state: 'open' | 'closed' | 'all' }): Promise<IssueInfo[]> {
    return this.call(`list the issues of milestone ${query.milestone} in ${repo.owner}/${repo.name}`, repo, async () =>
      (await this.octokit.paginate(this.octokit.rest.issues.listForRepo, { ...at(repo), milestone: String(query.milestone), state: query.state, per_page: 100 }))
        .filter((i) => !i.pull_request)
        .map((i) => ({ number: i.number, title: i.title, state: i.state === 'closed' ? 'closed' : 'open', url: i.html_url, ...(i.assignee ? { assignee: i.assignee.login } : {}) })),
    );
  }

  fileAt(repo: RepoRef, ref: string, path: string): Promise<string | undefined> {
    return this.call(`read ${path} at ${ref} in ${repo.owner}/${repo.name}`, repo, async () => {
      try {
        const { data } = await this.octokit.rest.repos.getContent({ ...at(repo), path, ref });
        if (Array.isArray(data) || data.type !== 'file' || !('content' in data)) return undefined;
        return Buffer.from(data.content, 'base64').toString('utf8');
      } catch (error) {
        if (status(error) === 404) return undefined;
        throw error;
      }
    });
  }

  listPaths(repo: RepoRef, ref: string, prefix: string): Promise<string[]> {
    return this.call(`list ${prefix} at ${ref} in ${repo.owner}/${repo.name}`, repo, async () => {
      const found: string[] = [];
      const walk = async (path: string): Promise<void> => {
        let data: unknown;
        try {
          data = (await this.octokit.rest.repos.getContent({ ...at(repo), path, ref })).data;
        } catch (error) {
          if (status(error) === 404) return;
          throw error;
        }
        const entries = Array.isArray(data) ? (data as { path: string; type: string }[]) : [data as { path: string; type: string }];
        for (const entry of entries) {
          if (entry.type === 'dir') await walk(entry.path);
          else found.push(entry.path);
        }
      };
      await walk(prefix);
      return found;
    });
  }

  listRuns(repo: RepoRef, query: { headSha?: string; branch?: string; event?: string }): Promise<WorkflowRunInfo[]> {
    return this.call(`list the Actions runs of ${repo.owner}/${repo.name}`, repo, async () => {
      const { data } = await this.octokit.rest.actions.listWorkflowRunsForRepo({ ...at(repo), head_sha: query.headSha, branch: query.branch, event: query.event, per_page: 100 });
      return data.workflow_runs.map(runOf);
    });
  }

  teamMembers(org: string, team: string): Promise<string[]> {
    return this.call(`list the members of team ${org}/${team}`, { owner: org, name: team }, async () =>
      (await this.octokit.paginate(this.octokit.rest.teams.listMembersInOrg, { org, team_slug: team, per_page: 100 })).map((m) => m.login),
    );
  }

  deleteBranch(repo: RepoRef, branch: string): Promise<void> {
    return this.call(`delete branch ${branch} of ${repo.owner}/${repo.name}`, repo, async () => {
      await this.octokit.rest.git.deleteRef({ ...at(repo), ref: `heads/${branch}` });
    });
  }

  createBranch(repo: RepoRef, branch: string, from: string): Promise<{ sha: string; created: boolean }> {
    return this.call(`create branch ${branch} from ${from} in ${repo.owner}/${repo.name}`, repo, async () => {
      const existing = await this.branchTip(repo, branch);
      if (existing) return { sha: existing, created: false };
      const base = await this.branchTip(repo, from);
      if (!base) throw new UserError(`${repo.owner}/${repo.name} has no branch ${from} to create ${branch} from.`, 'missing-branch');
      await this.octokit.rest.git.createRef({ ...at(repo), ref: `refs/heads/${branch}`, sha: base });
      return { sha: base, created: true };
    });
  }

  createOrUpdateFile(repo: RepoRef, file: { branch: string; path: string; content: string; message: string }): Promise<{ commit: string; changed: boolean }> {
    return this.call(`commit ${file.path} to ${file.branch} in ${repo.owner}/${repo.name}`, repo, async () => {
      const current = await this.fileBlob(repo, file.branch, file.path);
      if (current && Buffer.from(current.content, 'base64').toString('utf8') === file.content) {
        return { commit: (await this.branchTip(repo, file.branch)) ?? '', changed: false };
      }
      const { data } = await this.octokit.rest.repos.createOrUpdateFileContents({
        ...at(repo),
        path: file.path,
        branch: file.branch,
        message: file.message,
        content: Buffer.from(file.content, 'utf8').toString('base64'),
        ...(current ? { sha: current.sha } : {}),
      });
      return { commit: data.commit.sha ?? '', changed: true };
    });
  }

  /** A branch's tip, or undefined when there is no such branch. */
  private async branchTip(repo: RepoRef, branch: string): Promise<string | undefined> {
    try {
      return (await this.octokit.rest.git.getRef({ ...at(repo), ref: `heads/${branch}` })).data.object.sha;
    } catch (error) {
      if (status(error) === 404) return undefined;
      throw error;
    }
  }

  /** A file's blob SHA and content (base64) on a branch, or undefined when it is not there. */
  private async fileBlob(repo: RepoRef, ref: string, path: string): Promise<{ sha: string; content: string } | undefined> {
    try {
      const { data } = await this.octokit.rest.repos.getContent({ ...at(repo), path, ref });
      return Array.isArray(data) || data.type !== 'file' || !('content' in data) ? undefined : { sha: data.sha, content: data.content };
    } catch (error) {
      if (status(error) === 404) return undefined;
      throw error;
    }
  }
}

function commentOf(c: { id: number; user?: { login: string } | null; body?: string; created_at: string; html_url: string }): CommentInfo {
  return { id: c.id, user: c.user?.login ?? '', body: c.body ?? '', createdAt: c.created_at, url: c.html_url };
}
