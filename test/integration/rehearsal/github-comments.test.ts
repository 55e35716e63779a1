/**
 * The world's GitHub through Octokit: issue comments on pull requests and issues (GitHub's shapes, order,
 * pagination, 404 and 422), the product approver's own token, and the gitflow-conflict scenario's dirty sync PR.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Octokit } from '@octokit/rest';
import { createClock } from '../../../rehearsal/src/clock.js';
import type {
  EcrImage,
  EcrImageInput,
  EcrRegistry,
  Fault,
  Scenario,
} from '../../../rehearsal/src/contracts.js';
import { cloneWorkspace, createRemotes, type Remotes } from '../../../rehearsal/src/git/index.js';
import { startGitHubServer, type RunningGitHubServer } from '../../../rehearsal/src/github/index.js';
import { expectStatus } from './github-fixture.js';

const TOKEN = 'ghp_engineer_token';
const APPROVER_TOKEN = 'ghp_approver_token';
const OWNER = 'rplendos';
const repo = { owner: OWNER, repo: 'lendos' };
/** Octokit logs every 4xx it sees; the tests assert those on purpose. */
const quiet = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** The main build pushes images somewhere; nothing here reads them. */
const nowhere: EcrRegistry = {
  putImage: (input: EcrImageInput): EcrImage => ({
    ...input,
    digest: 'sha256:0',
    sizeBytes: 0,
    pushedAt: new Date(),
    manifest: '{}',
  }),
  images: () => [],
  repositories: () => [],
};

function scenarioWith(faults: Fault[]): Scenario {
  const durations = {
    podReady: 1,
    podTerminate: 1,
    stage: 1,
    snapshot: 1,
    restore: 1,
    argoSync: 1,
    mainBuild: 1,
  };
  return {
    name: 'github-comments',
    description: 'GitHub comments fidelity',
    seed: 3,
    timeScale: 0.001,
    durations,
    faults,
  };
}

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

function pushRelease(ws: string): void {
  git(ws, 'checkout', '-q', '-B', 'release/2025.4.0', 'origin/develop');
  writeFileSync(join(ws, 'VERSION'), '2025.4.0\n');
  git(ws, 'commit', '-qam', 'Bump VERSION to 2025.4.0 for release');
  git(ws, 'push', '-q', 'origin', 'release/2025.4.0');
}

interface GitHubWorld {
  dir: string;
  remotes: Remotes;
  server: RunningGitHubServer;
  engineer: Octokit;
  approver: Octokit;
  close(): Promise<void>;
}

async function startGitHub(faults: Fault[]): Promise<GitHubWorld> {
  const dir = mkdtempSync(join(tmpdir(), 'lendos-github-comments-'));
  const scenario = scenarioWith(faults);
  const clock = createClock({ timeScale: scenario.timeScale, seed: scenario.seed });
  const remotes = await createRemotes(join(dir, 'remotes'), { clock, scenario });
  const tokens = { [APPROVER_TOKEN]: 'luis-product' };
  const server = await startGitHubServer({
    clock,
    scenario,
    token: TOKEN,
    tokens,
    owner: OWNER,
    remotes,
    ecr: nowhere,
  });
  await cloneWorkspace(remotes.lendos, join(dir, 'ws'));
  pushRelease(join(dir, 'ws'));
  const octokit = (auth: string) => new Octokit({ auth, baseUrl: server.url, log: quiet });
  const close = async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  };
  return { dir, remotes, server, engineer: octokit(TOKEN), approver: octokit(APPROVER_TOKEN), close };
}

describe('rehearsal GitHub: issue comments through Octokit', function () {
  this.timeout(60_000);
  let w: GitHubWorld;
  let pull: number;
  before(async () => {
    w = await startGitHub([{ kind: 'pr-without-approval' }]);
    const created = await w.engineer.rest.pulls.create({
      ...repo,
      base: 'main',
      head: 'release/2025.4.0',
      title: 'Release 2025.4.0',
    });
    pull = created.data.number;
  });
  after(async () => w?.close());

  it('the approver’s own token acts as luis-product; any other token is refused', async () => {
    assert.equal((await w.approver.rest.users.getAuthenticated()).data.login, 'luis-product');
    assert.equal((await w.engineer.rest.users.getAuthenticated()).data.login, 'rehearsal-engineer');
    const review = await w.approver.rest.pulls.createReview({
      ...repo,
      pull_number: pull,
      event: 'COMMENT',
      body: 'Smoke tests start.',
    });
    assert.equal(review.data.user?.login, 'luis-product');
    const wrong = new Octokit({ auth: 'ghp_nobody', baseUrl: w.server.url, log: quiet });
    assert.equal(
      (await expectStatus(wrong.rest.users.getAuthenticated(), 401))['message'],
      'Bad credentials',
    );
  });

  it('posts comments on a pull request as their authors, lists them oldest first, and counts them on the PR', async () => {
    assert.deepEqual((await w.engineer.rest.issues.listComments({ ...repo, issue_number: pull })).data, []);
    const first = await w.engineer.rest.issues.createComment({
      ...repo,
      issue_number: pull,
      body: 'Staging is upgraded.',
    });
    assert.equal(first.status, 201);
    assert.equal(first.headers.location, first.data.url);
    assert.equal(first.data.url, `${w.server.url}/repos/${OWNER}/lendos/issues/comments/${first.data.id}`);
    assert.equal(
      first.data.html_url,
      `https://github.com/${OWNER}/lendos/pull/${pull}#issuecomment-${first.data.id}`,
    );
    assert.equal(first.data.issue_url, `${w.server.url}/repos/${OWNER}/lendos/issues/${pull}`);
    assert.equal(first.data.user?.login, 'rehearsal-engineer');
    assert.match(first.data.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const second = await w.approver.rest.issues.createComment({
      ...repo,
      issue_number: pull,
      body: 'Smoke tests pass.\n/approve staging',
    });
    assert.equal(second.data.user?.login, 'luis-product');
    const listed = (await w.engineer.rest.issues.listComments({ ...repo, issue_number: pull })).data;
    assert.deepEqual(
      listed.map((c) => [c.id, c.user?.login, c.body]),
      [
        [first.data.id, 'rehearsal-engineer', 'Staging is upgraded.'],
        [second.data.id, 'luis-product', 'Smoke tests pass.\n/approve staging'],
      ],
    );
    assert.equal((await w.engineer.rest.pulls.get({ ...repo, pull_number: pull })).data.comments, 2);
    const one = await w.engineer.rest.issues.getComment({ ...repo, comment_id: second.data.id });
    assert.equal(one.data.body, 'Smoke tests pass.\n/approve staging');
  });

  it('paginates with Link headers, and filters by since', async () => {
    for (const n of [3, 4, 5])
      await w.engineer.rest.issues.createComment({ ...repo, issue_number: pull, body: `note ${n}` });
    const page = await w.engineer.rest.issues.listComments({ ...repo, issue_number: pull, per_page: 2 });
    assert.equal(page.data.length, 2);
    assert.match(page.headers.link ?? '', /[?&]page=2[^>]*>; rel="next"/);
    assert.match(page.headers.link ?? '', /[?&]page=3[^>]*>; rel="last"/);
    const all = await w.engineer.paginate(w.engineer.rest.issues.listComments, {
      ...repo,
      issue_number: pull,
      per_page: 2,
    });
    assert.deepEqual(all.map((c) => c.body).slice(2), ['note 3', 'note 4', 'note 5']);
    const future = new Date(Date.now() + 3_600_000).toISOString();
    assert.deepEqual(
      (await w.engineer.rest.issues.listComments({ ...repo, issue_number: pull, since: future })).data,
      [],
    );
    await expectStatus(
      w.engineer.rest.issues.listComments({ ...repo, issue_number: pull, since: 'yesterday' }),
      422,
    );
  });

  it('comments on an issue too; 404 for a number that is neither, 422 without a body', async () => {
    const issue = await w.engineer.rest.issues.createComment({
      ...repo,
      issue_number: 5822,
      body: 'Checklist done.',
    });
    assert.equal(
      issue.data.html_url,
      `https://github.com/${OWNER}/lendos/issues/5822#issuecomment-${issue.data.id}`,
    );
    assert.equal((await w.engineer.rest.issues.get({ ...repo, issue_number: 5822 })).data.comments, 1);
    await expectStatus(w.engineer.rest.issues.listComments({ ...repo, issue_number: 99_999 }), 404);
    await expectStatus(
      w.engineer.rest.issues.createComment({ ...repo, issue_number: 99_999, body: 'x' }),
      404,
    );
    await expectStatus(w.engineer.rest.issues.getComment({ ...repo, comment_id: 1 }), 404);
    const blank = await expectStatus(
      w.engineer.rest.issues.createComment({ ...repo, issue_number: pull, body: '  ' }),
      422,
    );
    assert.deepEqual(blank['errors'], [
      { resource: 'IssueComment', code: 'unprocessable', field: 'data', message: 'Body cannot be blank' },
    ]);
    const url = `/repos/${OWNER}/lendos/issues/${pull}/comments`;
    const missing = await expectStatus(w.engineer.request({ method: 'POST', url, data: {} }), 422);
    assert.match(String(missing['message']), /"body" wasn't supplied/);
  });
});

describe('rehearsal GitHub: the gitflow-conflict scenario', function () {
  this.timeout(60_000);
  let w: GitHubWorld;
  before(async () => {
    w = await startGitHub([{ kind: 'gitflow-conflict' }]);
  });
  after(async () => w?.close());

  it('develop bumps VERSION as the release merges into main: the main → develop PR is dirty and GitHub refuses its merge', async () => {
    const release = (
      await w.engineer.rest.pulls.create({
        ...repo,
        base: 'main',
        head: 'release/2025.4.0',
        title: 'Release 2025.4.0',
      })
    ).data;
    const developBefore = git(w.remotes.lendos, 'rev-parse', 'develop');
    await w.engineer.rest.pulls.merge({
      ...repo,
      pull_number: release.number,
      merge_method: 'merge',
      sha: release.head.sha,
    });
    assert.equal(git(w.remotes.lendos, 'rev-parse', 'develop^'), developBefore);
    assert.equal(
      git(w.remotes.lendos, 'log', '-1', '--format=%an|%s', 'develop'),
      'Tom Becker|Start 2025.5.0 on develop: bump VERSION',
    );
    assert.equal(git(w.remotes.lendos, 'show', 'develop:VERSION'), '2025.5.0');
    const sync = (
      await w.engineer.rest.pulls.create({
        ...repo,
        base: 'develop',
        head: 'main',
        title: 'Sync release 2025.4.0 to develop',
      })
    ).data;
    const read = (await w.engineer.rest.pulls.get({ ...repo, pull_number: sync.number })).data;
    assert.equal(read.mergeable, false);
    assert.equal(read.mergeable_state, 'dirty');
    const developAfter = git(w.remotes.lendos, 'rev-parse', 'develop');
    const refused = await expectStatus(
      w.engineer.rest.pulls.merge({
        ...repo,
        pull_number: sync.number,
        merge_method: 'merge',
        sha: read.head.sha,
      }),
      405,
    );
    assert.equal(refused['message'], 'Pull Request is not mergeable');
    assert.equal(git(w.remotes.lendos, 'rev-parse', 'develop'), developAfter, 'nothing merged');
    await w.server.settled();
  });
});
