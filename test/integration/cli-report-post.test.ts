/**
 * `lendos report --post` through the built CLI against a world with a release PR nobody recorded: the report goes on
 * the PR found by the release branch as one marked comment; posted again unchanged it stays as it is; after the
 * journal moved it is replaced in place, never repeated. Bad combinations are usage errors that post nothing.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Octokit } from '@octokit/rest';
import { after, before, describe, it } from 'mocha';
import { CliWorld } from './cli-world.js';
import { atFastPace } from './rehearsal/world-helpers.js';

const MARKER = '<!-- lendos-release-report 2025.4.0 -->';

describe('lendos report --post (built CLI, rehearsal world)', function () {
  this.timeout(180_000);
  let w: CliWorld;
  let pr: number;
  let octokit: Octokit;
  const reports = async () => (await octokit.rest.issues.listComments({ owner: 'rplendos', repo: 'lendos', issue_number: pr })).data.filter((c) => c.body?.startsWith(MARKER));

  before(async () => {
    w = await CliWorld.start(atFastPace('pr-without-approval'));
    const { apiUrl, token } = w.test.world.description.github;
    octokit = new Octokit({ auth: token, baseUrl: apiUrl });
    const git = (...args: string[]) => execFileSync('git', args, { cwd: w.root, stdio: 'pipe' });
    git('checkout', '-q', '-B', 'release/2025.4.0', 'origin/develop');
    writeFileSync(path.join(w.root, 'VERSION'), '2025.4.0\n');
    git('commit', '-qam', 'Bump VERSION to 2025.4.0 for release');
    git('push', '-q', 'origin', 'release/2025.4.0');
    pr = (await octokit.rest.pulls.create({ owner: 'rplendos', repo: 'lendos', base: 'main', head: 'release/2025.4.0', title: 'Release 2025.4.0' })).data.number;
    await w.completeBefore('staging.merge-to-main');
  });
  after(async () => w?.close());

  it('refuses --post with JSON or with --out, posting nothing', async () => {
    for (const args of [['--format', 'json'], ['--out', 'report.md']]) {
      const result = await w.lendos('report', '--post', ...args);
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, /--post/);
    }
    assert.deepEqual(await reports(), []);
  });

  it('posts the report on the release PR found by its branch, then leaves it or replaces it in place', async () => {
    const first = await w.lendos('report', '--post');
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, new RegExp(`^Posted the report of release 2025\\.4\\.0 on PR #${pr}: \\S+#issuecomment-\\d+`, 'm'));
    const [posted] = await reports();
    assert.ok(posted);
    assert.match(posted.body ?? '', /^<!-- lendos-release-report 2025\.4\.0 -->\n# Release 2025\.4\.0\n/);

    const again = await w.lendos('report', '--post');
    assert.match(again.stdout, /^Already posted, unchanged: the report of release 2025\.4\.0/m);
    assert.equal((await reports()).length, 1);

    assert.equal((await w.lendos('done', 'recovery.fix-forward', '--note', 'not needed, asked in Teams')).code, 0);
    const moved = await w.lendos('report', '--post');
    assert.match(moved.stdout, /^Updated the report of release 2025\.4\.0/m);
    const after = await reports();
    assert.equal(after.length, 1, 'one report comment per release');
    assert.equal(after[0]?.id, posted.id);
    assert.match(after[0]?.body ?? '', /Fix forward/);

    // The world edits comments as GitHub does: their author may, somebody else may not, a blank body never.
    const { apiUrl, approverToken } = w.test.world.description.github;
    const approver = new Octokit({ auth: approverToken, baseUrl: apiUrl });
    await assert.rejects(approver.rest.issues.updateComment({ owner: 'rplendos', repo: 'lendos', comment_id: posted.id, body: 'mine now' }), { status: 403 });
    await assert.rejects(octokit.rest.issues.updateComment({ owner: 'rplendos', repo: 'lendos', comment_id: posted.id, body: '  ' }), { status: 422 });
    await assert.rejects(octokit.rest.issues.updateComment({ owner: 'rplendos', repo: 'lendos', comment_id: 999_999, body: 'x' }), { status: 404 });
  });
});
