/**
 * 2.2 merge of the release PR on the rehearsal world's GitHub (merges are real git merges on its bare remote), with the
 * real adapter: preflight again when the head moved since 2.1, a conflict with main, the merge commit at the checked
 * head once confirmed, and an already merged PR adopted.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'mocha';
import { GENERATED, GitHubWorld } from './github-harness.js';

const V = '2025.4.0';
const MERGE = 'staging.merge-to-main';
const short = (sha: string) => sha.slice(0, 7);

describe('2.2 merge of the release PR on the rehearsal world', function () {
  this.timeout(180_000);
  let w: GitHubWorld;
  let pr = 0;
  let preflightHead = '';
  const remoteTip = async (branch: string) =>
    (await w.git('ls-remote', 'origin', `refs/heads/${branch}`)).split(/\s/)[0] ?? '';

  before(async () => {
    w = await GitHubWorld.start('fast', [V]);
    await w.pushReleaseBranch(V);
    await w.run(V, 'staging.preflight');
    pr = (await w.releasePull(V))?.number ?? 0;
    await w.approved(pr);
    const passed = await w.run(V, 'staging.preflight');
    assert.equal(passed.result.status, 'succeeded', passed.result.summary);
    preflightHead = String((await w.evidence(V, 'staging.preflight')).headSha);
  });
  after(async () => w?.cleanup());

  it('the head moved since preflight: 2.2 runs preflight on the new head and refuses when it fails; nothing is merged', async () => {
    const main = await remoteTip('main');
    const head = await w.commitAndPush(`release/${V}`, 'Add the generated upgrade by mistake', {
      [`${GENERATED}/Registry.daml`]: 'module Generated.Registry where\n',
    });
    const { result, log, prompt } = await w.run(V, MERGE);
    assert.equal(result.status, 'failed');
    assert.match(
      log.text(),
      new RegExp(
        `The PR's head moved since preflight ran on ${short(preflightHead)}: it is now ${short(head)}\\. Running preflight again on it\\.`,
      ),
    );
    assert.match(
      result.summary,
      new RegExp(
        `^Preflight failed on PR #${pr} at ${short(head)}:\\n✖ No generated code committed: 1 generated file`,
      ),
    );
    assert.match(result.summary, /Nothing was merged: fix them, push, and run 2\.2 again\.$/);
    assert.deepEqual(prompt.asked, [], 'the merge was never asked');
    const evidence = await w.evidence(V, MERGE);
    assert.deepEqual([evidence.pr, evidence.mergeableState, evidence.headSha], [pr, 'clean', head]);
    assert.match(JSON.stringify(evidence.reviews), /"user":"luis-product","state":"APPROVED"/);
    assert.equal((evidence.preflight as { headSha: string }).headSha, head);
    assert.equal(await remoteTip('main'), main);
    assert.equal((await w.releasePull(V))?.state, 'open');
  });

  it('a conflict with main stops with how to resolve it, before anything is merged', async () => {
    await w.commitAndPush(`release/${V}`, 'Remove the generated upgrade', {
      [`${GENERATED}/Registry.daml`]: null,
    });
    await w.git('checkout', '-q', '-B', 'hotfix', 'origin/main');
    writeFileSync(path.join(w.root, 'VERSION'), '2025.3.1\n');
    await w.git('commit', '-qam', 'Hotfix 2025.3.1');
    await w.git('push', '-q', 'origin', 'HEAD:main');
    const main = await remoteTip('main');
    const { result } = await w.run(V, MERGE);
    assert.equal(result.status, 'failed');
    assert.match(
      result.summary,
      new RegExp(
        `^PR #${pr} \\(release/2025\\.4\\.0 → main\\) conflicts with main: GitHub cannot merge it\\. Merge main into the release branch`,
      ),
    );
    assert.match(
      result.summary,
      /git fetch origin && git checkout release\/2025\.4\.0 && git merge origin\/main, resolve, commit, git push .*Nothing was merged\.$/,
    );
    assert.deepEqual(
      [(await w.evidence(V, MERGE)).mergeable, (await w.evidence(V, MERGE)).mergeableState],
      [false, 'dirty'],
    );
    assert.equal(await remoteTip('main'), main, 'main is untouched');
  });

  it('resolved and pushed: preflight on the new head passes, the merge is asked — declined, nothing changes', async () => {
    await w.git('checkout', '-q', `release/${V}`);
    await w.git('merge', '-q', 'origin/main').catch(() => undefined);
    writeFileSync(path.join(w.root, 'VERSION'), `${V}\n`);
    await w.git('add', 'VERSION');
    await w.git('commit', '-q', '--no-edit');
    await w.git('push', '-q', 'origin', `release/${V}`);
    const main = await remoteTip('main');
    const { result, prompt, log } = await w.run(V, MERGE, false);
    assert.equal(result.status, 'cancelled');
    assert.match(result.summary, new RegExp(`Not merged: not confirmed\\. PR #${pr} stays open`));
    assert.match(log.text(), /✔ No generated code committed/);
    assert.match(
      prompt.asked[0] ?? '',
      new RegExp(
        `^Merge PR #${pr} \\(release/2025\\.4\\.0 → main\\) in rplendos/lendos with a merge commit, at its head ${short(await remoteTip(`release/${V}`))}\\?`,
      ),
    );
    assert.equal(await remoteTip('main'), main);
  });

  it('confirmed: merges with a merge commit at the checked head and records pr, url, mergeSha, mergedAt', async () => {
    const head = await remoteTip(`release/${V}`);
    const main = await remoteTip('main');
    const { result } = await w.run(V, MERGE);
    assert.equal(result.status, 'succeeded', result.summary);
    assert.match(
      result.summary,
      new RegExp(`^Merged PR #${pr} into main as [0-9a-f]{7}; the main build has started$`),
    );
    const evidence = await w.evidence(V, MERGE);
    const tip = await remoteTip('main');
    assert.deepEqual([evidence.pr, evidence.headSha, evidence.mergeSha], [pr, head, tip]);
    assert.match(String(evidence.url), new RegExp(`/rplendos/lendos/pull/${pr}$`));
    assert.match(String(evidence.mergedAt), /^\d{4}-\d\d-\d\dT/);
    await w.git('fetch', '-q', 'origin');
    assert.equal(
      await w.git('rev-list', '--parents', '-n', '1', tip),
      `${tip} ${main} ${head}`,
      'a merge commit of main and the head',
    );
  });

  it('already merged: 2.2 and 2.1 adopt it, recording the merge commit', async () => {
    const tip = await remoteTip('main');
    const { result } = await w.run(V, MERGE);
    assert.deepEqual([result.status, 'adopted' in result && result.adopted], ['succeeded', true]);
    assert.match(result.summary, new RegExp(`PR #${pr} is already merged into main as ${short(tip)}`));
    assert.equal((await w.evidence(V, MERGE)).mergeSha, tip);
    await w.service.reset(V, 'staging.preflight');
    const preflight = await w.run(V, 'staging.preflight');
    assert.deepEqual(
      [preflight.result.status, 'adopted' in preflight.result && preflight.result.adopted],
      ['succeeded', true],
    );
  });
});
