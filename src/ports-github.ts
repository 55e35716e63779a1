/** The GitHub port (Phase 2 and 3): the lendos and lendos-eks-workloads repositories. Re-exported by ports.ts. */
/** A repository on GitHub (or GitHub Enterprise), `owner/name`. */
export interface RepoRef {
  readonly owner: string;
  readonly name: string;
}

export interface PullInfo {
  readonly number: number;
  readonly url: string;
  readonly title: string;
  readonly body: string;
  readonly state: 'open' | 'closed';
  readonly merged: boolean;
  /** The merge commit, once merged. */
  readonly mergeSha?: string;
  /** When it was merged (ISO 8601), once merged. */
  readonly mergedAt?: string;
  readonly head: string;
  readonly headSha: string;
  readonly base: string;
  /** Null while GitHub computes it. */
  readonly mergeable: boolean | null;
  /** clean | dirty (conflicts) | blocked (required checks/reviews) | behind | unstable | unknown … */
  readonly mergeableState: string;
  readonly author: string;
  readonly createdAt: string;
}

export interface ReviewInfo {
  readonly id: number;
  readonly user: string;
  /** APPROVED | CHANGES_REQUESTED | COMMENTED | DISMISSED | PENDING */
  readonly state: string;
  readonly commitId: string;
  readonly submittedAt?: string;
  readonly url: string;
}

export interface CommentInfo {
  readonly id: number;
  readonly user: string;
  readonly body: string;
  readonly createdAt: string;
  readonly url: string;
}

export interface MilestoneInfo {
  readonly number: number;
  readonly title: string;
  readonly state: 'open' | 'closed';
  readonly openIssues: number;
  readonly closedIssues: number;
  readonly url: string;
}

export interface IssueInfo {
  readonly number: number;
  readonly title: string;
  readonly state: 'open' | 'closed';
  readonly url: string;
  readonly assignee?: string;
}

export interface WorkflowRunInfo {
  readonly id: number;
  readonly name: string;
  /** queued | in_progress | completed | waiting | requested | pending */
  readonly status: string;
  /** success | failure | cancelled | skipped | timed_out | action_required | neutral | null while running */
  readonly conclusion: string | null;
  readonly headSha: string;
  readonly branch: string;
  readonly event: string;
  readonly url: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/**
 * GitHub's REST API for the release. Rate limits and 5xx are retried with backoff (the wait is reported through the
 * adapter's `onWait`), never given up silently; 401/403/404 a person can act on are UserErrors saying what to do
 * (a token without `repo`, a Codespace without access to lendos-eks-workloads).
 */
export interface GitHub {
  /** The authenticated login. */
  whoami(): Promise<string>;
  /** Whether the token reaches the repository; when it does not, what to do (a UserError message). */
  checkAccess(repo: RepoRef): Promise<{ ok: true } | { ok: false; reason: string }>;
  findPulls(repo: RepoRef, query: { head?: string; base?: string; state?: 'open' | 'closed' | 'all' }): Promise<PullInfo[]>;
  getPull(repo: RepoRef, number: number): Promise<PullInfo | undefined>;
  createPull(repo: RepoRef, pull: { head: string; base: string; title: string; body: string }): Promise<PullInfo>;
  /** A merge commit (never squash or rebase); `sha` guards against a head that moved. Throws a UserError on a conflict. */
  mergePull(repo: RepoRef, number: number, options: { sha: string; title?: string }): Promise<{ sha: string }>;
  listReviews(repo: RepoRef, number: number): Promise<ReviewInfo[]>;
  /** Issue comments of a pull request or issue, oldest first. */
  listComments(repo: RepoRef, number: number): Promise<CommentInfo[]>;
  /** A new comment on a pull request's (or issue's) conversation. */
  createComment(repo: RepoRef, number: number, body: string): Promise<CommentInfo>;
  /** Replaces the body of comment `id` (one the caller may edit). */
  updateComment(repo: RepoRef, id: number, body: string): Promise<CommentInfo>;
  listMilestones(repo: RepoRef): Promise<MilestoneInfo[]>;
  listIssues(repo: RepoRef, query: { milestone: number; state: 'open' | 'closed' | 'all' }): Promise<IssueInfo[]>;
  /** A file's text at a ref, or undefined when it is not there. */
  fileAt(repo: RepoRef, ref: string, path: string): Promise<string | undefined>;
  /** Paths under `prefix` (a folder) at a ref; empty when the folder is not there. */
  listPaths(repo: RepoRef, ref: string, prefix: string): Promise<string[]>;
  listRuns(repo: RepoRef, query: { headSha?: string; branch?: string; event?: string }): Promise<WorkflowRunInfo[]>;
  /** Members of an organisation team (for product approvers given as a team). */
  teamMembers(org: string, team: string): Promise<string[]>;
  deleteBranch(repo: RepoRef, branch: string): Promise<void>;
  /** Creates `branch` at the tip of branch `from`; an existing branch is left as it is. Answers its tip. */
  createBranch(repo: RepoRef, branch: string, from: string): Promise<{ sha: string; created: boolean }>;
  /**
   * Commits `content` as `path` on `branch` (the Contents API: a new file, or a replacement of the file there);
   * content equal to what is there commits nothing. Answers the branch's tip after it.
   */
  createOrUpdateFile(repo: RepoRef, file: { branch: string; path: string; content: string; message: string }): Promise<{ commit: string; changed: boolean }>;
}
