/**
 * The GitHub port (Octokit with the retry and throttling plugins) over HTTP to the rehearsal world's GitHub: every
 * method the release uses, the failures a person acts on, and waits on 429/5xx said instead of given up silently.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, describe, it } from 'mocha';
import { createGitHub } from '../../src/adapters/github/index.js';
import { repoOfRemoteUrl } from '../../src/adapters/github/remote.js';
import { UserError } from '../../src/core/errors.js';
import type { GitHub, RepoRef } from '../../src/ports.js';
import { loadScenario } from '../../rehearsal/src/index.js';
import { startTestWorld, type TestWorld } from './rehearsal/world-helpers.js';
import { asAda } from './helpers.js';

const LENDOS: RepoRef = { owner: 'rplendos', name: 'lendos' };

function github(t: TestWorld, waits: string[] = [], token = t.world.description.github.token): GitHub {
  return createGitHub({ baseUrl: t.world.description.github.apiUrl, token, tokenSource: 'the rehearsal world', onWait: (line) => waits.push(line) });
}

function pushReleaseBranch(t: TestWorld): void {
  const cwd = t.world.description.workspace.lendos;
  const env = asAda();
  const git = (...args: string[]) => execFileSync('git', args, { cwd, env, stdio: 'pipe' });
  git('checkout', '-q', '-B', 'release/2025.4.0', 'origin/develop');
  execFileSync('sh', ['-c', 'printf "2025.4.0\\n" > VERSION'], { cwd });
  git('commit', '-qam', 'Bump VERSION to 2025.4.0 for release');
  git('push', '-q', 'origin', 'release/2025.4.0');
}

describe('GitHub adapter on the rehearsal world', function () {
  this.timeout(120_000);
  let t: TestWorld;
  let gh: GitHub;
  before(async () => {
    t = await startTestWorld('fast');
    gh = github(t);
    pushReleaseBranch(t);
  });
  after(async () => t?.cleanup());

  it('reads who it is, reaches both repositories, and says what to do for one it cannot reach', async () => {
    assert.equal(await gh.whoami(), 'rehearsal-engineer');
    assert.deepEqual(await gh.checkAccess(LENDOS), { ok: true });
    assert.deepEqual(await gh.checkAccess({ owner: 'rplendos', name: 'lendos-eks-workloads' }), { ok: true });
    const missing = await gh.checkAccess({ owner: 'rplendos', name: 'no-such-repo' });
    assert.equal(missing.ok, false);
    assert.match(missing.ok ? '' : missing.reason, /GitHub answered 404 .* cannot reach rplendos\/no-such-repo: it needs the `repo` scope/);
  });

  it('a bad token is a 401 that says how to sign in again', async () => {
    await assert.rejects(github(t, [], 'ghp_wrong').whoami(), (e: Error) => e instanceof UserError && /refused the token from the rehearsal world \(401/.test(e.message) && /gh auth login/.test(e.message));
  });

  it('opens, finds and reads a pull request; reads files and folders at its head; milestones and their issues', async () => {
    const pull = await gh.createPull(LENDOS, { head: 'release/2025.4.0', base: 'main', title: 'Release 2025.4.0', body: 'Release 2025.4.0' });
    assert.equal(pull.state, 'open');
    assert.equal(pull.merged, false);
    assert.deepEqual((await gh.findPulls(LENDOS, { head: 'release/2025.4.0', base: 'main' })).map((p) => p.number), [pull.number]);
    assert.equal((await gh.getPull(LENDOS, pull.number))?.headSha, pull.headSha);
    assert.equal(await gh.getPull(LENDOS, 99_999), undefined);
    assert.equal(await gh.fileAt(LENDOS, pull.headSha, 'VERSION'), '2025.4.0\n');
    assert.equal(await gh.fileAt(LENDOS, pull.headSha, 'no/such/file'), undefined);
    assert.deepEqual(await gh.listPaths(LENDOS, pull.headSha, 'services/portal-daml-upgrade/src/main/daml/Generated'), []);
    assert.ok((await gh.listPaths(LENDOS, pull.headSha, 'services')).length > 3);
    const milestone = (await gh.listMilestones(LENDOS)).find((m) => m.title === '2025.4.0');
    assert.equal(milestone?.openIssues, 0);
    const issues = await gh.listIssues(LENDOS, { milestone: milestone?.number ?? 0, state: 'all' });
    assert.ok(issues.some((i) => i.number === 5822 && i.state === 'closed'));
    // The world's product approver reviews a release PR soon after it opens.
    const reviews = await gh.listReviews(LENDOS, pull.number);
    assert.deepEqual(reviews.map((r) => [r.user, r.state, r.commitId]), [['luis-product', 'APPROVED', pull.headSha]].slice(0, reviews.length));
  });

  it('merges with a merge commit only at the head it was given; a moved head is refused with what GitHub said', async () => {
    const [pull] = await gh.findPulls(LENDOS, { head: 'release/2025.4.0', base: 'main' });
    assert.ok(pull);
    await assert.rejects(gh.mergePull(LENDOS, pull.number, { sha: '0'.repeat(40) }), (e: Error) => e instanceof UserError && /GitHub refused to merge pull request #\d+ .* \(409: Head branch was modified/.test(e.message));
    const { sha } = await gh.mergePull(LENDOS, pull.number, { sha: pull.headSha });
    const merged = await gh.getPull(LENDOS, pull.number);
    assert.equal(merged?.merged, true);
    assert.equal(merged?.mergeSha, sha);
    const runs = await gh.listRuns(LENDOS, { headSha: sha });
    assert.ok(runs.length > 0 && runs.every((r) => r.headSha === sha), JSON.stringify(runs));
  });

  it('reads owner and name from https, ssh and scp-like remote URLs, and nothing from a local path', () => {
    assert.deepEqual(repoOfRemoteUrl('https://github.com/rplendos/lendos.git'), LENDOS);
    assert.deepEqual(repoOfRemoteUrl('https://x-access-token:abc@github.com/rplendos/lendos'), LENDOS);
    assert.deepEqual(repoOfRemoteUrl('git@github.com:rplendos/lendos.git'), LENDOS);
    assert.deepEqual(repoOfRemoteUrl('ssh://git@ghe.example.com/rplendos/lendos.git'), LENDOS);
    assert.equal(repoOfRemoteUrl('/tmp/world/remotes/lendos.git'), undefined);
  });
});

describe('GitHub adapter: rate limits and server errors', function () {
  this.timeout(120_000);
  let t: TestWorld;
  after(async () => t?.cleanup());

  it('waits out 429 and 5xx with backoff, saying each wait, and answers', async () => {
    const fast = loadScenario('fast');
    t = await startTestWorld({ ...fast, name: 'github-storm', faults: [{ kind: 'api-errors', service: 'github', status: 429, every: 2 }] });
    const waits: string[] = [];
    const gh = github(t, waits);
    const milestones = await gh.listMilestones(LENDOS);
    const runs = await gh.listRuns(LENDOS, { branch: 'main' });
    assert.ok(milestones.length >= 3 && Array.isArray(runs));
    assert.ok(waits.some((w) => /GitHub's secondary rate limit on GET .*: waiting 1 s, then trying again \(1\/4\)/.test(w)), waits.join('\n'));
    await t.cleanup();
    t = await startTestWorld({ ...fast, name: 'github-flaky', faults: [{ kind: 'api-errors', service: 'github', status: 503, every: 3 }] });
    const flaky: string[] = [];
    assert.equal(await github(t, flaky).whoami(), 'rehearsal-engineer');
    assert.ok((await github(t, flaky).listMilestones(LENDOS)).length >= 3);
    assert.ok(Array.isArray(await github(t, flaky).listRuns(LENDOS, {})), 'the third request meets the 503 and is tried again');
    assert.ok(flaky.some((w) => /GitHub answered 503 on GET .*: trying again with backoff \(retry 1 of 3\)/.test(w)), flaky.join('\n'));
  });
});
