/**
 * Product's approval through the built CLI (`dist/cli.js`) against a world whose approver has not approved yet:
 * `lendos run … --set wait=no` looks once ("not yet" changes nothing), finds the approver's comment once made, and a
 * plain `lendos run` waits until Ctrl-C, which ends it as a cancel saying who must approve and where.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Octokit } from '@octokit/rest';
import { after, before, describe, it } from 'mocha';
import { CliWorld } from './cli-world.js';
import { atFastPace } from './rehearsal/world-helpers.js';

const WHO_AND_WHERE = /luis-product must approve release 2025\.4\.0 on https:\/\/github\.com\/rplendos\/lendos\/pull\/\d+ \(a review approving it, or a comment "\/approve staging"\)/;

describe('product approval through the built CLI (pr-without-approval)', function () {
  this.timeout(180_000);
  let w: CliWorld;
  let pr: number;
  const octokit = (who: 'engineer' | 'approver') => {
    const { apiUrl, token, approverToken } = w.test.world.description.github;
    return new Octokit({ auth: who === 'approver' ? approverToken : token, baseUrl: apiUrl });
  };

  before(async () => {
    w = await CliWorld.start(atFastPace('pr-without-approval'));
    const git = (...args: string[]) => execFileSync('git', args, { cwd: w.root, stdio: 'pipe' });
    git('checkout', '-q', '-B', 'release/2025.4.0', 'origin/develop');
    writeFileSync(path.join(w.root, 'VERSION'), '2025.4.0\n');
    git('commit', '-qam', 'Bump VERSION to 2025.4.0 for release');
    git('push', '-q', 'origin', 'release/2025.4.0');
    // No step recorded the PR: the approval step finds it by the release branch.
    const created = await octokit('engineer').rest.pulls.create({ owner: 'rplendos', repo: 'lendos', base: 'main', head: 'release/2025.4.0', title: 'Release 2025.4.0' });
    pr = created.data.number;
    await w.completeBefore('staging.smoke-approval');
  });
  after(async () => w?.close());

  it('plan marks the approval as looked for; --set takes only wait', async () => {
    const plan = await w.lendos('plan');
    assert.match(plan.stdout, /2\.5 +Product smoke testing and approval {2}\[staging\.smoke-approval\] \(approval, lendos run looks for it\)/);
    const json = JSON.parse((await w.lendos('plan', '--json')).stdout) as { id: string; kind: string; checkable?: boolean }[];
    assert.deepEqual(json.find((s) => s.id === 'production.smoke-test'), { ...json.find((s) => s.id === 'production.smoke-test'), kind: 'approval', checkable: true });
    const wrong = await w.lendos('run', 'staging.smoke-approval', '--set', 'to=0.1.93');
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /--set to: staging\.smoke-approval does not ask for this field; it accepts --set wait\. Nothing was run\./);
  });

  it('--set wait=no looks once: not approved yet, exit 1, nothing journalled', async () => {
    const once = await w.lendos('run', 'staging.smoke-approval', '--set', 'wait=no');
    assert.equal(once.code, 1, once.stdout + once.stderr);
    assert.match(once.stdout + once.stderr, new RegExp(`Not approved yet: ${WHO_AND_WHERE.source}`));
    assert.deepEqual(await w.events('staging.smoke-approval'), []);
  });

  it('a plain run waits, showing the interval, until Ctrl-C: a cancel that says who must approve and where', async () => {
    const live = w.spawn('run', 'staging.smoke-approval', '--yes');
    const progress = await w.waitForEvent('staging.smoke-approval', 'step.progress');
    assert.equal(progress.message, 'waiting for luis-product: next check in 30 s');
    live.child.kill('SIGINT');
    const ended = await live.exited;
    assert.equal(ended.code, 1, live.output());
    const cancelled = await w.waitForEvent('staging.smoke-approval', 'step.cancelled');
    assert.match(cancelled.message ?? '', WHO_AND_WHERE);
    assert.match(live.output(), /staging\.smoke-approval: cancelled — Stopped waiting for product's approval; nothing was recorded\./);
  });

  it('after the approver comments /approve staging, one look records who, when and where', async () => {
    const { data } = await octokit('approver').rest.issues.createComment({ owner: 'rplendos', repo: 'lendos', issue_number: pr, body: 'Smoke tests pass.\n/approve staging' });
    const once = await w.lendos('run', 'staging.smoke-approval', '--set', 'wait=no');
    assert.equal(once.code, 0, once.stdout + once.stderr);
    assert.match(once.stdout, /staging\.smoke-approval: succeeded \(already done\) — Approved for staging by luis-product on \d{4}-\d\d-\d\d \d\d:\d\d UTC \(comment: https:\/\/github\.com\/rplendos\/lendos\/pull\/\d+#issuecomment-\d+\)/);
    const succeeded = (await w.events('staging.smoke-approval')).find((e) => e.type === 'step.succeeded');
    assert.deepEqual(succeeded?.data?.['approval'], { by: 'luis-product', at: data.created_at, where: data.html_url, how: 'comment' });
    const status = JSON.parse((await w.lendos('status', '--json')).stdout) as { steps: { id: string; status: string; markedByHand: boolean }[] };
    const row = status.steps.find((s) => s.id === 'staging.smoke-approval');
    assert.deepEqual([row?.status, row?.markedByHand], ['succeeded', false]);
  });
});
