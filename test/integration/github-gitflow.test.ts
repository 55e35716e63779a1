/**
 * 3.4 gitflow on the rehearsal world: the main → develop PR opened and merged with a merge commit so that develop
 * contains main's release merge, the release branch kept or deleted as answered, a rerun adopting what is done; and in
 * the gitflow-conflict scenario a stop naming the conflicting file with nothing merged, then the sync branch path.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'mocha';
import { atFastPace } from './rehearsal/world-helpers.js';
import { AnsweringPrompt, GitHubStepsWorld, RELEASE } from './github-steps-harness.js';

const STEP = 'production.gitflow';
const repo = { owner: 'rplendos', repo: 'lendos' };

/** A world whose release PR is merged into main (2.2's evidence journalled) and whose production smoke test is done. */
async function releasedWorld(
  scenario: Parameters<typeof GitHubStepsWorld.start>[0],
): Promise<{ w: GitHubStepsWorld; mergeSha: string }> {
  const w = await GitHubStepsWorld.start(scenario);
  w.pushRelease();
  const mergeSha = await w.mergeReleasePull(await w.openReleasePull());
  await w.markDone('production.smoke-test', 'Luis, REL-123');
  return { w, mergeSha };
}

describe('gitflow (3.4) on the rehearsal world (fast)', function () {
  this.timeout(120_000);
  let w: GitHubStepsWorld;
  let mergeSha: string;
  before(async () => {
    ({ w, mergeSha } = await releasedWorld('fast'));
  });
  after(async () => w?.cleanup());

  it('opens "Sync release 2025.4.0 to develop", merges it with a merge commit; develop contains main’s release merge; the release branch is kept when declined', async () => {
    const developBefore = w.remoteGit('rev-parse', 'develop');
    const prompt = new AnsweringPrompt({}, [[/^Delete release\/2025\.4\.0/, false]]);
    const { result, log } = await w.run(STEP, { prompt });
    assert.equal(result.status, 'succeeded', `${result.summary}\n${log.text()}`);
    assert.deepEqual(
      prompt.asked.map((q) => q.split('?')[0]),
      [
        'Open the PR main → develop "Sync release 2025.4.0 to develop" and merge it with a merge commit',
        'Delete release/2025.4.0 on GitHub (rplendos/lendos)',
      ],
    );
    const evidence = await w.evidence(STEP);
    const [pull] = (
      await w.octokit().rest.pulls.list({ ...repo, base: 'develop', head: 'rplendos:main', state: 'closed' })
    ).data;
    assert.equal(pull?.title, 'Sync release 2025.4.0 to develop');
    assert.equal(pull?.body, 'Syncs changes from release 2025.4.0 (now in main) back to develop');
    assert.equal(evidence['pr'], pull?.number);
    assert.equal(evidence['url'], pull?.html_url);
    const develop = w.remoteGit('rev-parse', 'develop');
    assert.equal(evidence['mergeSha'], develop);
    assert.equal(evidence['releaseMerge'], mergeSha);
    assert.equal(
      w.remoteGit('log', '-1', '--format=%P', 'develop'),
      `${developBefore} ${mergeSha}`,
      'a merge commit whose second parent is main',
    );
    w.remoteGit('merge-base', '--is-ancestor', mergeSha, 'develop');
    assert.equal(evidence['releaseBranch'], 'kept');
    assert.equal(evidence['upgradeBranch'], 'kept');
    assert.ok(
      w.remoteGit('branch', '--list', RELEASE).includes(RELEASE),
      'the release branch is still on GitHub',
    );
    assert.match(
      result.summary,
      /; release\/2025\.4\.0 kept; upgrade\/2025\.4\.0 stays open \(runbook 3\.4\)$/,
    );
  });

  it('a rerun adopts: develop already contains the release merge', async () => {
    await w.service.reset('2025.4.0', STEP);
    const prompt = new AnsweringPrompt();
    const { result } = await w.run(STEP, { prompt });
    assert.equal(result.status, 'succeeded', result.summary);
    assert.ok('adopted' in result && result.adopted);
    assert.deepEqual(prompt.asked, [], 'nothing asked');
    assert.match(
      result.summary,
      new RegExp(
        `^develop already contains the release merge ${mergeSha.slice(0, 7)} \\(PR #\\d+ merged as [0-9a-f]{7}\\)$`,
      ),
    );
    const evidence = await w.evidence(STEP);
    assert.equal(evidence['releaseMerge'], mergeSha);
    assert.equal(evidence['adopted'], true);
  });
});

describe('gitflow (3.4): develop conflicts with main (gitflow-conflict)', function () {
  this.timeout(120_000);
  let w: GitHubStepsWorld;
  let mergeSha: string;
  before(async () => {
    ({ w, mergeSha } = await releasedWorld(atFastPace('gitflow-conflict')));
  });
  after(async () => w?.cleanup());

  it('stops before anything changes, naming the conflicting file and how to resolve it', async () => {
    const developBefore = w.remoteGit('rev-parse', 'develop');
    const prompt = new AnsweringPrompt();
    const { result } = await w.run(STEP, { prompt });
    assert.equal(result.status, 'failed');
    assert.match(
      result.summary,
      /^main does not merge cleanly into develop in rplendos\/lendos: VERSION conflicts\. Nothing was merged\./,
    );
    assert.match(
      result.summary,
      /git checkout -b sync\/2025\.4\.0 origin\/develop\n {2}git merge --no-ff origin\/main {4}# resolve VERSION/,
    );
    assert.deepEqual(prompt.asked, [], 'nothing was asked');
    assert.deepEqual(await w.events(STEP), [], 'a refusal before the start journals nothing');
    assert.equal(w.remoteGit('rev-parse', 'develop'), developBefore);
    assert.deepEqual(
      (await w.octokit().rest.pulls.list({ ...repo, base: 'develop' })).data,
      [],
      'no PR opened',
    );
  });

  it('an open main → develop PR that GitHub shows dirty is named too; still nothing merged', async () => {
    const opened = (
      await w
        .octokit()
        .rest.pulls.create({
          ...repo,
          base: 'develop',
          head: 'main',
          title: 'Sync release 2025.4.0 to develop',
        })
    ).data;
    const { result } = await w.run(STEP);
    assert.equal(result.status, 'failed');
    assert.match(
      result.summary,
      new RegExp(
        `VERSION conflicts\\. PR #${opened.number} \\(https://github\\.com/rplendos/lendos/pull/${opened.number}\\) shows the conflict\\. Nothing was merged\\.`,
      ),
    );
    assert.equal(
      (await w.octokit().rest.pulls.get({ ...repo, pull_number: opened.number })).data.merged,
      false,
    );
  });

  it('after the conflict is resolved on sync/2025.4.0, merges that branch; develop contains the release merge; the release branch is deleted when confirmed', async () => {
    w.git('fetch', '-q', 'origin');
    w.git('checkout', '-q', '-b', 'sync/2025.4.0', 'origin/develop');
    assert.throws(() => w.git('merge', '--no-ff', '-q', 'origin/main'), 'the conflict is real');
    writeFileSync(path.join(w.root, 'VERSION'), '2025.5.0\n');
    w.git('add', 'VERSION');
    w.git('commit', '-q', '--no-edit');
    w.git('push', '-q', '-u', 'origin', 'sync/2025.4.0');
    const { result, log } = await w.run(STEP, { prompt: new AnsweringPrompt() });
    assert.equal(result.status, 'succeeded', `${result.summary}\n${log.text()}`);
    const evidence = await w.evidence(STEP);
    assert.equal(evidence['head'], 'sync/2025.4.0');
    assert.equal(evidence['releaseBranch'], 'deleted');
    w.remoteGit('merge-base', '--is-ancestor', mergeSha, 'develop');
    assert.equal(w.remoteGit('show', 'develop:VERSION'), '2025.5.0');
    assert.equal(w.remoteGit('branch', '--list', RELEASE), '', 'the release branch is gone from GitHub');
    assert.match(
      result.summary,
      /^Merged PR #\d+ \(sync\/2025\.4\.0 → develop\) as [0-9a-f]{7}: develop contains the release merge [0-9a-f]{7}; release\/2025\.4\.0 deleted;/,
    );
    assert.match(log.text(), /PR #\d+ \(main → develop\) has nothing left to merge now: close it/);
  });
});
