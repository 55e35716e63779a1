/**
 * Preflight in the rehearsal scenarios made for it (at the fast world's pace): `pr-without-approval` fails the approval
 * check only, `milestone-open-issues` fails the milestone check only, listing the open issues — through the 2.1 step
 * and through `lendos preflight --pr N` (built CLI), which agree.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'mocha';
import type { Scenario } from '../../rehearsal/src/index.js';
import { CLI, ensureBuiltCli } from './cli-helpers.js';
import { GitHubWorld } from './github-harness.js';
import { atFastPace, run, worldEnv } from './rehearsal/world-helpers.js';

const V = '2025.4.0';
const STEP = 'staging.preflight';

interface Check {
  check: string;
  status: string;
  detail: string;
  fix?: string;
}
const statuses = (checks: readonly Check[]) => Object.fromEntries(checks.map((c) => [c.check, c.status]));

/** The world of `scenario` with release 2025.4.0's PR opened by the 2.1 step. */
async function worldWithPull(scenario: Scenario): Promise<{ w: GitHubWorld; pr: number }> {
  ensureBuiltCli();
  const w = await GitHubWorld.start(scenario, [V]);
  await w.pushReleaseBranch(V);
  await w.run(V, STEP);
  return { w, pr: (await w.releasePull(V))?.number ?? 0 };
}

async function cliReport(
  w: GitHubWorld,
  pr: number,
): Promise<{ code: number; checks: Check[]; passed: boolean }> {
  const result = await run(
    process.execPath,
    [CLI, 'preflight', '--pr', String(pr), '--json', '--world', w.test.world.worldFile],
    {
      cwd: w.root,
      env: worldEnv(w.test.world),
    },
  );
  return { code: result.code, ...(JSON.parse(result.stdout) as { checks: Check[]; passed: boolean }) };
}

describe('preflight in the rehearsal scenarios', function () {
  this.timeout(180_000);
  let w: GitHubWorld | undefined;
  after(async () => w?.cleanup());

  it('pr-without-approval: only the approval check fails, saying who must approve; the CLI agrees', async () => {
    const opened = await worldWithPull(atFastPace('pr-without-approval'));
    w = opened.w;
    // Well past the ~45 world-seconds after which the approver would have reviewed.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const { result } = await w.run(V, STEP);
    assert.equal(result.status, 'failed');
    assert.match(
      result.summary,
      new RegExp(
        `^Preflight failed on PR #${opened.pr} at [0-9a-f]{7}:\\n✖ Product approval on the PR: PR #${opened.pr} has no product approval: it has no reviews yet\\.`,
      ),
    );
    assert.match(
      result.summary,
      /→ Ask luis-product \(product approvers\) to review and approve PR #\d+ \(.*\); then run preflight again\.\nFix them and run 2\.1 again\.$/,
    );
    const checks = (await w.evidence(V, STEP)).checks as unknown as Check[];
    assert.deepEqual(statuses(checks), {
      version: 'pass',
      'generated-code': 'pass',
      milestone: 'pass',
      approval: 'fail',
    });
    const cli = await cliReport(w, opened.pr);
    assert.deepEqual([cli.code, cli.passed, statuses(cli.checks)], [1, false, statuses(checks)]);
    await w.cleanup();
    w = undefined;
  });

  it('milestone-open-issues: only the milestone check fails, listing the open issues with their assignees; the CLI agrees', async () => {
    const opened = await worldWithPull(atFastPace('milestone-open-issues'));
    w = opened.w;
    await w.approved(opened.pr);
    const { result } = await w.run(V, STEP);
    assert.equal(result.status, 'failed');
    const checks = (await w.evidence(V, STEP)).checks as unknown as Check[];
    assert.deepEqual(statuses(checks), {
      version: 'pass',
      'generated-code': 'pass',
      milestone: 'fail',
      approval: 'pass',
    });
    const milestone = checks.find((c) => c.check === 'milestone') as Check & {
      evidence: { open: { number: number; title: string }[] };
    };
    assert.match(
      milestone.detail,
      /^Milestone 2025\.4\.0 has 2 open issue\(s\): #\d+ .+ \((assigned to [\w-]+|unassigned)\); #\d+ .+ \((assigned to [\w-]+|unassigned)\)\.$/,
    );
    assert.equal(milestone.evidence.open.length, 2);
    assert.match(
      milestone.fix ?? '',
      /Close them, or move those that are not in this release to the next milestone/,
    );
    assert.match(result.summary, /✖ Milestone complete: Milestone 2025\.4\.0 has 2 open issue\(s\)/);
    const cli = await cliReport(w, opened.pr);
    assert.deepEqual([cli.code, statuses(cli.checks)], [1, statuses(checks)]);
  });
});
