/**
 * 2.1 preflight and the release PR on the rehearsal world's GitHub with the real adapter: a PR on the wrong base or
 * closed unmerged, the PR opened once confirmed, the four checks (passing once the approver reviewed, and each way they
 * fail), and `lendos preflight` through the built CLI giving the step's verdict.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import { preflightFor } from '../../src/steps/github/preflight-target.js';
import { CLI, ensureBuiltCli } from './cli-helpers.js';
import { GENERATED, GitHubWorld, LENDOS } from './github-harness.js';
import { run, worldEnv, type ProcessResult } from './rehearsal/world-helpers.js';

const V = '2025.4.0';
const STEP = 'staging.preflight';

interface Check {
  check: string;
  status: string;
  detail: string;
  fix?: string;
}
interface Report {
  version: string;
  pr: number | null;
  headSha: string | null;
  checks: Check[];
  passed: boolean;
}
const statuses = (checks: readonly Check[]) => Object.fromEntries(checks.map((c) => [c.check, c.status]));
const byId = (checks: readonly Check[], id: string) => checks.find((c) => c.check === id) as Check;

describe('2.1 preflight and the release PR on the rehearsal world', function () {
  this.timeout(180_000);
  let w: GitHubWorld;
  let pr = 0;
  const lendos = (...args: string[]): Promise<ProcessResult> =>
    run(process.execPath, [CLI, ...args, '--world', w.test.world.worldFile], {
      cwd: w.root,
      env: worldEnv(w.test.world),
    });
  const json = async (...args: string[]): Promise<{ code: number; report: Report }> => {
    const result = await lendos('preflight', '--json', ...args);
    return { code: result.code, report: JSON.parse(result.stdout) as Report };
  };

  before(async () => {
    ensureBuiltCli();
    w = await GitHubWorld.start('fast', [V, '2025.5.0', '2025.6.0']);
    await w.pushReleaseBranch(V);
  });
  after(async () => w?.cleanup());

  it('a release PR on another base is refused, saying what to do; nothing is journalled', async () => {
    const wrong = await w.gh.createPull(LENDOS, {
      head: `release/${V}`,
      base: 'develop',
      title: 'Release 2025.4.0',
      body: '',
    });
    const { result } = await w.run(V, STEP);
    assert.equal(result.status, 'failed');
    assert.match(
      result.summary,
      new RegExp(
        `PR #${wrong.number} .* goes release/2025\\.4\\.0 → develop, not → main.*Change its base to main`,
      ),
    );
    assert.deepEqual(await w.events(V, STEP), []);
    await w.setPullState(wrong.number, 'closed');
  });

  it('declined, the release PR is not opened and nothing is journalled', async () => {
    const { result, prompt } = await w.run(V, STEP, false);
    assert.equal(result.status, 'cancelled');
    assert.match(
      prompt.asked[0] ?? '',
      /Open release\/2025\.4\.0 → main in rplendos\/lendos titled "Release 2025\.4\.0"\?/,
    );
    assert.match(prompt.asked[0] ?? '', /^- #5822 Pre-flight validation checklist$/m);
    assert.equal(await w.releasePull(V), undefined);
    assert.deepEqual(await w.events(V, STEP), []);
  });

  it('opens the release PR once confirmed — titled, listing the closed issues — and records the four checks', async () => {
    const { result } = await w.run(V, STEP);
    const pull = await w.releasePull(V);
    assert.ok(pull, result.summary);
    pr = pull.number;
    assert.equal(pull.title, 'Release 2025.4.0');
    assert.match(pull.body, /^- #5790 Bulk signature requests in the Signing Portal$/m);
    const evidence = await w.evidence(V, STEP);
    assert.equal(evidence.pr, pr);
    assert.equal(evidence.headSha, pull.headSha);
    const checks = evidence.checks as unknown as Check[];
    // The approver reviews ~45 world-seconds after the PR opens: only that check may still fail here.
    assert.deepEqual(
      { ...statuses(checks), approval: 'any' },
      { version: 'pass', 'generated-code': 'pass', milestone: 'pass', approval: 'any' },
    );
    if (result.status === 'failed')
      assert.match(
        result.summary,
        /✖ Product approval on the PR: .*no product approval.*\n.*Ask luis-product/,
      );
  });

  it('passes once the product approver has reviewed, on the same PR (adopted, not opened twice)', async () => {
    await w.approved(pr);
    const { result, log } = await w.run(V, STEP);
    assert.equal(result.status, 'succeeded', result.summary);
    assert.match(result.summary, new RegExp(`Preflight passed on PR #${pr} at [0-9a-f]{7}: all 4 checks`));
    assert.match(
      log.text(),
      /✔ Product approval on the PR: PR #\d+ is approved by luis-product on the head [0-9a-f]{7}\./,
    );
    assert.match(
      log.text(),
      /✔ Milestone complete: Milestone 2025\.4\.0: \d+ closed issue\(s\), none open\./,
    );
    const evidence = await w.evidence(V, STEP);
    assert.equal(evidence.passed, true);
    assert.equal((evidence.checks as unknown as Check[]).length, 4);
    assert.equal(
      (await w.gh.findPulls(LENDOS, { head: `release/${V}`, base: 'main', state: 'all' })).length,
      1,
    );
  });

  it('lendos preflight --pr N (built CLI, read-only) gives the same verdict: exit 0, each check ✔, --json shape', async () => {
    const journalled = (await w.events(V, STEP)).length;
    const text = await lendos('preflight', '--pr', String(pr));
    assert.equal(text.code, 0, text.stderr);
    assert.equal(text.stdout.match(/^✔ /gm)?.length, 4, text.stdout);
    assert.match(text.stdout, /Preflight passed\./);
    const { code, report } = await json('--pr', String(pr));
    assert.equal(code, 0);
    assert.deepEqual(
      [report.version, report.pr, report.passed, report.headSha],
      [V, pr, true, (await w.evidence(V, STEP)).headSha],
    );
    assert.deepEqual(Object.keys(statuses(report.checks)), [
      'version',
      'generated-code',
      'milestone',
      'approval',
    ]);
    assert.equal((await w.events(V, STEP)).length, journalled, 'lendos preflight journals nothing');
  });

  it('lendos preflight without --pr checks the local release branch and skips the PR checks, saying why', async () => {
    const local = await lendos('preflight');
    assert.equal(local.code, 0, local.stderr);
    assert.match(local.stdout, /Preflight of release 2025\.4\.0 on release\/2025\.4\.0 in this workspace/);
    assert.equal(local.stdout.match(/^✔ /gm)?.length, 2, local.stdout);
    assert.match(local.stdout, /^– Milestone complete: No PR given: .*lendos preflight --pr N/m);
    assert.match(local.stdout, /2 check\(s\) skipped without a PR/);
  });

  it('an unknown PR number fails with what to check (exit 1); a PR number that is not one is a usage error (exit 2)', async () => {
    const unknown = await lendos('preflight', '--pr', '99999');
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /There is no pull request #99999 in rplendos\/lendos: check the number/);
    const usage = await lendos('preflight', '--pr', 'latest');
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /--pr takes a pull request number/);
  });

  it('an approval only from someone who is not a product approver fails the approval check, naming them', async () => {
    const config = { ...w.config, github: { ...w.config.github, productApprovers: ['ana-product'] } };
    const report = await preflightFor({ ports: w.ports, config, onWait: () => undefined }, { pr });
    assert.deepEqual(statuses(report.checks), {
      version: 'pass',
      'generated-code': 'pass',
      milestone: 'pass',
      approval: 'fail',
    });
    const approval = byId(report.checks, 'approval');
    assert.match(
      approval.detail,
      /has no product approval: approved by luis-product, who is not a product approver\./,
    );
    assert.match(approval.fix ?? '', /^Ask ana-product \(product approvers\) to review and approve PR #\d+/);
  });

  it('generated code on the head fails that check, naming the files; an approval of an earlier commit is said so', async () => {
    await w.commitAndPush(`release/${V}`, 'Add the generated upgrade by mistake', {
      [`${GENERATED}/Registry.daml`]: 'module Generated.Registry where\n',
      [`${GENERATED}/manifest.json`]: '{}\n',
    });
    const { code, report } = await json('--pr', String(pr));
    assert.equal(code, 1);
    assert.deepEqual(statuses(report.checks), {
      version: 'pass',
      'generated-code': 'fail',
      milestone: 'pass',
      approval: 'pass',
    });
    const generated = byId(report.checks, 'generated-code');
    assert.match(
      generated.detail,
      /^2 generated file\(s\) committed under .*Generated at the head [0-9a-f]{7} of PR #\d+: .*Generated\/Registry\.daml, .*Generated\/manifest\.json\.$/,
    );
    assert.match(
      generated.fix ?? '',
      /git rm -r --cached services\/portal-daml-upgrade\/src\/main\/daml\/Generated/,
    );
    assert.match(
      byId(report.checks, 'approval').detail,
      /approved by luis-product on an earlier commit [0-9a-f]{7} \(the head is now [0-9a-f]{7}\)/,
    );
  });

  it('a PR closed without merging is reported with what to do; a wrong VERSION on the head fails the VERSION check', async () => {
    await w.pushReleaseBranch('2025.5.0', V);
    const closed = await w.gh.createPull(LENDOS, {
      head: 'release/2025.5.0',
      base: 'main',
      title: 'Release 2025.5.0',
      body: '',
    });
    await w.setPullState(closed.number, 'closed');
    const { result } = await w.run('2025.5.0', STEP);
    assert.equal(result.status, 'failed');
    assert.match(
      result.summary,
      new RegExp(`release PR #${closed.number} .* was closed without being merged.*reopen it on GitHub`),
    );
    assert.deepEqual(await w.events('2025.5.0', STEP), []);
    await w.setPullState(closed.number, 'open');
    const { code, report } = await json('--pr', String(closed.number));
    assert.equal(code, 1);
    assert.equal(report.version, '2025.5.0', 'the version comes from the head branch');
    const version = byId(report.checks, 'version');
    assert.equal(version.status, 'fail');
    assert.match(
      version.detail,
      /VERSION at the head [0-9a-f]{7} of PR #\d+ reads "2025\.4\.0", not 2025\.5\.0\./,
    );
    assert.match(version.fix ?? '', /Write 2025\.5\.0 to VERSION on release\/2025\.5\.0, commit and push/);
  });

  it('a release without its milestone says which milestones there are', async () => {
    await w.pushReleaseBranch('2025.6.0');
    const pull = await w.gh.createPull(LENDOS, {
      head: 'release/2025.6.0',
      base: 'main',
      title: 'Release 2025.6.0',
      body: '',
    });
    const { code, report } = await json('--pr', String(pull.number));
    assert.equal(code, 1);
    const milestone = byId(report.checks, 'milestone');
    assert.equal(milestone.status, 'fail');
    assert.match(
      milestone.detail,
      /^No milestone is named 2025\.6\.0\. Milestones: 2025\.3\.0 \(closed\), 2025\.4\.0 \(open\), 2025\.5\.0 \(open\)\.$/,
    );
    assert.match(milestone.fix ?? '', /Create milestone 2025\.6\.0 on GitHub/);
  });
});
