/**
 * 2.5 and 3.3 on the rehearsal world: product's approval found on the release PR through the real GitHub adapter —
 * the world's approver reviewing it, or commenting `/approve staging|production` with their own token — recorded as
 * who, when and where; a non-approver's comment said and ignored; the wait shown and ended by a cancel; production
 * refused before staging's approval.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import { atFastPace } from './rehearsal/world-helpers.js';
import { AnsweringPrompt, GitHubStepsWorld, VERSION } from './github-steps-harness.js';

const PULL_URL = /^https:\/\/github\.com\/rplendos\/lendos\/pull\/\d+/;

describe('approvals: the world’s approver reviews the release PR (fast)', function () {
  this.timeout(120_000);
  let w: GitHubStepsWorld;
  let pr: number;
  before(async () => {
    w = await GitHubStepsWorld.start('fast');
    w.pushRelease();
    pr = await w.openReleasePull();
    await w.recordSuccess('staging.preflight', { pr });
    await w.markDone('staging.upgrade.validate');
    await w.markDone('production.upgrade.validate');
  });
  after(async () => w?.cleanup());

  it('production is refused before staging’s approval is recorded, and nothing is journalled', async () => {
    const { result } = await w.run('production.smoke-test');
    assert.equal(result.status, 'failed');
    assert.match(
      result.summary,
      /^Production's smoke test approval waits for staging's: 2\.5 \(staging\.smoke-approval\) is pending\. Product approves staging first/,
    );
    assert.deepEqual(await w.events('production.smoke-test'), []);
  });

  it('staging: finds luis-product’s review and records who, when and where', async () => {
    const { result, log } = await w.run('staging.smoke-approval');
    assert.equal(result.status, 'succeeded', `${result.summary}\n${log.text()}`);
    const [review] = (
      await w.octokit().rest.pulls.listReviews({ owner: 'rplendos', repo: 'lendos', pull_number: pr })
    ).data;
    assert.ok(review?.submitted_at);
    const evidence = await w.evidence('staging.smoke-approval');
    assert.deepEqual(evidence['approval'], {
      by: 'luis-product',
      at: review.submitted_at,
      where: review.html_url,
      how: 'review',
    });
    assert.equal(evidence['pr'], pr);
    assert.match(String(evidence['prUrl']), PULL_URL);
    assert.match(
      result.summary,
      /^Approved for staging by luis-product on \d{4}-\d\d-\d\d \d\d:\d\d UTC \(review: https:\/\/github\.com\/rplendos\/lendos\/pull\/\d+#pullrequestreview-\d+\)$/,
    );
    const view = await w.service.view(VERSION);
    assert.equal(view.plan.find((p) => p.step.id === 'staging.smoke-approval')?.state.markedByHand, false);
    assert.equal(view.runbook.steps.find((s) => s.id === 'staging.smoke-approval')?.checkable, true);
  });

  it('production: waits, visibly, ignoring a non-approver’s /approve production, until the approver comments it', async () => {
    const abort = new AbortController();
    const running = w.run('production.smoke-test', { signal: abort.signal });
    const waiting = await w.waitForEvent('production.smoke-test', (e) => e.type === 'step.progress');
    assert.equal(waiting.message, 'waiting for luis-product: next check in 1 s');
    const ignored = await w.comment('engineer', pr, 'Production looks fine to me.\n/approve production');
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const approving = await w.comment('approver', pr, 'Smoke tests pass in production.\n/APPROVE production');
    const { result, log } = await running;
    assert.equal(result.status, 'succeeded', `${result.summary}\n${log.text()}`);
    assert.match(
      log.text(),
      new RegExp(
        `Ignored: comment by rehearsal-engineer, not a product approver \\(${ignored.replace(/[.?]/g, '\\$&')}\\)`,
      ),
    );
    assert.match(
      log.text(),
      /luis-product must approve release 2025\.4\.0 on https:\/\/github\.com\/rplendos\/lendos\/pull\/\d+ \(a comment "\/approve production", after the staging approval\)/,
    );
    const evidence = await w.evidence('production.smoke-test');
    const approval = evidence['approval'] as { by: string; where: string; how: string; at: string };
    assert.deepEqual([approval.by, approval.where, approval.how], ['luis-product', approving, 'comment']);
    const staging = (await w.evidence('staging.smoke-approval'))['approval'] as { at: string };
    assert.ok(Date.parse(approval.at) >= Date.parse(staging.at), 'after the staging approval');
    assert.deepEqual(evidence['ignored'], [
      `comment by rehearsal-engineer, not a product approver (${ignored})`,
    ]);
    const events = (await w.events('production.smoke-test')).map((e) => e.type);
    assert.deepEqual(
      events,
      ['step.started', 'step.progress', 'step.succeeded'],
      'the unchanged wait is journalled once',
    );
  });
});

describe('approvals: no product approval yet (pr-without-approval)', function () {
  this.timeout(120_000);
  let w: GitHubStepsWorld;
  let pr: number;
  before(async () => {
    w = await GitHubStepsWorld.start(atFastPace('pr-without-approval'));
    w.pushRelease();
    pr = await w.openReleasePull();
    await w.recordSuccess('staging.preflight', { pr });
    await w.markDone('staging.upgrade.validate');
  });
  after(async () => w?.cleanup());

  it('looking once finds nothing: says who must approve and where, and journals nothing', async () => {
    const { result } = await w.run('staging.smoke-approval', { prompt: new AnsweringPrompt({ wait: 'no' }) });
    assert.equal(result.status, 'failed');
    assert.match(
      result.summary,
      /^Not approved yet: luis-product must approve release 2025\.4\.0 on https:\/\/github\.com\/rplendos\/lendos\/pull\/\d+ \(a review approving it, or a comment "\/approve staging"\)\./,
    );
    assert.deepEqual(await w.events('staging.smoke-approval'), []);
  });

  it('waits, ignoring a non-approver’s /approve staging, until cancelled: the journal says who must approve and where', async () => {
    const abort = new AbortController();
    const running = w.run('staging.smoke-approval', { signal: abort.signal });
    await w.waitForEvent('staging.smoke-approval', (e) => e.type === 'step.progress');
    const ignored = await w.comment('engineer', pr, '/approve staging');
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    abort.abort();
    const { result, log } = await running;
    assert.equal(result.status, 'cancelled', result.summary);
    assert.ok(
      log.lines.includes(`info: Ignored: comment by rehearsal-engineer, not a product approver (${ignored})`),
      log.text(),
    );
    const cancelled = (await w.events('staging.smoke-approval')).find((e) => e.type === 'step.cancelled');
    assert.match(
      cancelled?.message ?? '',
      /^Stopped waiting for product's approval; nothing was recorded\. luis-product must approve release 2025\.4\.0 on https:\/\/github\.com\/rplendos\/lendos\/pull\/\d+ \(a review approving it, or a comment "\/approve staging"\)\./,
    );
    assert.match(
      cancelled?.message ?? '',
      /Check Approval Now \(lendos run staging\.smoke-approval --set wait=no\)/,
    );
  });

  it('the approver’s /approve staging comment is the approval', async () => {
    const approving = await w.comment('approver', pr, 'Smoke tests pass on staging.\n/approve staging');
    const { result } = await w.run('staging.smoke-approval', { prompt: new AnsweringPrompt({ wait: 'no' }) });
    assert.equal(result.status, 'succeeded', result.summary);
    const approval = (await w.evidence('staging.smoke-approval'))['approval'] as Record<string, string>;
    assert.deepEqual(
      [approval['by'], approval['where'], approval['how']],
      ['luis-product', approving, 'comment'],
    );
  });
  it('production after a staging approval marked by hand: the approver’s /approve production counts', async () => {
    await w.service.reset(VERSION, 'staging.smoke-approval');
    await w.markDone('staging.smoke-approval', 'Luis, REL-123');
    await w.markDone('production.upgrade.validate');
    const approving = await w.comment('approver', pr, '/approve production');
    const { result, log } = await w.run('production.smoke-test', {
      prompt: new AnsweringPrompt({ wait: 'no' }),
    });
    assert.equal(result.status, 'succeeded', `${result.summary}\n${log.text()}`);
    assert.ok(
      log.lines.includes(
        `info: Staging was approved by hand ("Luis, REL-123"): a product approver's /approve production comment counts.`,
      ),
      log.text(),
    );
    assert.equal(
      ((await w.evidence('production.smoke-test'))['approval'] as Record<string, string>)['where'],
      approving,
    );
  });
});
