import { DOCS, HttpError, created, fields, noContent, notFound, ok, paginate, stringField, validationFailed, type ApiRequest } from './http.js';
import { mergePull, type MergeMethod } from './merge.js';
import { pullJson, pullShas, pullSummaryJson } from './pull-shapes.js';
import { commitJson } from './shapes.js';
import type { Router } from './router.js';
import { repoOf, site } from './routes-repos.js';
import type { GitHubState, PullRecord, RepoContext } from './state.js';

const CREATE_DOCS = `${DOCS}/pulls/pulls#create-a-pull-request`;
const UPDATE_DOCS = `${DOCS}/pulls/pulls#update-a-pull-request`;
const MERGE_METHODS: readonly MergeMethod[] = ['merge', 'squash', 'rebase'];

/** Called after a pull request was created or merged, for the simulated automation (reviews, Actions). */
export interface PullHooks {
  created(repo: RepoContext, pr: PullRecord): void;
  merged(repo: RepoContext, pr: PullRecord, sha: string): Promise<void>;
}

export function pullOf(state: GitHubState, req: ApiRequest): { repo: RepoContext; pr: PullRecord } {
  const repo = repoOf(state, req);
  const number = Number(req.params['number']);
  const pr = state.pulls.find((p) => p.repo === repo.name && p.number === number);
  if (!pr) throw notFound(`${DOCS}/pulls/pulls#get-a-pull-request`);
  return { repo, pr };
}

/** `owner:branch` or `branch` → the branch; a fork's owner is not supported here. */
function branchOf(state: GitHubState, spec: string): string | undefined {
  const colon = spec.indexOf(':');
  if (colon < 0) return spec;
  return spec.slice(0, colon).toLowerCase() === state.world.owner.toLowerCase() ? spec.slice(colon + 1) : undefined;
}

async function validateNewPull(state: GitHubState, repo: RepoContext, head: string, base: string) {
  const missing = ['head', 'base'].filter((f) => !(f === 'head' ? head : base));
  if (missing.length > 0) {
    throw validationFailed(missing.map((field) => ({ resource: 'PullRequest', code: 'missing_field', field })), CREATE_DOCS);
  }
  const headBranch = branchOf(state, head);
  const baseSha = await repo.git.refSha(`refs/heads/${base}`);
  const headSha = headBranch ? await repo.git.refSha(`refs/heads/${headBranch}`) : undefined;
  if (!baseSha) throw validationFailed([{ resource: 'PullRequest', field: 'base', code: 'invalid' }], CREATE_DOCS);
  if (!headBranch || !headSha) throw validationFailed([{ resource: 'PullRequest', field: 'head', code: 'invalid' }], CREATE_DOCS);
  const existing = state.pulls.find((p) => p.repo === repo.name && p.state === 'open' && p.head === headBranch && p.base === base);
  if (existing) {
    const message = `A pull request already exists for ${state.world.owner}:${headBranch}.`;
    throw validationFailed([{ resource: 'PullRequest', code: 'custom', message }], CREATE_DOCS);
  }
  if ((await repo.git.aheadBehind(baseSha, headSha)).ahead === 0) {
    const message = `No commits between ${base} and ${headBranch}`;
    throw validationFailed([{ resource: 'PullRequest', code: 'custom', message }], CREATE_DOCS);
  }
  return headBranch;
}

async function createPull(state: GitHubState, hooks: PullHooks, req: ApiRequest) {
  const repo = repoOf(state, req);
  const body = fields(req);
  const title = stringField(body, 'title');
  const head = await validateNewPull(state, repo, stringField(body, 'head') ?? '', stringField(body, 'base') ?? '');
  if (!title) throw validationFailed([{ resource: 'PullRequest', code: 'missing_field', field: 'title' }], CREATE_DOCS);
  const now = state.now();
  const pr: PullRecord = {
    repo: repo.name,
    number: state.nextNumber(repo.name),
    id: state.nextId(),
    title,
    body: stringField(body, 'body') ?? null,
    state: 'open',
    draft: body['draft'] === true,
    head,
    base: stringField(body, 'base') ?? '',
    user: req.login,
    createdAt: now,
    updatedAt: now,
  };
  state.pulls.push(pr);
  hooks.created(repo, pr);
  const json = await pullJson(site(state, req), repo, pr);
  return { ...created(json), headers: { location: json.url } };
}

async function listPulls(state: GitHubState, req: ApiRequest) {
  const repo = repoOf(state, req);
  const wanted = req.query.get('state') ?? 'open';
  const head = req.query.get('head');
  const base = req.query.get('base');
  const headBranch = head ? branchOf(state, head) : undefined;
  const matches = state.pulls
    .filter((p) => p.repo === repo.name && (wanted === 'all' || p.state === wanted))
    .filter((p) => (head ? p.head === headBranch : true) && (base ? p.base === base : true))
    .sort((a, b) => (req.query.get('direction') === 'asc' ? a.number - b.number : b.number - a.number));
  const page = paginate(matches, req);
  return ok(await Promise.all(page.items.map((p) => pullSummaryJson(site(state, req), repo, p))), page.headers);
}

async function updatePull(state: GitHubState, req: ApiRequest) {
  const { repo, pr } = pullOf(state, req);
  const body = fields(req);
  const title = stringField(body, 'title');
  const newState = stringField(body, 'state');
  const base = stringField(body, 'base');
  if (newState !== undefined && newState !== 'open' && newState !== 'closed') {
    throw validationFailed([{ resource: 'PullRequest', field: 'state', code: 'invalid' }], UPDATE_DOCS);
  }
  if (base !== undefined && !(await repo.git.refSha(`refs/heads/${base}`))) {
    throw validationFailed([{ resource: 'PullRequest', field: 'base', code: 'invalid' }], UPDATE_DOCS);
  }
  if (pr.mergedAt && newState === 'open') throw new HttpError(422, 'Cannot reopen a merged pull request', UPDATE_DOCS);
  const now = state.now();
  if (title !== undefined) pr.title = title;
  if ('body' in body) pr.body = stringField(body, 'body') ?? null;
  if (base !== undefined) pr.base = base;
  if (newState === 'closed' && pr.state === 'open') {
    Object.assign(pr, { state: 'closed', closedAt: now, closedHeadSha: undefined, closedBaseSha: undefined });
  } else if (newState === 'open' && pr.state === 'closed') {
    Object.assign(pr, { state: 'open', closedAt: undefined });
  }
  pr.updatedAt = now;
  return ok(await pullJson(site(state, req), repo, pr));
}

async function merge(state: GitHubState, hooks: PullHooks, req: ApiRequest) {
  const { repo, pr } = pullOf(state, req);
  const body = fields(req);
  const method = (stringField(body, 'merge_method') ?? 'merge') as MergeMethod;
  if (!MERGE_METHODS.includes(method)) {
    throw validationFailed([{ resource: 'PullRequest', field: 'merge_method', code: 'invalid' }], `${DOCS}/pulls/pulls#merge-a-pull-request`);
  }
  const sha = await mergePull(state, repo, pr, {
    method,
    commitTitle: stringField(body, 'commit_title'),
    commitMessage: stringField(body, 'commit_message'),
    sha: stringField(body, 'sha'),
  }, req.login);
  await hooks.merged(repo, pr, sha);
  return ok({ sha, merged: true, message: 'Pull Request successfully merged' });
}

export function addPullRoutes(router: Router, state: GitHubState, hooks: PullHooks): void {
  const P = '/repos/:owner/:repo/pulls';
  router
    .add('GET', P, (req) => listPulls(state, req))
    .add('POST', P, (req) => createPull(state, hooks, req))
    .add('GET', `${P}/:number`, async (req) => {
      const { repo, pr } = pullOf(state, req);
      return ok(await pullJson(site(state, req), repo, pr));
    })
    .add('PATCH', `${P}/:number`, (req) => updatePull(state, req))
    .add('GET', `${P}/:number/merge`, async (req) => {
      const { pr } = pullOf(state, req);
      if (!pr.mergedAt) throw notFound(`${DOCS}/pulls/pulls#check-if-a-pull-request-has-been-merged`);
      return noContent();
    })
    .add('PUT', `${P}/:number/merge`, (req) => merge(state, hooks, req))
    .add('GET', `${P}/:number/commits`, async (req) => {
      const { repo, pr } = pullOf(state, req);
      const shas = await pullShas(repo, pr);
      const commits = shas.head && shas.base ? await repo.git.commitsBetween(shas.base, shas.head) : [];
      const page = paginate(commits.map((c) => commitJson(site(state, req), repo, c)), req);
      return ok(page.items, page.headers);
    });
}
