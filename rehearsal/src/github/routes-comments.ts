/**
 * Issue comments (`/repos/{owner}/{repo}/issues/{number}/comments`): a pull request is an issue too, so its
 * conversation's comments live here, as on GitHub. Oldest first, paginated, `since` honoured; 404 for a number that is
 * neither an issue nor a pull request of the repository. A comment's author may edit it (PATCH).
 */
import {
  DOCS,
  HttpError,
  created,
  fields,
  notFound,
  ok,
  paginate,
  stringField,
  type ApiRequest,
} from './http.js';
import type { Router } from './router.js';
import { repoOf, site } from './routes-repos.js';
import { dateOrNull, userJson, type Site } from './shapes.js';
import type { CommentRecord, GitHubState, PullRecord, RepoContext } from './state.js';

const COMMENTS_DOCS = `${DOCS}/issues/comments`;
const REACTIONS = {
  total_count: 0,
  '+1': 0,
  '-1': 0,
  laugh: 0,
  hooray: 0,
  confused: 0,
  heart: 0,
  rocket: 0,
  eyes: 0,
};

interface Thread {
  readonly repo: RepoContext;
  readonly number: number;
  /** Set when the number is a pull request's (its `comments` count follows). */
  readonly pull?: PullRecord;
}

function threadOf(state: GitHubState, req: ApiRequest, docs: string): Thread {
  const repo = repoOf(state, req);
  const number = Number(req.params['number']);
  const pull = state.pulls.find((p) => p.repo === repo.name && p.number === number);
  if (pull) return { repo, number, pull };
  if (state.issues.some((i) => i.repo === repo.name && i.number === number)) return { repo, number };
  throw notFound(docs);
}

function commentJson(state: GitHubState, s: Site, repo: RepoContext, comment: CommentRecord) {
  const api = `${s.baseUrl}/repos/${s.owner}/${repo.name}`;
  const isPull = state.pulls.some((p) => p.repo === repo.name && p.number === comment.issue);
  const page = `https://github.com/${s.owner}/${repo.name}/${isPull ? 'pull' : 'issues'}/${comment.issue}`;
  const url = `${api}/issues/comments/${comment.id}`;
  return {
    url,
    html_url: `${page}#issuecomment-${comment.id}`,
    issue_url: `${api}/issues/${comment.issue}`,
    id: comment.id,
    node_id: Buffer.from(`012:IssueComment${comment.id}`).toString('base64'),
    user: userJson(s, comment.user),
    created_at: dateOrNull(comment.createdAt),
    updated_at: dateOrNull(comment.updatedAt),
    author_association: 'MEMBER',
    body: comment.body,
    reactions: { url: `${url}/reactions`, ...REACTIONS },
    performed_via_github_app: null,
  };
}

/** Adds a comment as `user` (the API's caller, or the world's own people acting in a scenario). */
export function addComment(state: GitHubState, thread: Thread, user: string, body: string): CommentRecord {
  const now = state.now();
  const comment: CommentRecord = {
    repo: thread.repo.name,
    issue: thread.number,
    id: state.nextId(),
    user,
    body,
    createdAt: now,
    updatedAt: now,
  };
  state.comments.push(comment);
  if (thread.pull) thread.pull.commentCount = (thread.pull.commentCount ?? 0) + 1;
  return comment;
}

function listComments(state: GitHubState, req: ApiRequest) {
  const thread = threadOf(state, req, `${COMMENTS_DOCS}#list-issue-comments`);
  const since = req.query.get('since');
  const from = since ? Date.parse(since) : undefined;
  if (from !== undefined && Number.isNaN(from)) {
    throw new HttpError(422, 'Validation Failed', COMMENTS_DOCS, [
      { resource: 'IssueComment', field: 'since', code: 'invalid' },
    ]);
  }
  const comments = state.comments
    .filter((c) => c.repo === thread.repo.name && c.issue === thread.number)
    .filter((c) => from === undefined || c.updatedAt.getTime() >= from)
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id - b.id);
  const page = paginate(comments, req);
  return ok(
    page.items.map((c) => commentJson(state, site(state, req), thread.repo, c)),
    page.headers,
  );
}

/** A comment's body as GitHub takes it: given, and not blank (422 otherwise). */
function bodyOf(req: ApiRequest): string {
  const body = stringField(fields(req), 'body');
  if (body === undefined)
    throw new HttpError(422, 'Invalid request.\n\n"body" wasn\'t supplied.', COMMENTS_DOCS);
  if (body.trim() === '') {
    throw new HttpError(422, 'Validation Failed', COMMENTS_DOCS, [
      { resource: 'IssueComment', code: 'unprocessable', field: 'data', message: 'Body cannot be blank' },
    ]);
  }
  return body;
}

/** PATCH a comment: its author may replace its body (others get 403, as without the rights to edit it). */
function updateComment(state: GitHubState, req: ApiRequest) {
  const repo = repoOf(state, req);
  const comment = state.comments.find((c) => c.repo === repo.name && c.id === Number(req.params['id']));
  if (!comment) throw notFound(`${COMMENTS_DOCS}#update-an-issue-comment`);
  const body = bodyOf(req);
  if (comment.user !== req.login) throw new HttpError(403, 'You do not have permission to update this comment.', `${COMMENTS_DOCS}#update-an-issue-comment`);
  comment.body = body;
  comment.updatedAt = state.now();
  return ok(commentJson(state, site(state, req), repo, comment));
}

function createComment(state: GitHubState, req: ApiRequest) {
  const thread = threadOf(state, req, `${COMMENTS_DOCS}#create-an-issue-comment`);
  const body = bodyOf(req);
  const comment = addComment(state, thread, req.login, body);
  const json = commentJson(state, site(state, req), thread.repo, comment);
  return { ...created(json), headers: { location: json.url } };
}

export function addCommentRoutes(router: Router, state: GitHubState): void {
  const R = '/repos/:owner/:repo/issues';
  router
    .add('GET', `${R}/:number/comments`, async (req) => listComments(state, req))
    .add('POST', `${R}/:number/comments`, async (req) => createComment(state, req))
    .add('PATCH', `${R}/comments/:id`, async (req) => updateComment(state, req))
    .add('GET', `${R}/comments/:id`, async (req) => {
      const repo = repoOf(state, req);
      const comment = state.comments.find((c) => c.repo === repo.name && c.id === Number(req.params['id']));
      if (!comment) throw notFound(`${COMMENTS_DOCS}#get-an-issue-comment`);
      return ok(commentJson(state, site(state, req), repo, comment));
    });
}
