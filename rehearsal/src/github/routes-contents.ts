/**
 * `PUT /repos/{owner}/{repo}/contents/{path}`: a file created or replaced on a branch as a real commit in the bare
 * repository (blob, tree through a throwaway index, commit, ref moved only if nobody pushed meanwhile).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gitResult, type GitIdentity } from '../git/git.js';
import { personByLogin } from '../git/identities.js';
import {
  DOCS,
  HttpError,
  fields,
  isoSeconds,
  notFound,
  stringField,
  type ApiRequest,
  type ApiResponse,
} from './http.js';
import { repoOf, site } from './routes-repos.js';
import { commitJson } from './shapes.js';
import type { GitHubState, RepoContext } from './state.js';

const PUT_DOCS = `${DOCS}/repos/contents#create-or-update-file-contents`;

async function git(
  repo: RepoContext,
  args: string[],
  env: Record<string, string> = {},
  identity?: GitIdentity,
): Promise<string> {
  const result = await gitResult(args, {
    cwd: repo.git.gitDir,
    env,
    ...(identity ? { author: identity, committer: identity } : {}),
  });
  if (result.exitCode !== 0) throw new Error(`git ${args.join(' ')} failed: ${result.stderr.trim()}`);
  return result.stdout.trim();
}

/** Writes `content` as a blob and a new tree: `base`'s tree with `file` set to it. */
async function treeWith(
  repo: RepoContext,
  base: string,
  file: string,
  content: Buffer,
): Promise<{ tree: string; blob: string }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'rehearsal-contents-'));
  try {
    const blobFile = path.join(dir, 'blob');
    await writeFile(blobFile, content);
    const blob = await git(repo, ['hash-object', '-w', '--no-filters', blobFile]);
    const index = { GIT_INDEX_FILE: path.join(dir, 'index') };
    await git(repo, ['read-tree', base], index);
    await git(repo, ['update-index', '--add', '--cacheinfo', `100644,${blob},${file}`], index);
    return { tree: await git(repo, ['write-tree'], index), blob };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function identityOf(login: string, date: Date): GitIdentity {
  const person = personByLogin(login);
  const when = isoSeconds(date);
  return person
    ? { name: person.name, email: person.email, date: when }
    : { name: login, email: `${login}@users.noreply.github.com`, date: when };
}

/** The blob SHA of `file` at `rev`, or undefined when there is no such file. */
async function blobAt(repo: RepoContext, rev: string, file: string): Promise<string | undefined> {
  const parent = file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '';
  const name = file.slice(file.lastIndexOf('/') + 1);
  return (await repo.git.listTree(rev, parent))?.find((e) => e.name === name && e.type === 'blob')?.sha;
}

interface PutRequest {
  readonly file: string;
  readonly message: string;
  readonly content: Buffer;
  readonly branch: string;
  readonly sha?: string;
}

function putRequest(repo: RepoContext, req: ApiRequest): PutRequest {
  const body = fields(req);
  const file = (req.params['path'] ?? '').replace(/^\/+|\/+$/g, '');
  const message = stringField(body, 'message');
  const content = stringField(body, 'content');
  const missing = [!message && '"message"', content === undefined && '"content"'].filter(Boolean);
  if (missing.length > 0)
    throw new HttpError(422, `Invalid request.\n\n${missing.join(', ')} wasn't supplied.`, PUT_DOCS);
  if (!file || file.split('/').some((part) => part === '' || part === '.' || part === '..'))
    throw new HttpError(422, 'path is invalid', PUT_DOCS);
  const sha = stringField(body, 'sha');
  return {
    file,
    message: message as string,
    content: Buffer.from(content as string, 'base64'),
    branch: stringField(body, 'branch') ?? repo.defaultBranch,
    ...(sha ? { sha } : {}),
  };
}

async function putContents(state: GitHubState, req: ApiRequest): Promise<ApiResponse> {
  const repo = repoOf(state, req);
  const put = putRequest(repo, req);
  const tip = await repo.git.refSha(`refs/heads/${put.branch}`);
  if (!tip) throw new HttpError(404, `Branch ${put.branch} not found`, PUT_DOCS);
  const existing = await blobAt(repo, tip, put.file);
  if (existing && !put.sha) throw new HttpError(422, 'Invalid request.\n\n"sha" wasn\'t supplied.', PUT_DOCS);
  if (existing && put.sha !== existing)
    throw new HttpError(409, `${put.file} does not match ${put.sha}`, PUT_DOCS);
  const { tree, blob } = await treeWith(repo, tip, put.file, put.content);
  const who = identityOf(req.login, state.now());
  const commit = await repo.git.commitTree(tree, [tip], put.message, who, who);
  if (!(await repo.git.updateRef(`refs/heads/${put.branch}`, commit, tip))) {
    throw new HttpError(409, `${put.branch} is at another commit than ${tip}: try again`, PUT_DOCS);
  }
  const info = await repo.git.commit(commit);
  if (!info) throw notFound(PUT_DOCS);
  const s = site(state, req);
  const name = put.file.slice(put.file.lastIndexOf('/') + 1);
  const repoUrl = `${req.baseUrl}/repos/${state.world.owner}/${repo.name}`;
  const content = {
    type: 'file',
    name,
    path: put.file,
    sha: blob,
    size: put.content.length,
    url: `${repoUrl}/contents/${put.file}?ref=${put.branch}`,
    html_url: `https://github.com/${state.world.owner}/${repo.name}/blob/${put.branch}/${put.file}`,
  };
  return { status: existing ? 200 : 201, body: { content, commit: commitJson(s, repo, info) } };
}

export const putContentsRoute = (state: GitHubState) => (req: ApiRequest) => putContents(state, req);
