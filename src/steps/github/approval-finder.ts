/**
 * Product's approval of a release, found among the release PR's reviews and comments. Pure, so its rules are tested
 * alone: staging counts a product approver's review approving the PR, or their `/approve staging` comment; production
 * counts only a product approver's `/approve production` comment made after the staging approval. Whatever looks like
 * an approval but does not count is said, never silently dropped.
 */
import type { EventData } from '../../core/journal/types.js';
import type { CommentInfo, ReviewInfo } from '../../ports.js';

export type ApprovalStage = 'staging' | 'production';

/** Who approved, when (as GitHub recorded it, ISO 8601) and where (the review's or comment's URL). */
export interface Approval {
  readonly by: string;
  readonly at: string;
  readonly where: string;
  readonly how: 'review' | 'comment';
}

export interface ApprovalLook {
  readonly stage: ApprovalStage;
  /** Product approvers' logins (GitHub logins compare without case). */
  readonly approvers: ReadonlySet<string>;
  readonly reviews: readonly ReviewInfo[];
  readonly comments: readonly CommentInfo[];
  /** Production: the staging approval; only comments after it count (never the comment that approved staging). */
  readonly after?: Pick<Approval, 'at' | 'where'>;
}

export interface ApprovalFindings {
  readonly approval?: Approval;
  /** One line for each thing that looked like an approval and does not count, and why. */
  readonly notes: readonly string[];
}

/** Whether `body` has `/approve <stage>` on a line of its own (any case, spaces around it allowed). */
export function hasApprovalCommand(body: string, stage: ApprovalStage): boolean {
  const line = new RegExp(`^[ \\t]*/approve[ \\t]+${stage}[ \\t]*$`, 'im');
  return line.test(body.replace(/\r\n?/g, '\n'));
}

const time = (iso: string) => Date.parse(iso);

/** Each approver's last review that decided something (approved, requested changes, dismissed). */
function lastDecisions(reviews: readonly ReviewInfo[]): ReviewInfo[] {
  const decisive = reviews.filter(
    (r) => r.submittedAt && ['APPROVED', 'CHANGES_REQUESTED', 'DISMISSED'].includes(r.state),
  );
  const last = new Map<string, ReviewInfo>();
  for (const review of [...decisive].sort((a, b) => time(a.submittedAt ?? '') - time(b.submittedAt ?? ''))) {
    last.set(review.user.toLowerCase(), review);
  }
  return [...last.values()];
}

function fromReviews(look: ApprovalLook, isApprover: (login: string) => boolean) {
  const found: Approval[] = [];
  const notes: string[] = [];
  for (const review of lastDecisions(look.reviews)) {
    if (!isApprover(review.user)) {
      if (review.state === 'APPROVED')
        notes.push(`review approving by ${review.user}, not a product approver (${review.url})`);
    } else if (review.state === 'APPROVED') {
      found.push({ by: review.user, at: review.submittedAt ?? '', where: review.url, how: 'review' });
    } else if (review.state === 'CHANGES_REQUESTED') {
      notes.push(`${review.user} requested changes (${review.url})`);
    }
  }
  return { found, notes };
}

function fromComments(look: ApprovalLook, isApprover: (login: string) => boolean) {
  const found: Approval[] = [];
  const notes: string[] = [];
  for (const comment of look.comments.filter((c) => hasApprovalCommand(c.body, look.stage))) {
    const early =
      look.after && (comment.url === look.after.where || time(comment.createdAt) < time(look.after.at));
    if (!isApprover(comment.user)) {
      notes.push(`comment by ${comment.user}, not a product approver (${comment.url})`);
    } else if (early) {
      notes.push(
        `comment by ${comment.user} at ${comment.createdAt}, not after the staging approval (${comment.url})`,
      );
    } else {
      found.push({ by: comment.user, at: comment.createdAt, where: comment.url, how: 'comment' });
    }
  }
  return { found, notes };
}

/** The earliest approval that counts for the stage, and notes on what does not. */
export function findApproval(look: ApprovalLook): ApprovalFindings {
  const approvers = new Set([...look.approvers].map((login) => login.toLowerCase()));
  const isApprover = (login: string) => approvers.has(login.toLowerCase());
  const reviews = look.stage === 'staging' ? fromReviews(look, isApprover) : { found: [], notes: [] };
  const comments = fromComments(look, isApprover);
  const [approval] = [...reviews.found, ...comments.found].sort((a, b) => time(a.at) - time(b.at));
  return { ...(approval ? { approval } : {}), notes: [...reviews.notes, ...comments.notes] };
}

/** The approval a step recorded when LendOS found it (`approval: {by, at, where, how}`), else undefined. */
export function recordedApproval(evidence: EventData): Approval | undefined {
  const value = evidence['approval'];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const { by, at, where, how } = value;
  if (typeof by !== 'string' || typeof at !== 'string' || typeof where !== 'string') return undefined;
  return { by, at, where, how: how === 'review' ? 'review' : 'comment' };
}

/** The note of an approval marked done by hand ("Luis, REL-123"), else undefined. */
export function approvalNote(evidence: EventData): string | undefined {
  const note = evidence['note'];
  return typeof note === 'string' && note.trim() !== '' ? note.trim() : undefined;
}

/** `luis-product on 2025-11-10 14:02 UTC (review: https://…)`, for summaries and messages. */
export function describeApproval(approval: Approval): string {
  const at = approval.at.replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, ' UTC');
  return `${approval.by} on ${at} (${approval.how}: ${approval.where})`;
}
