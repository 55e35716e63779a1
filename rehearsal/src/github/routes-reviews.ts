import { PEOPLE } from '../git/identities.js';
import { DOCS, HttpError, created, fields, notFound, ok, paginate, stringField, type ApiRequest } from './http.js';
import { pullShas } from './pull-shapes.js';
import type { Router } from './router.js';
import { pullOf } from './routes-pulls.js';
import { site } from './routes-repos.js';
import { dateOrNull, userJson, type Site } from './shapes.js';
import type { GitHubState, PullRecord, RepoContext, ReviewRecord, ReviewState } from './state.js';

const REVIEW_DOCS = `${DOCS}/pulls/reviews#create-a-review-for-a-pull-request`;
/** World time between a release PR's creation and the product approver's review. */
export const PRODUCT_APPROVAL_DELAY_MS = 45_000;

const EVENTS: Record<string, ReviewState> = { APPROVE: 'APPROVED', REQUEST_CHANGES: 'CHANGES_REQUESTED', COMMENT: 'COMMENTED' };

function reviewJson(s: Site, repo: RepoContext, review: ReviewRecord) {
  const html = `https://github.com/${s.owner}/${repo.name}/pull/${review.pull}#pullrequestreview-${review.id}`;
  return {
    id: review.id,
    node_id: Buffer.from(`017:PullRequestReview${review.id}`).toString('base64'),
    user: userJson(s, review.user),
    body: review.body,
    state: review.state,
    html_url: html,
    pull_request_url: `${s.baseUrl}/repos/${s.owner}/${repo.name}/pulls/${review.pull}`,
    author_association: 'MEMBER',
    _links: { html: { href: html }, pull_request: { href: `${s.baseUrl}/repos/${s.owner}/${repo.name}/pulls/${review.pull}` } },
    submitted_at: dateOrNull(review.submittedAt),
    commit_id: review.commitId,
  };
}

async function createReview(state: GitHubState, req: ApiRequest) {
  const { repo, pr } = pullOf(state, req);
  const body = fields(req);
  const event = stringField(body, 'event');
  const text = stringField(body, 'body') ?? '';
  if (event !== undefined && !(event in EVENTS)) {
    throw new HttpError(422, 'Unprocessable Entity', REVIEW_DOCS, [`Event "${event}" is not valid`]);
  }
  const reviewState = event ? (EVENTS[event] as ReviewState) : 'PENDING';
  if (pr.user === req.login && (reviewState === 'APPROVED' || reviewState === 'CHANGES_REQUESTED')) {
    const what = reviewState === 'APPROVED' ? 'approve' : 'request changes on';
    throw new HttpError(422, 'Unprocessable Entity', REVIEW_DOCS, [`Review Can not ${what} your own pull request`]);
  }
  if ((reviewState === 'CHANGES_REQUESTED' || reviewState === 'COMMENTED') && text.trim() === '') {
    throw new HttpError(422, 'Unprocessable Entity', REVIEW_DOCS, [`Review body is required for ${event}`]);
  }
  const review = addReview(state, pr, req.login, reviewState, text, (await pullShas(repo, pr)).head);
  return created(reviewJson(site(state, req), repo, review));
}

export function addReview(state: GitHubState, pr: PullRecord, user: string, reviewState: ReviewState, body: string, commitId: string) {
  const review: ReviewRecord = {
    repo: pr.repo,
    pull: pr.number,
    id: state.nextId(),
    user,
    body,
    state: reviewState,
    commitId,
    ...(reviewState === 'PENDING' ? {} : { submittedAt: state.now() }),
  };
  state.reviews.push(review);
  return review;
}

const isReleasePull = (repo: RepoContext, pr: PullRecord) =>
  repo.name === 'lendos' && pr.base === 'main' && /^release\/\d{4}\.\d+\.\d+$/.test(pr.head);

/** Product approves a release PR a little after it opens, unless the scenario withholds the approval. */
export function scheduleProductApproval(state: GitHubState, repo: RepoContext, pr: PullRecord): void {
  if (!isReleasePull(repo, pr) || state.world.scenario.faults.some((f) => f.kind === 'pr-without-approval')) return;
  state.track(
    (async () => {
      await state.world.clock.sleep(PRODUCT_APPROVAL_DELAY_MS);
      if (state.closed || pr.state !== 'open') return;
      const version = pr.head.replace('release/', '');
      const head = (await pullShas(repo, pr)).head;
      addReview(state, pr, PEOPLE.luis.login, 'APPROVED', `Scope of ${version} reviewed with product. Approved for release.`, head);
    })(),
  );
}

export function addReviewRoutes(router: Router, state: GitHubState): void {
  const R = '/repos/:owner/:repo/pulls/:number/reviews';
  router
    .add('GET', R, async (req) => {
      const { repo, pr } = pullOf(state, req);
      const reviews = state.reviews.filter((r) => r.repo === repo.name && r.pull === pr.number);
      const page = paginate(reviews.map((r) => reviewJson(site(state, req), repo, r)), req);
      return ok(page.items, page.headers);
    })
    .add('POST', R, (req) => createReview(state, req))
    .add('GET', `${R}/:id`, async (req) => {
      const { repo, pr } = pullOf(state, req);
      const review = state.reviews.find((r) => r.repo === repo.name && r.pull === pr.number && r.id === Number(req.params['id']));
      if (!review) throw notFound(`${DOCS}/pulls/reviews#get-a-review-for-a-pull-request`);
      return ok(reviewJson(site(state, req), repo, review));
    });
}
