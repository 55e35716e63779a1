import type { EcrRegistry, Scenario, WorldClock } from '../contracts.js';
import type { RepoGit } from './repo-git.js';

export interface RepoContext {
  name: string;
  id: number;
  description: string;
  defaultBranch: string;
  git: RepoGit;
}

export interface PullRecord {
  repo: string;
  number: number;
  id: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  draft: boolean;
  head: string;
  base: string;
  user: string;
  createdAt: Date;
  updatedAt: Date;
  closedAt?: Date;
  mergedAt?: Date;
  mergedBy?: string;
  mergeCommitSha?: string;
  /** Head and base SHAs frozen when the pull request closed. */
  closedHeadSha?: string;
  closedBaseSha?: string;
  /** Issue comments on it (its `comments` count). */
  commentCount?: number;
}

export type ReviewState = 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'PENDING' | 'DISMISSED';

export interface ReviewRecord {
  repo: string;
  pull: number;
  id: number;
  user: string;
  body: string;
  state: ReviewState;
  commitId: string;
  submittedAt?: Date;
}

/** A comment on an issue or a pull request (GitHub's issue comments; PRs are issues too). */
export interface CommentRecord {
  repo: string;
  /** The issue's or pull request's number. */
  issue: number;
  id: number;
  user: string;
  body: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface MilestoneRecord {
  repo: string;
  number: number;
  id: number;
  title: string;
  description: string;
  state: 'open' | 'closed';
  createdAt: Date;
  updatedAt: Date;
  closedAt?: Date;
  dueOn?: Date;
}

export interface IssueRecord {
  repo: string;
  number: number;
  id: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  labels: string[];
  milestone?: number;
  user: string;
  assignee?: string;
  createdAt: Date;
  updatedAt: Date;
  closedAt?: Date;
}

export interface RunRecord {
  repo: string;
  id: number;
  runNumber: number;
  name: string;
  path: string;
  workflowId: number;
  event: 'push' | 'pull_request';
  branch: string;
  headSha: string;
  headMessage: string;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion: 'success' | 'failure' | null;
  actor: string;
  createdAt: Date;
  updatedAt: Date;
  startedAt: Date;
}

export interface WorldContext {
  clock: WorldClock;
  scenario: Scenario;
  ecr: EcrRegistry;
  owner: string;
  /** Login the token authenticates as. */
  login: string;
}

/** Everything the GitHub server remembers besides git itself (which lives in the bare repositories). */
export class GitHubState {
  readonly pulls: PullRecord[] = [];
  readonly reviews: ReviewRecord[] = [];
  readonly milestones: MilestoneRecord[] = [];
  readonly issues: IssueRecord[] = [];
  readonly runs: RunRecord[] = [];
  readonly comments: CommentRecord[] = [];
  private numbers = new Map<string, number>();
  private id = 2_418_000_000;
  /** Pending timers (approvals, builds) that `close()` must not leave behind. */
  readonly pending = new Set<Promise<unknown>>();
  closed = false;

  constructor(
    readonly world: WorldContext,
    readonly repos: Map<string, RepoContext>,
  ) {}

  /** Issues and pull requests share one number sequence per repository, as on GitHub. */
  nextNumber(repo: string): number {
    const used = [...this.pulls, ...this.issues].filter((r) => r.repo === repo).map((r) => r.number);
    const next = Math.max(this.numbers.get(repo) ?? 0, ...used) + 1;
    this.numbers.set(repo, next);
    return next;
  }

  nextId(): number {
    this.id += 1 + Math.floor(this.world.clock.random() * 97);
    return this.id;
  }

  now(): Date {
    return this.world.clock.now();
  }

  /** Runs work in the background, remembered so close() can wait for it and it never outlives the server. */
  track(work: Promise<unknown>): void {
    const guarded = work.catch(() => undefined).finally(() => this.pending.delete(guarded));
    this.pending.add(guarded);
  }
}
