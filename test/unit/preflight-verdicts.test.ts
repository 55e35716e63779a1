import assert from 'node:assert/strict';
import type { MilestoneInfo, PullInfo, ReviewInfo, WorkflowRunInfo } from '../../src/ports.js';
import { mergeBlocker, mergeWarning, reviewsLine } from '../../src/steps/github/merge-state.js';
import { reportLines, type PreflightReport } from '../../src/steps/github/preflight.js';
import {
  approvalVerdict,
  findMilestone,
  generatedVerdict,
  latestDecisions,
  milestoneVerdict,
  missingMilestoneVerdict,
  result,
  versionVerdict,
} from '../../src/steps/github/preflight-verdicts.js';
import { releasePullBody } from '../../src/steps/github/release-pull.js';

const HEAD = 'a'.repeat(40);
const OLD = 'b'.repeat(40);
const pull: PullInfo = {
  number: 12,
  url: 'https://github.com/rplendos/lendos/pull/12',
  title: 'Release 2025.4.0',
  body: '',
  state: 'open',
  merged: false,
  head: 'release/2025.4.0',
  headSha: HEAD,
  base: 'main',
  mergeable: true,
  mergeableState: 'clean',
  author: 'ada',
  createdAt: '2025-11-10T09:00:00Z',
};
let id = 0;
const review = (
  user: string,
  state: string,
  commitId = HEAD,
  submittedAt = `2025-11-10T10:0${id}:00Z`,
): ReviewInfo => ({ id: ++id, user, state, commitId, submittedAt, url: '' });
const approvers = { logins: new Set(['luis-product']), described: 'luis-product' };
const milestone = (title: string, state: 'open' | 'closed' = 'open'): MilestoneInfo => ({
  number: 3,
  title,
  state,
  openIssues: 0,
  closedIssues: 4,
  url: 'https://github.com/rplendos/lendos/milestone/3',
});

describe('preflight verdicts', () => {
  it('VERSION: equal passes; another version or no file fails with the fix on the release branch', () => {
    assert.equal(versionVerdict('2025.4.0\n', '2025.4.0', 'the head', 'release/2025.4.0').status, 'pass');
    const wrong = versionVerdict('2025.3.0\n', '2025.4.0', 'the head', 'release/2025.4.0');
    assert.deepEqual(
      [wrong.status, wrong.detail],
      ['fail', 'VERSION at the head reads "2025.3.0", not 2025.4.0.'],
    );
    assert.match(wrong.fix ?? '', /Write 2025\.4\.0 to VERSION on release\/2025\.4\.0/);
    assert.match(
      versionVerdict(undefined, '2025.4.0', 'the head', 'release/2025.4.0').detail,
      /There is no VERSION file at the head/,
    );
  });

  it('generated code: names the first five offenders and how many more', () => {
    const paths = Array.from({ length: 7 }, (_, i) => `G/f${i}.daml`);
    const verdict = generatedVerdict(paths, 'the head', 'release/2025.4.0');
    assert.match(
      verdict.detail,
      /^7 generated file\(s\) committed under .*: G\/f0\.daml, G\/f1\.daml, G\/f2\.daml, G\/f3\.daml, G\/f4\.daml and 2 more\.$/,
    );
    assert.equal(generatedVerdict([], 'x', 'y').fix, undefined, 'a passing check has no fix');
  });

  it('milestone: exact title only; one named differently is suggested for renaming', () => {
    const all = [
      milestone('2025.3.0', 'closed'),
      milestone('Release 2025.6.0'),
      milestone('v2025.6.0'),
      milestone('2025.6.01'),
    ];
    const { found, similar } = findMilestone(all, '2025.6.0');
    assert.equal(found, undefined);
    assert.deepEqual(
      similar.map((m) => m.title),
      ['Release 2025.6.0', 'v2025.6.0'],
    );
    const missing = missingMilestoneVerdict(all, '2025.6.0', similar);
    assert.match(
      missing.detail,
      /^No milestone is named 2025\.6\.0\. Milestones: 2025\.3\.0 \(closed\), Release 2025\.6\.0 \(open\), v2025\.6\.0 \(open\), 2025\.6\.01 \(open\)\.$/,
    );
    assert.equal(
      missing.fix,
      'Rename milestone "Release 2025.6.0" to "2025.6.0": the release\'s milestone is named by its version, exactly.',
    );
    const open = milestoneVerdict(milestone('2025.4.0'), [
      { number: 5824, title: 'Script service shutdown', state: 'open', url: '', assignee: 'tbecker-lendos' },
      { number: 5825, title: 'RC builds', state: 'open', url: '' },
    ]);
    assert.equal(
      open.detail,
      'Milestone 2025.4.0 has 2 open issue(s): #5824 Script service shutdown (assigned to tbecker-lendos); #5825 RC builds (unassigned).',
    );
  });

  it('approval: the latest decisive review per person counts; an earlier commit is said; non-approvers are named', () => {
    const onHead = approvalVerdict(pull, [review('luis-product', 'APPROVED')], approvers);
    assert.deepEqual(
      [onHead.status, onHead.detail],
      ['pass', `PR #12 is approved by luis-product on the head ${HEAD.slice(0, 7)}.`],
    );
    const earlier = approvalVerdict(
      pull,
      [review('luis-product', 'APPROVED', OLD), review('mchen-lendos', 'APPROVED')],
      approvers,
    );
    assert.equal(
      earlier.detail,
      `PR #12 is approved by luis-product on an earlier commit ${OLD.slice(0, 7)} (the head is now ${HEAD.slice(0, 7)}) (approved by mchen-lendos, who is not a product approver).`,
    );
    const others = approvalVerdict(
      pull,
      [review('mchen-lendos', 'APPROVED'), review('luis-product', 'COMMENTED')],
      approvers,
    );
    assert.deepEqual(
      [others.status, others.detail],
      ['fail', 'PR #12 has no product approval: approved by mchen-lendos, who is not a product approver.'],
    );
    assert.match(others.fix ?? '', /^Ask luis-product \(product approvers\) to review and approve PR #12/);
    const changed = approvalVerdict(
      pull,
      [review('luis-product', 'APPROVED'), review('luis-product', 'CHANGES_REQUESTED')],
      approvers,
    );
    assert.deepEqual(
      [changed.status, changed.detail],
      ['fail', 'PR #12 is not approved by product: luis-product requested changes.'],
    );
    assert.equal(
      approvalVerdict(pull, [], approvers).detail,
      'PR #12 has no product approval: it has no reviews yet.',
    );
    const dismissed = latestDecisions([
      review('luis-product', 'APPROVED'),
      review('luis-product', 'DISMISSED'),
      review('luis-product', 'COMMENTED'),
    ]);
    assert.equal(dismissed.get('luis-product')?.state, 'DISMISSED');
  });

  it('report lines: a mark per check, the fix under a failing one, and the verdict', () => {
    const report: PreflightReport = {
      version: '2025.4.0',
      pr: null,
      url: null,
      headSha: HEAD,
      source: 'local',
      checks: [
        result('version', 'pass', 'ok.', {}),
        result('generated-code', 'fail', 'bad.', {}, 'do this.'),
        result('milestone', 'skipped', 'No PR given.', {}, 'n/a'),
      ],
      passed: false,
    };
    assert.deepEqual(reportLines(report), [
      `Preflight of release 2025.4.0 on release/2025.4.0 in this workspace at ${HEAD.slice(0, 7)}`,
      '✔ VERSION matches the release: ok.',
      '✖ No generated code committed: bad.',
      '    → do this.',
      '– Milestone complete: No PR given.',
      '    → n/a',
      'Preflight failed: 1 of 3 checks (No generated code committed).',
    ]);
  });
});

describe('release PR and merge state', () => {
  it('the PR body lists the milestone closed issues as "- #N Title", in number order', () => {
    const body = releasePullBody('2025.4.0', '2025.4.0', [
      { number: 5822, title: 'Pre-flight validation checklist', state: 'closed', url: '' },
      { number: 5790, title: 'Bulk signature requests', state: 'closed', url: '' },
    ]);
    assert.equal(
      body,
      'Release 2025.4.0: release/2025.4.0 → main.\n\nIssues of milestone 2025.4.0:\n- #5790 Bulk signature requests\n- #5822 Pre-flight validation checklist\n',
    );
    assert.match(releasePullBody('2025.6.0', undefined, []), /No milestone is named 2025\.6\.0/);
  });

  it('a conflict, a draft and a blocked PR stop the merge with what to do; unstable and behind only warn', () => {
    assert.match(
      mergeBlocker({ ...pull, mergeable: false, mergeableState: 'dirty' }) ?? '',
      /conflicts with main: .*git merge origin\/main, resolve, commit, git push/,
    );
    assert.match(
      mergeBlocker({ ...pull, mergeableState: 'draft' }) ?? '',
      /is a draft: mark it ready for review/,
    );
    const run = (name: string, conclusion: string | null, status = 'completed'): WorkflowRunInfo => ({
      id: 1,
      name,
      status,
      conclusion,
      headSha: HEAD,
      branch: '',
      event: 'pull_request',
      url: '',
      createdAt: '',
      updatedAt: '',
    });
    const blocked = mergeBlocker({ ...pull, mergeableState: 'blocked' }, [
      run('CI', 'success'),
      run('LendOS preflight', 'failure'),
      run('Build', null, 'in_progress'),
    ]);
    assert.match(
      blocked ?? '',
      /blocked: a required status check has not passed or a required review is missing\. Checks of its head [0-9a-f]{7} that have not passed: LendOS preflight \(failure\), Build \(in_progress\)\./,
    );
    assert.equal(mergeBlocker(pull), undefined);
    assert.match(
      mergeWarning({ ...pull, mergeableState: 'unstable' }) ?? '',
      /non-required checks .* failing/,
    );
    assert.equal(
      reviewsLine([review('luis-product', 'CHANGES_REQUESTED')]),
      `luis-product changes requested on ${HEAD.slice(0, 7)}`,
    );
  });
});
