import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EcrRegistry, RunningServer, Scenario, WorldClock } from '../contracts.js';
import { PEOPLE } from '../git/identities.js';
import { DOCS, HttpError, readJsonBody, type ApiRequest, type ApiResponse } from './http.js';
import { seedRuns, startMainBuild } from './main-build.js';
import { RepoGit } from './repo-git.js';
import { Router } from './router.js';
import { addActionsRoutes } from './routes-actions.js';
import { addCommentRoutes } from './routes-comments.js';
import { developMovesOn } from './gitflow-conflict.js';
import { addIssueRoutes } from './routes-issues.js';
import { addPullRoutes, type PullHooks } from './routes-pulls.js';
import { addRepoRoutes } from './routes-repos.js';
import { addReviewRoutes, scheduleProductApproval } from './routes-reviews.js';
import { seedIssues } from './seed-issues.js';
import { GitHubState, type RepoContext } from './state.js';
import { scheduleValuesMerge } from './workloads-merge.js';

export interface GitHubServerOptions {
  clock: WorldClock;
  scenario: Scenario;
  /** The one token the server accepts (`Authorization: token …` or `Bearer …`). */
  token: string;
  owner: string;
  remotes: { lendos: string; workloads: string };
  ecr: EcrRegistry;
  port?: number;
  /** Login the token belongs to; defaults to the rehearsal engineer. */
  login?: string;
  /** Other people's own tokens (token → login), e.g. the product approver's: each request acts as its token's login. */
  tokens?: Readonly<Record<string, string>>;
}

export interface RunningGitHubServer extends RunningServer {
  /** Login of the token's user (the author of pull requests created through the API). */
  readonly login: string;
  /** Resolves once the simulated work in flight (product approvals, main builds) has finished. */
  settled(): Promise<void>;
}

function repositories(remotes: GitHubServerOptions['remotes']): Map<string, RepoContext> {
  const lendos: RepoContext = {
    name: 'lendos',
    id: 702_341_118,
    description: 'LendOS lending platform: DAML model, portals and upgrade tooling',
    defaultBranch: 'develop',
    git: new RepoGit(remotes.lendos),
  };
  const workloads: RepoContext = {
    name: 'lendos-eks-workloads',
    id: 702_341_562,
    description: 'Argo CD workloads, values-tags and the daml-upgrade chart of the LendOS EKS clusters',
    defaultBranch: 'main',
    git: new RepoGit(remotes.workloads),
  };
  return new Map([lendos, workloads].map((r) => [r.name, r]));
}

function hooksFor(state: GitHubState): PullHooks {
  return {
    created: (repo, pr) => {
      scheduleProductApproval(state, repo, pr);
      scheduleValuesMerge(state, repo, pr);
    },
    merged: async (repo, pr, sha) => {
      if (repo.name !== 'lendos' || pr.base !== 'main') return;
      const commit = await repo.git.commit(sha);
      if (commit) startMainBuild(state, commit, pr.mergedBy ?? pr.user);
      await developMovesOn(state, repo, pr);
    },
  };
}

/** Every `every`-th request fails with the status of the scenario's `api-errors` fault for GitHub. */
function injectedError(state: GitHubState, count: number): HttpError | undefined {
  const fault = state.world.scenario.faults.find((f) => f.kind === 'api-errors' && f.service === 'github');
  if (!fault || fault.kind !== 'api-errors' || fault.every <= 0 || count % fault.every !== 0) return undefined;
  if (fault.status === 429) {
    return new HttpError(429, 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.', DOCS, undefined, { 'retry-after': '1' });
  }
  return new HttpError(fault.status, fault.status === 503 ? 'Service Unavailable' : 'Server Error');
}

/** The login of the request's token: the engineer's, or another person's own token. */
function authenticate(req: IncomingMessage, logins: ReadonlyMap<string, string>): string {
  const header = req.headers.authorization;
  if (!header) throw new HttpError(401, 'Requires authentication', `${DOCS}/overview/authenticating-to-the-rest-api`);
  const match = /^(?:token|bearer)\s+(\S+)$/i.exec(header.trim());
  const login = match?.[1] ? logins.get(match[1]) : undefined;
  if (!login) throw new HttpError(401, 'Bad credentials', DOCS);
  return login;
}

function send(res: ServerResponse, response: ApiResponse, common: Record<string, string>): void {
  const headers = { ...common, ...response.headers };
  if (response.body === undefined) {
    res.writeHead(response.status, headers).end();
    return;
  }
  const body = JSON.stringify(response.body);
  res.writeHead(response.status, { ...headers, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function segmentsOf(url: URL): string[] {
  const segments = url.pathname.split('/').filter(Boolean).map((s) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  });
  return segments[0] === 'api' && segments[1] === 'v3' ? segments.slice(2) : segments;
}

/** Starts GitHub's REST API (the parts LendOS uses) over the world's bare repositories on loopback. */
export async function startGitHubServer(options: GitHubServerOptions): Promise<RunningGitHubServer> {
  const login = options.login ?? PEOPLE.engineer.login;
  const world = { clock: options.clock, scenario: options.scenario, ecr: options.ecr, owner: options.owner, login };
  const state = new GitHubState(world, repositories(options.remotes));
  const lendos = state.repos.get('lendos') as RepoContext;
  seedIssues(state);
  seedRuns(state, await lendos.git.firstParentLog('main', 10), await lendos.git.firstParentLog('develop', 10));

  const router = new Router();
  addRepoRoutes(router, state);
  addPullRoutes(router, state, hooksFor(state));
  addReviewRoutes(router, state);
  addIssueRoutes(router, state);
  addCommentRoutes(router, state);
  addActionsRoutes(router, state);

  const logins = new Map([...Object.entries(options.tokens ?? {}), [options.token, login]]);
  let requests = 0;
  let remaining = 5000;
  const server = createServer((req, res) => {
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    remaining = Math.max(0, remaining - 1);
    const common = {
      'x-github-media-type': 'github.v3; format=json',
      'x-github-api-version-selected': '2022-11-28',
      'x-github-request-id': randomUUID().toUpperCase(),
      'x-oauth-scopes': 'repo, workflow',
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': String(remaining),
      'x-ratelimit-used': String(5000 - remaining),
      'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
      'x-ratelimit-resource': 'core',
    };
    void handle(req, baseUrl, ++requests).then((response) => send(res, response, common));
  });

  async function handle(req: IncomingMessage, baseUrl: string, count: number): Promise<ApiResponse> {
    try {
      const url = new URL(req.url ?? '/', baseUrl);
      const method = (req.method ?? 'GET').toUpperCase();
      const body = ['POST', 'PUT', 'PATCH', 'DELETE'].includes(method) ? await readJsonBody(req) : (req.resume(), undefined);
      const caller = authenticate(req, logins);
      const injected = injectedError(state, count);
      if (injected) throw injected;
      const match = router.match(method, segmentsOf(url));
      if (!match || match === 'method') throw new HttpError(404, 'Not Found', DOCS);
      const request: ApiRequest = { method, params: match.params, query: url.searchParams, body, baseUrl, url, login: caller };
      return await match.handler(request);
    } catch (error) {
      if (error instanceof HttpError) return { status: error.status, body: error.body(), headers: error.headers };
      process.stderr.write(`rehearsal github: ${req.method} ${req.url}: ${error instanceof Error ? error.stack : String(error)}\n`);
      return { status: 500, body: new HttpError(500, 'Server Error').body() };
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    login,
    settled: async () => {
      while (state.pending.size > 0) await Promise.all([...state.pending]);
    },
    close: async () => {
      state.closed = true;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
