import { DOCS, HttpError, created, fields, noContent, notFound, ok, paginate, stringField, type ApiRequest } from './http.js';
import type { Router } from './router.js';
import { putContentsRoute } from './routes-contents.js';
import { authenticatedUserJson, branchSummaryJson, commitJson, refJson, repoJson, type Site } from './shapes.js';
import type { GitHubState, RepoContext } from './state.js';

const REFS_DOCS = `${DOCS}/git/refs`;
const COMPARE_DOCS = `${DOCS}/commits/commits#compare-two-commits`;

export const site = (state: GitHubState, req: ApiRequest): Site => ({ baseUrl: req.baseUrl, owner: state.world.owner });

/** The repository a request names, or GitHub's 404 (also for other owners: private repositories hide). */
export function repoOf(state: GitHubState, req: ApiRequest): RepoContext {
  const repo = state.repos.get(req.params['repo'] ?? '');
  if (!repo || req.params['owner']?.toLowerCase() !== state.world.owner.toLowerCase()) throw notFound();
  return repo;
}

/** `refs/heads/x`, `heads/x` or `x` → the full ref name. */
function fullRef(ref: string): string {
  const trimmed = ref.replace(/^\/+/, '');
  return trimmed.startsWith('refs/') ? trimmed : `refs/${trimmed}`;
}

async function branch(state: GitHubState, req: ApiRequest) {
  const repo = repoOf(state, req);
  const name = req.params['branch'] ?? '';
  const sha = await repo.git.refSha(`refs/heads/${name}`);
  const commit = sha ? await repo.git.commit(sha) : undefined;
  if (!commit) throw new HttpError(404, 'Branch not found', `${DOCS}/branches/branches#get-a-branch`);
  const url = `${req.baseUrl}/repos/${state.world.owner}/${repo.name}/branches/${name}`;
  return ok({
    name,
    commit: commitJson(site(state, req), repo, commit),
    _links: { self: url, html: `https://github.com/${state.world.owner}/${repo.name}/tree/${name}` },
    protected: name === 'main' || name === 'develop',
    protection_url: `${url}/protection`,
  });
}

async function createRef(state: GitHubState, req: ApiRequest) {
  const repo = repoOf(state, req);
  const body = fields(req);
  const ref = stringField(body, 'ref');
  const sha = stringField(body, 'sha');
  if (!ref || !sha) throw new HttpError(422, 'Invalid request.\n\n"ref", "sha" weren\'t supplied.', REFS_DOCS);
  if (!/^refs\/[^/]+\/.+/.test(ref)) throw new HttpError(422, `${ref} is not a valid ref name.`, REFS_DOCS);
  if (!(await repo.git.isCommit(sha))) throw new HttpError(422, 'Object does not exist', REFS_DOCS);
  if (!(await repo.git.updateRef(ref, sha, ''))) throw new HttpError(422, 'Reference already exists', REFS_DOCS);
  return created(refJson(site(state, req), repo, ref, sha));
}

async function updateRef(state: GitHubState, req: ApiRequest) {
  const repo = repoOf(state, req);
  const ref = fullRef(req.params['ref'] ?? '');
  const body = fields(req);
  const sha = stringField(body, 'sha');
  const current = await repo.git.refSha(ref);
  if (!current) throw new HttpError(422, 'Reference does not exist', REFS_DOCS);
  if (!sha || !(await repo.git.isCommit(sha))) throw new HttpError(422, 'Object does not exist', REFS_DOCS);
  const fastForward = (await repo.git.mergeBase(current, sha)) === current;
  if (!fastForward && body['force'] !== true) throw new HttpError(422, 'Update is not a fast forward', REFS_DOCS);
  if (!(await repo.git.updateRef(ref, sha, current))) throw new HttpError(422, 'Reference cannot be updated', REFS_DOCS);
  return ok(refJson(site(state, req), repo, ref, sha));
}

async function compare(state: GitHubState, req: ApiRequest) {
  const repo = repoOf(state, req);
  const [baseSpec = '', headSpec = ''] = (req.params['basehead'] ?? '').split(/\.{2,3}/);
  const strip = (spec: string) => spec.replace(/^[^:]+:/, '');
  const [base, head] = await Promise.all([repo.git.resolve(strip(baseSpec)), repo.git.resolve(strip(headSpec))]);
  if (!base || !head) throw new HttpError(404, 'Not Found', COMPARE_DOCS);
  const { ahead, behind } = await repo.git.aheadBehind(base, head);
  const mergeBase = (await repo.git.mergeBase(base, head)) ?? base;
  const [commits, files, baseCommit, mergeBaseCommit] = await Promise.all([
    repo.git.commitsBetween(base, head),
    repo.git.changedFiles(base, head),
    repo.git.commit(base),
    repo.git.commit(mergeBase),
  ]);
  const s = site(state, req);
  const status = ahead === 0 && behind === 0 ? 'identical' : behind === 0 ? 'ahead' : ahead === 0 ? 'behind' : 'diverged';
  const repoUrl = `${req.baseUrl}/repos/${state.world.owner}/${repo.name}`;
  return ok({
    url: `${repoUrl}/compare/${baseSpec}...${headSpec}`,
    html_url: `https://github.com/${state.world.owner}/${repo.name}/compare/${baseSpec}...${headSpec}`,
    base_commit: baseCommit && commitJson(s, repo, baseCommit),
    merge_base_commit: mergeBaseCommit && commitJson(s, repo, mergeBaseCommit),
    status,
    ahead_by: ahead,
    behind_by: behind,
    total_commits: ahead,
    commits: commits.map((c) => commitJson(s, repo, c)),
    files: files.slice(0, 300).map((f) => ({
      sha: f.sha,
      filename: f.filename,
      ...(f.previousFilename ? { previous_filename: f.previousFilename } : {}),
      status: f.status,
      additions: f.additions,
      deletions: f.deletions,
      changes: f.additions + f.deletions,
      blob_url: `https://github.com/${state.world.owner}/${repo.name}/blob/${head}/${f.filename}`,
      raw_url: `https://github.com/${state.world.owner}/${repo.name}/raw/${head}/${f.filename}`,
      contents_url: `${repoUrl}/contents/${f.filename}?ref=${head}`,
    })),
  });
}

async function contents(state: GitHubState, req: ApiRequest) {
  const repo = repoOf(state, req);
  const path = (req.params['path'] ?? '').replace(/^\/+|\/+$/g, '');
  const rev = req.query.get('ref') ?? repo.defaultBranch;
  const sha = await repo.git.resolve(rev);
  if (!sha) throw new HttpError(404, `No commit found for the ref ${rev}`, `${DOCS}/repos/contents#get-repository-content`);
  const type = await repo.git.objectType(sha, path);
  if (!type) throw new HttpError(404, 'Not Found', `${DOCS}/repos/contents#get-repository-content`);
  const repoUrl = `${req.baseUrl}/repos/${state.world.owner}/${repo.name}`;
  const entry = (name: string, entryPath: string, kind: string, blobSha: string, size: number) => ({
    type: kind === 'tree' ? 'dir' : 'file',
    name,
    path: entryPath,
    sha: blobSha,
    size,
    url: `${repoUrl}/contents/${entryPath}?ref=${rev}`,
    html_url: `https://github.com/${state.world.owner}/${repo.name}/blob/${rev}/${entryPath}`,
  });
  if (type === 'tree') {
    const entries = (await repo.git.listTree(sha, path)) ?? [];
    return ok(entries.map((e) => entry(e.name, path ? `${path}/${e.name}` : e.name, e.type, e.sha, e.size)));
  }
  const parent = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
  const name = path.slice(path.lastIndexOf('/') + 1);
  const listed = (await repo.git.listTree(sha, parent))?.find((e) => e.name === name);
  const content = (await repo.git.readBlob(sha, path)) ?? Buffer.alloc(0);
  return ok({
    ...entry(name, path, 'blob', listed?.sha ?? '', content.length),
    encoding: 'base64',
    content: (content.toString('base64').match(/.{1,60}/g) ?? []).join('\n'),
  });
}

export function addRepoRoutes(router: Router, state: GitHubState): void {
  const R = '/repos/:owner/:repo';
  router
    .add('GET', '/user', async (req) => ok(authenticatedUserJson(site(state, req), req.login)))
    .add('GET', R, async (req) => ok(repoJson(site(state, req), repoOf(state, req))))
    .add('GET', `${R}/branches`, async (req) => {
      const repo = repoOf(state, req);
      const all = [...(await repo.git.branches())].sort(([a], [b]) => a.localeCompare(b));
      const page = paginate(all.map(([name, sha]) => branchSummaryJson(site(state, req), repo, name, sha)), req);
      return ok(page.items, page.headers);
    })
    .add('GET', `${R}/branches/*branch`, (req) => branch(state, req))
    .add('GET', `${R}/git/ref/*ref`, async (req) => {
      const repo = repoOf(state, req);
      const ref = fullRef(req.params['ref'] ?? '');
      const sha = await repo.git.refSha(ref);
      if (!sha) throw new HttpError(404, 'Not Found', REFS_DOCS);
      return ok(refJson(site(state, req), repo, ref, sha));
    })
    .add('GET', `${R}/git/matching-refs/*ref`, async (req) => {
      const repo = repoOf(state, req);
      const prefix = fullRef(req.params['ref'] ?? '');
      const refs = (await repo.git.refs('refs/')).filter((r) => r.ref.startsWith(prefix));
      return ok(refs.map((r) => refJson(site(state, req), repo, r.ref, r.sha)));
    })
    .add('POST', `${R}/git/refs`, (req) => createRef(state, req))
    .add('PATCH', `${R}/git/refs/*ref`, (req) => updateRef(state, req))
    .add('DELETE', `${R}/git/refs/*ref`, async (req) => {
      const repo = repoOf(state, req);
      const ref = fullRef(req.params['ref'] ?? '');
      if (!(await repo.git.refSha(ref)) || !(await repo.git.deleteRef(ref))) {
        throw new HttpError(422, 'Reference does not exist', REFS_DOCS);
      }
      return noContent();
    })
    .add('GET', `${R}/compare/*basehead`, (req) => compare(state, req))
    .add('GET', `${R}/contents`, (req) => contents(state, req))
    .add('GET', `${R}/contents/*path`, (req) => contents(state, req))
    .add('PUT', `${R}/contents/*path`, putContentsRoute(state));
}
