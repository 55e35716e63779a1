import assert from 'node:assert/strict';
import { expectStatus } from './github-fixture.js';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Octokit } from '@octokit/rest';
import { createClock } from '../../../rehearsal/src/clock.js';
import type { EcrImage, EcrRegistry, Fault, Scenario } from '../../../rehearsal/src/contracts.js';
import { cloneWorkspace, createRemotes, type Remotes } from '../../../rehearsal/src/git/index.js';
import { startGitHubServer, type RunningGitHubServer } from '../../../rehearsal/src/github/index.js';

const TOKEN = 'ghp_rehearsal_token';
const OWNER = 'rplendos';
const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const repo = { owner: OWNER, repo: 'lendos' };

/** These tests build nothing on main, so the registry stays empty. */
const emptyEcr: EcrRegistry = {
  putImage: () => assert.fail('no image is pushed in these tests') as EcrImage,
  images: () => [],
  repositories: () => [],
};

function scenarioWith(faults: Fault[]): Scenario {
  return {
    name: 'github-repos-test',
    description: 'GitHub REST fidelity',
    seed: 5,
    timeScale: 0.001,
    durations: { podReady: 1, podTerminate: 1, stage: 1, snapshot: 1, restore: 1, argoSync: 1, mainBuild: 1_000 },
    faults,
  };
}

describe('rehearsal GitHub: repositories, milestones and Actions through Octokit', function () {
  let dir: string;
  let remotes: Remotes;
  const servers: RunningGitHubServer[] = [];
  let server: RunningGitHubServer;
  let octokit: Octokit;
  const start = async (faults: Fault[]) => {
    const scenario = scenarioWith(faults);
    const clock = createClock({ timeScale: scenario.timeScale, seed: scenario.seed });
    const started = await startGitHubServer({ clock, scenario, token: TOKEN, owner: OWNER, remotes, ecr: emptyEcr });
    servers.push(started);
    return { started, client: new Octokit({ auth: TOKEN, baseUrl: started.url, log: quiet }) };
  };

  before(async function () {
    dir = mkdtempSync(join(tmpdir(), 'lendos-github-repos-'));
    const scenario = scenarioWith([]);
    remotes = await createRemotes(join(dir, 'remotes'), { clock: createClock({ timeScale: 1, seed: 5 }), scenario });
    ({ started: server, client: octokit } = await start([]));
  });

  after(async function () {
    await Promise.all(servers.map((s) => s.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('describes the repositories and the authenticated engineer', async function () {
    const { data } = await octokit.rest.repos.get(repo);
    assert.equal(data.full_name, 'rplendos/lendos');
    assert.equal(data.default_branch, 'develop');
    assert.equal((await octokit.rest.repos.get({ owner: OWNER, repo: 'lendos-eks-workloads' })).data.default_branch, 'main');
    assert.equal((await octokit.rest.users.getAuthenticated()).data.login, server.login);
    await expectStatus(octokit.rest.repos.get({ owner: 'someone-else', repo: 'lendos' }), 404);
  });

  it('pages branches with a Link header and reads a branch whose name has a slash', async function () {
    const first = await octokit.rest.repos.listBranches({ ...repo, per_page: 2 });
    assert.equal(first.data.length, 2);
    assert.match(String(first.headers.link), /rel="next"/);
    const all = await octokit.paginate(octokit.rest.repos.listBranches, { ...repo, per_page: 2 });
    assert.deepEqual(all.map((b) => b.name).sort(), ['develop', 'main', 'release/2025.3.0', 'upgrade/2025.3.0']);
    const branch = await octokit.rest.repos.getBranch({ ...repo, branch: 'release/2025.3.0' });
    assert.equal(branch.data.commit.sha, execFileSync('git', ['rev-parse', 'release/2025.3.0'], { cwd: remotes.lendos, encoding: 'utf8' }).trim());
    assert.equal(branch.data.commit.commit.message, 'Bump VERSION to 2025.3.0 for release');
    assert.equal((await expectStatus(octokit.rest.repos.getBranch({ ...repo, branch: 'release/2099.1.0' }), 404))['message'], 'Branch not found');
  });

  it('creates, reads, guards and deletes refs', async function () {
    const develop = (await octokit.rest.git.getRef({ ...repo, ref: 'heads/develop' })).data.object.sha;
    const main = (await octokit.rest.git.getRef({ ...repo, ref: 'heads/main' })).data.object.sha;
    const created = await octokit.rest.git.createRef({ ...repo, ref: 'refs/heads/release/2025.4.0', sha: develop });
    assert.equal(created.status, 201);
    assert.equal((await octokit.rest.git.getRef({ ...repo, ref: 'heads/release/2025.4.0' })).data.object.sha, develop);
    assert.equal((await expectStatus(octokit.rest.git.createRef({ ...repo, ref: 'refs/heads/release/2025.4.0', sha: develop }), 422))['message'], 'Reference already exists');
    assert.equal((await expectStatus(octokit.rest.git.createRef({ ...repo, ref: 'refs/heads/x', sha: '0'.repeat(40) }), 422))['message'], 'Object does not exist');
    const backwards = octokit.rest.git.updateRef({ ...repo, ref: 'heads/release/2025.4.0', sha: main });
    assert.equal((await expectStatus(backwards, 422))['message'], 'Update is not a fast forward');
    assert.equal((await octokit.rest.git.deleteRef({ ...repo, ref: 'heads/release/2025.4.0' })).status, 204);
    await expectStatus(octokit.rest.git.deleteRef({ ...repo, ref: 'heads/release/2025.4.0' }), 422);
    await expectStatus(octokit.rest.git.getRef({ ...repo, ref: 'heads/release/2025.4.0' }), 404);
  });

  it('compares main with develop: ahead, behind, commits and files', async function () {
    const { data } = await octokit.rest.repos.compareCommitsWithBasehead({ ...repo, basehead: 'main...develop' });
    assert.equal(data.status, 'ahead');
    assert.equal(data.behind_by, 0);
    assert.equal(data.ahead_by, data.commits.length);
    assert.ok(data.commits.some((c) => c.commit.message === 'feat(signing-portal): bulk signature requests'));
    const files = new Map(data.files?.map((f) => [f.filename, f.status]));
    assert.equal(files.get('services/signing-portal-backend/src/main/kotlin/io/lendos/signing/BulkSigning.kt'), 'added');
    assert.equal(files.get('services/lendos-portal-backend/src/main/kotlin/io/lendos/portal/FacilityController.kt'), 'modified');
    const reverse = await octokit.rest.repos.compareCommitsWithBasehead({ ...repo, basehead: 'develop...main' });
    assert.equal(reverse.data.status, 'behind');
    await expectStatus(octokit.rest.repos.compareCommitsWithBasehead({ ...repo, basehead: 'main...release/2099.1.0' }), 404);
  });

  it('lists milestones and the release milestone issues', async function () {
    const milestones = (await octokit.rest.issues.listMilestones({ ...repo, state: 'all' })).data;
    assert.deepEqual(milestones.map((m) => m.title), ['2025.3.0', '2025.4.0', '2025.5.0']);
    const release = milestones.find((m) => m.title === '2025.4.0');
    assert.equal(release?.open_issues, 0);
    assert.ok((release?.closed_issues ?? 0) > 0);
    const issues = await octokit.rest.issues.listForRepo({ ...repo, milestone: String(release?.number), state: 'all' });
    assert.equal(issues.data.length, release?.closed_issues);
    assert.ok(issues.data.every((i) => i.state === 'closed' && i.milestone?.title === '2025.4.0'));
    assert.deepEqual((await octokit.rest.issues.listMilestones({ ...repo })).data.map((m) => m.title), ['2025.4.0', '2025.5.0']);
  });

  it('lists past Actions runs by branch, and reads the content of VERSION', async function () {
    const runs = (await octokit.rest.actions.listWorkflowRunsForRepo({ ...repo, branch: 'main', per_page: 5 })).data;
    assert.ok(runs.total_count >= 2);
    assert.ok(runs.workflow_runs.every((r) => r.head_branch === 'main' && r.name === 'Build and Publish' && r.conclusion === 'success'));
    const mainTip = (await octokit.rest.repos.getBranch({ ...repo, branch: 'main' })).data.commit.sha;
    assert.equal(runs.workflow_runs[0]?.head_sha, mainTip);
    const content = (await octokit.rest.repos.getContent({ ...repo, path: 'VERSION', ref: 'develop' })).data;
    assert.ok(!Array.isArray(content) && content.type === 'file');
    assert.equal(Buffer.from(content.content ?? '', 'base64').toString('utf8'), '2025.3.0\n');
  });

  it('answers bad input like GitHub: malformed JSON, unknown routes, missing auth', async function () {
    const headers = { authorization: `token ${TOKEN}`, 'content-type': 'application/json' };
    const malformed = await fetch(`${server.url}/repos/${OWNER}/lendos/pulls`, { method: 'POST', headers, body: '{"title": ' });
    assert.equal(malformed.status, 400);
    assert.equal(((await malformed.json()) as { message: string }).message, 'Problems parsing JSON');
    const unknown = await fetch(`${server.url}/repos/${OWNER}/lendos/deployments/statuses`, { headers });
    assert.equal(unknown.status, 404);
    assert.equal(((await unknown.json()) as { message: string }).message, 'Not Found');
    const anonymous = await fetch(`${server.url}/repos/${OWNER}/lendos`);
    assert.equal(anonymous.status, 401);
    await expectStatus(octokit.rest.pulls.get({ ...repo, pull_number: 1 }), 404);
    const noHead = await expectStatus(octokit.rest.pulls.create({ ...repo, base: 'main', head: 'release/2099.1.0', title: 'x' }), 422);
    assert.deepEqual(noHead['errors'], [{ resource: 'PullRequest', field: 'head', code: 'invalid' }]);
  });

  it('withholds product approval and leaves milestone issues open when the scenario says so', async function () {
    const { started, client } = await start([{ kind: 'pr-without-approval' }, { kind: 'milestone-open-issues', open: 3 }]);
    const ws = join(dir, 'ws-faults');
    await cloneWorkspace(remotes.lendos, ws);
    const inWorkspace = (...args: string[]) => execFileSync('git', args, { cwd: ws, stdio: 'ignore' });
    inWorkspace('checkout', '-q', '-b', 'release/2025.4.0');
    writeFileSync(join(ws, 'VERSION'), '2025.4.0\n');
    inWorkspace('commit', '-qam', 'Bump VERSION to 2025.4.0 for release');
    inWorkspace('push', '-q', 'origin', 'release/2025.4.0');
    const release = (await client.rest.issues.listMilestones({ ...repo, state: 'all' })).data.find((m) => m.title === '2025.4.0');
    assert.equal(release?.open_issues, 3);
    assert.equal((await client.rest.issues.listForRepo({ ...repo, milestone: String(release?.number) })).data.length, 3);
    const pr = (await client.rest.pulls.create({ ...repo, base: 'main', head: 'release/2025.4.0', title: 'Release 2025.4.0' })).data;
    await started.settled();
    assert.deepEqual((await client.rest.pulls.listReviews({ ...repo, pull_number: pr.number })).data, []);
  });

  it('fails every n-th request with the status of an api-errors fault', async function () {
    const { client } = await start([{ kind: 'api-errors', service: 'github', status: 503, every: 2 }]);
    await client.rest.repos.get(repo);
    const body = await expectStatus(client.rest.repos.get(repo), 503);
    assert.equal(body['message'], 'Service Unavailable');
    await client.rest.repos.get(repo);
  });
});
