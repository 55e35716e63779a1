import assert from 'node:assert/strict';
import { expectStatus } from './github-fixture.js';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Octokit } from '@octokit/rest';
import { createClock } from '../../../rehearsal/src/clock.js';
import type { EcrImage, EcrImageInput, EcrRegistry, Fault, Scenario } from '../../../rehearsal/src/contracts.js';
import { cloneWorkspace, createRemotes, type Remotes } from '../../../rehearsal/src/git/index.js';
import { startGitHubServer, type RunningGitHubServer } from '../../../rehearsal/src/github/index.js';

const TOKEN = 'ghp_rehearsal_token';
/** Octokit logs every 4xx it sees; the tests assert those on purpose. */
const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const OWNER = 'rplendos';

/** Just enough ECR for the main build to push into and the test to read back. */
class MemoryEcr implements EcrRegistry {
  private readonly store = new Map<string, EcrImage[]>();
  putImage(input: EcrImageInput): EcrImage {
    const manifest = input.manifest ?? '{}';
    const image: EcrImage = {
      repository: input.repository,
      tags: input.tags,
      manifest,
      digest: `sha256:${createHash('sha256').update(manifest).digest('hex')}`,
      sizeBytes: input.sizeBytes ?? manifest.length,
      pushedAt: input.pushedAt ?? new Date(),
    };
    this.store.set(input.repository, [...this.images(input.repository), image]);
    return image;
  }
  images(repository: string): EcrImage[] {
    return this.store.get(repository) ?? [];
  }
  repositories(): string[] {
    return [...this.store.keys()];
  }
}

function scenarioWith(faults: Fault[]): Scenario {
  return {
    name: 'github-test',
    description: 'GitHub REST fidelity',
    seed: 11,
    timeScale: 0.001,
    durations: { podReady: 1, podTerminate: 1, stage: 1, snapshot: 1, restore: 1, argoSync: 1, mainBuild: 120_000 },
    faults,
  };
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

function pushBranch(ws: string, branch: string, from: string, files: Record<string, string>, message: string): void {
  git(ws, 'fetch', '-q', 'origin');
  git(ws, 'checkout', '-q', '-B', branch, `origin/${from}`);
  for (const [path, content] of Object.entries(files)) writeFileSync(join(ws, path), content);
  git(ws, 'add', '-A');
  git(ws, 'commit', '-qm', message);
  git(ws, 'push', '-q', '-u', 'origin', branch);
}

describe('rehearsal GitHub: pull requests through Octokit', function () {
  let dir: string;
  let remotes: Remotes;
  let ws: string;
  let ecr: MemoryEcr;
  let server: RunningGitHubServer;
  let octokit: Octokit;
  const repo = { owner: OWNER, repo: 'lendos' };

  before(async function () {
    dir = mkdtempSync(join(tmpdir(), 'lendos-github-'));
    const scenario = scenarioWith([]);
    const clock = createClock({ timeScale: scenario.timeScale, seed: scenario.seed });
    remotes = await createRemotes(join(dir, 'remotes'), { clock, scenario });
    ecr = new MemoryEcr();
    ecr.putImage({ repository: 'right-pedal/lendos-portal-backend', tags: ['v0.0.812'] });
    ecr.putImage({ repository: 'right-pedal/lendos-portal-backend', tags: ['v0.0.811'] });
    ecr.putImage({ repository: 'right-pedal/lendos-portal-frontend', tags: ['v0.0.548'] });
    server = await startGitHubServer({ clock, scenario, token: TOKEN, owner: OWNER, remotes, ecr });
    octokit = new Octokit({ auth: TOKEN, baseUrl: server.url, log: quiet });
    ws = join(dir, 'ws');
    await cloneWorkspace(remotes.lendos, ws);
    pushBranch(ws, 'release/2025.4.0', 'develop', { VERSION: '2025.4.0\n' }, 'Bump VERSION to 2025.4.0 for release');
  });

  after(async function () {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('rejects a bad token with 401 Bad credentials', async function () {
    const bad = new Octokit({ auth: 'ghp_wrong', baseUrl: server.url, log: quiet });
    const body = await expectStatus(bad.rest.repos.get(repo), 401);
    assert.equal(body['message'], 'Bad credentials');
    assert.match(String(body['documentation_url']), /^https:\/\/docs\.github\.com\//);
  });

  it('creates the release PR, refuses a duplicate and a PR without commits', async function () {
    const { data: pr, status } = await octokit.rest.pulls.create({ ...repo, base: 'main', head: 'release/2025.4.0', title: 'Release 2025.4.0', body: 'Release 2025.4.0' });
    assert.equal(status, 201);
    assert.equal(pr.state, 'open');
    assert.equal(pr.head.sha, git(remotes.lendos, 'rev-parse', 'release/2025.4.0'));
    assert.equal(pr.mergeable, true);
    assert.equal(pr.mergeable_state, 'clean');
    assert.ok(pr.commits >= 4);
    assert.ok(pr.number > 5800);

    const duplicate = await expectStatus(octokit.rest.pulls.create({ ...repo, base: 'main', head: `${OWNER}:release/2025.4.0`, title: 'again' }), 422);
    assert.equal(duplicate['message'], 'Validation Failed');
    assert.deepEqual(duplicate['errors'], [{ resource: 'PullRequest', code: 'custom', message: 'A pull request already exists for rplendos:release/2025.4.0.' }]);

    const empty = await expectStatus(octokit.rest.pulls.create({ ...repo, base: 'develop', head: 'main', title: 'Sync' }), 422);
    assert.match(JSON.stringify(empty['errors']), /No commits between develop and main/);

    const listed = await octokit.rest.pulls.list({ ...repo, state: 'open', head: `${OWNER}:release/2025.4.0`, base: 'main' });
    assert.deepEqual(listed.data.map((p) => p.number), [pr.number]);
  });

  it('gets product approval shortly after, and refuses self-approval', async function () {
    const [pr] = (await octokit.rest.pulls.list({ ...repo, head: `${OWNER}:release/2025.4.0` })).data;
    assert.ok(pr);
    const self = await expectStatus(octokit.rest.pulls.createReview({ ...repo, pull_number: pr.number, event: 'APPROVE' }), 422);
    assert.deepEqual(self['errors'], ['Review Can not approve your own pull request']);
    const comment = await octokit.rest.pulls.createReview({ ...repo, pull_number: pr.number, event: 'COMMENT', body: 'Preflight passed.' });
    assert.equal(comment.data.state, 'COMMENTED');
    await server.settled();
    const reviews = (await octokit.rest.pulls.listReviews({ ...repo, pull_number: pr.number })).data;
    const approval = reviews.find((r) => r.state === 'APPROVED');
    assert.equal(approval?.user?.login, 'luis-product');
    assert.equal(approval?.commit_id, pr.head.sha);
  });

  it('merges for real into main, and the main build pushes new service images', async function () {
    const [pr] = (await octokit.rest.pulls.list({ ...repo, head: `${OWNER}:release/2025.4.0` })).data;
    assert.ok(pr);
    const mainBefore = git(remotes.lendos, 'rev-parse', 'main');
    const merged = await octokit.rest.pulls.merge({ ...repo, pull_number: pr.number, merge_method: 'merge', sha: pr.head.sha });
    assert.equal(merged.data.merged, true);
    assert.equal(merged.data.message, 'Pull Request successfully merged');
    assert.equal(git(remotes.lendos, 'rev-parse', 'main'), merged.data.sha);
    assert.equal(git(remotes.lendos, 'log', '-1', '--format=%P', 'main'), `${mainBefore} ${pr.head.sha}`);
    assert.equal(git(remotes.lendos, 'log', '-1', '--format=%s', 'main'), `Merge pull request #${pr.number} from rplendos/release/2025.4.0`);
    assert.equal(git(remotes.lendos, 'show', 'main:VERSION'), '2025.4.0');

    const after = (await octokit.rest.pulls.get({ ...repo, pull_number: pr.number })).data;
    assert.equal(after.merged, true);
    assert.equal(after.merge_commit_sha, merged.data.sha);
    assert.equal(after.state, 'closed');
    await expectStatus(octokit.rest.pulls.merge({ ...repo, pull_number: pr.number }), 405);

    const running = await octokit.rest.actions.listWorkflowRunsForRepo({ ...repo, branch: 'main', head_sha: merged.data.sha });
    assert.equal(running.data.total_count, 1);
    await server.settled();
    const done = await octokit.rest.actions.listWorkflowRunsForRepo({ ...repo, branch: 'main', head_sha: merged.data.sha, status: 'success' });
    const run = done.data.workflow_runs[0];
    assert.equal(run?.status, 'completed');
    assert.equal(run?.conclusion, 'success');
    assert.equal(run?.name, 'Build and Publish');
    assert.equal((await octokit.rest.actions.getWorkflowRun({ ...repo, run_id: run.id })).data.head_sha, merged.data.sha);
    const tags = (repository: string) => ecr.images(repository).flatMap((i) => i.tags);
    assert.ok(tags('right-pedal/lendos-portal-backend').includes('v0.0.813'));
    assert.ok(tags('right-pedal/lendos-portal-frontend').includes('v0.0.549'));
    assert.ok(tags('right-pedal/signing-portal-backend').includes('v0.0.800'));
    assert.equal(ecr.repositories().length, 4);
  });

  it('answers 405 for a conflicting PR and reports it as dirty', async function () {
    pushBranch(ws, 'hotfix/a', 'main', { VERSION: '2025.4.1\n' }, 'Bump VERSION to 2025.4.1');
    pushBranch(ws, 'hotfix/b', 'main', { VERSION: '2025.4.2\n' }, 'Bump VERSION to 2025.4.2');
    const a = (await octokit.rest.pulls.create({ ...repo, base: 'main', head: 'hotfix/a', title: 'Hotfix a' })).data;
    const b = (await octokit.rest.pulls.create({ ...repo, base: 'main', head: 'hotfix/b', title: 'Hotfix b' })).data;
    await octokit.rest.pulls.merge({ ...repo, pull_number: a.number, merge_method: 'squash' });
    assert.equal(git(remotes.lendos, 'log', '-1', '--format=%s', 'main'), `Hotfix a (#${a.number})`);
    const conflicted = (await octokit.rest.pulls.get({ ...repo, pull_number: b.number })).data;
    assert.equal(conflicted.mergeable, false);
    assert.equal(conflicted.mergeable_state, 'dirty');
    const mainBefore = git(remotes.lendos, 'rev-parse', 'main');
    const body = await expectStatus(octokit.rest.pulls.merge({ ...repo, pull_number: b.number }), 405);
    assert.equal(body['message'], 'Pull Request is not mergeable');
    assert.equal(git(remotes.lendos, 'rev-parse', 'main'), mainBefore);
    await server.settled();
  });

  it('rebases a PR onto its base, keeping each commit and its author', async function () {
    pushBranch(ws, 'feature/notes', 'develop', { 'NOTES.md': 'notes\n' }, 'docs: release notes');
    const pr = (await octokit.rest.pulls.create({ ...repo, base: 'develop', head: 'feature/notes', title: 'Notes' })).data;
    const developBefore = git(remotes.lendos, 'rev-parse', 'develop');
    const merged = await octokit.rest.pulls.merge({ ...repo, pull_number: pr.number, merge_method: 'rebase' });
    assert.equal(git(remotes.lendos, 'log', '-1', '--format=%P|%an|%cn|%s', 'develop'), `${developBefore}|Rehearsal Engineer|GitHub|docs: release notes`);
    assert.equal(git(remotes.lendos, 'rev-parse', 'develop'), merged.data.sha);
    const runs = await octokit.rest.actions.listWorkflowRunsForRepo({ ...repo, head_sha: merged.data.sha });
    assert.equal(runs.data.total_count, 0, 'only merges into main build');
  });
});
