import assert from 'node:assert/strict';
import type { CommentInfo, ReviewInfo } from '../../src/ports.js';
import {
  approvalNote,
  describeApproval,
  findApproval,
  hasApprovalCommand,
  recordedApproval,
} from '../../src/steps/github/approval-finder.js';

const PR = 'https://github.com/rplendos/lendos/pull/5830';
const approvers = new Set(['luis-product']);
let id = 0;

function review(user: string, state: string, submittedAt: string): ReviewInfo {
  id++;
  return { id, user, state, commitId: 'f'.repeat(40), submittedAt, url: `${PR}#pullrequestreview-${id}` };
}

function comment(user: string, body: string, createdAt: string): CommentInfo {
  id++;
  return { id, user, body, createdAt, url: `${PR}#issuecomment-${id}` };
}

describe('product approval on the release PR (pure rules)', () => {
  it('reads /approve <stage> only on a line of its own, in any case', () => {
    assert.ok(hasApprovalCommand('/approve staging', 'staging'));
    assert.ok(hasApprovalCommand('Smoke tests pass.\r\n  /Approve STAGING  \r\nThanks', 'staging'));
    assert.ok(hasApprovalCommand('ok\n/approve production', 'production'));
    assert.equal(hasApprovalCommand('/approve staging', 'production'), false);
    assert.equal(hasApprovalCommand('I will /approve staging tomorrow', 'staging'), false);
    assert.equal(hasApprovalCommand('> /approve staging', 'staging'), false, 'a quote is not an approval');
    assert.equal(hasApprovalCommand('/approve stagingX', 'staging'), false);
  });

  it('staging: a product approver’s approving review counts; a non-approver’s is said and ignored', () => {
    const approving = review('luis-product', 'APPROVED', '2025-11-10T14:02:31Z');
    const found = findApproval({
      stage: 'staging',
      approvers,
      reviews: [
        review('mchen-lendos', 'APPROVED', '2025-11-10T13:00:00Z'),
        review('luis-product', 'COMMENTED', '2025-11-10T13:30:00Z'),
        approving,
      ],
      comments: [],
    });
    assert.deepEqual(found.approval, {
      by: 'luis-product',
      at: '2025-11-10T14:02:31Z',
      where: approving.url,
      how: 'review',
    });
    assert.equal(found.notes.length, 1);
    assert.match(
      found.notes[0] ?? '',
      /^review approving by mchen-lendos, not a product approver \(https:\/\/github\.com\/rplendos\/lendos\/pull\/5830#pullrequestreview-\d+\)$/,
    );
  });

  it('staging: an approver’s later request for changes withdraws their approval, and is said', () => {
    const found = findApproval({
      stage: 'staging',
      approvers,
      reviews: [
        review('Luis-Product', 'APPROVED', '2025-11-10T14:00:00Z'),
        review('luis-product', 'CHANGES_REQUESTED', '2025-11-10T15:00:00Z'),
      ],
      comments: [],
    });
    assert.equal(found.approval, undefined);
    assert.match(found.notes.join('\n'), /^luis-product requested changes \(/);
  });

  it('staging: a comment /approve staging by an approver counts; by anyone else it is said and ignored', () => {
    const byApprover = comment('LUIS-product', 'Smoke tests pass.\n/approve staging', '2025-11-10T16:00:00Z');
    const found = findApproval({
      stage: 'staging',
      approvers,
      reviews: [],
      comments: [
        comment('rehearsal-engineer', '/approve staging', '2025-11-10T15:00:00Z'),
        comment('luis-product', 'Starting the smoke tests', '2025-11-10T15:30:00Z'),
        byApprover,
      ],
    });
    assert.deepEqual(found.approval, {
      by: 'LUIS-product',
      at: '2025-11-10T16:00:00Z',
      where: byApprover.url,
      how: 'comment',
    });
    assert.equal(found.notes.length, 1);
    assert.match(
      found.notes[0] ?? '',
      /^comment by rehearsal-engineer, not a product approver \(https:\/\/github\.com\/rplendos\/lendos\/pull\/5830#issuecomment-\d+\)$/,
    );
  });

  it('staging: the earliest approval counts, review or comment', () => {
    const early = comment('luis-product', '/approve staging', '2025-11-10T10:00:00Z');
    const found = findApproval({
      stage: 'staging',
      approvers,
      reviews: [review('luis-product', 'APPROVED', '2025-11-10T11:00:00Z')],
      comments: [early],
    });
    assert.equal(found.approval?.where, early.url);
  });

  it('production: only /approve production comments after the staging approval count, never a review', () => {
    const stagingComment = comment(
      'luis-product',
      '/approve staging\n/approve production',
      '2025-11-10T16:00:00Z',
    );
    const after = { at: stagingComment.createdAt, where: stagingComment.url };
    const tooEarly = comment('luis-product', '/approve production', '2025-11-10T15:00:00Z');
    const notYet = findApproval({
      stage: 'production',
      approvers,
      reviews: [review('luis-product', 'APPROVED', '2025-11-11T09:00:00Z')],
      comments: [tooEarly, stagingComment],
      after,
    });
    assert.equal(notYet.approval, undefined);
    assert.deepEqual(
      notYet.notes.map((n) => n.replace(/ \(.*\)$/, '')),
      [
        'comment by luis-product at 2025-11-10T15:00:00Z, not after the staging approval',
        'comment by luis-product at 2025-11-10T16:00:00Z, not after the staging approval',
      ],
    );
    const approving = comment(
      'luis-product',
      'Production smoke tests pass.\n/approve production',
      '2025-11-11T09:30:00Z',
    );
    const found = findApproval({
      stage: 'production',
      approvers,
      reviews: [],
      comments: [
        tooEarly,
        approving,
        comment('salvarez-lendos', '/approve production', '2025-11-11T09:31:00Z'),
      ],
      after,
    });
    assert.deepEqual(found.approval, {
      by: 'luis-product',
      at: '2025-11-11T09:30:00Z',
      where: approving.url,
      how: 'comment',
    });
    assert.ok(found.notes.some((n) => n.startsWith('comment by salvarez-lendos, not a product approver')));
  });

  it('production after a staging approval by hand: any approver’s /approve production counts', () => {
    const found = findApproval({
      stage: 'production',
      approvers,
      reviews: [],
      comments: [comment('luis-product', '/approve production', '2025-11-11T09:30:00Z')],
    });
    assert.equal(found.approval?.by, 'luis-product');
  });

  it('reads back a recorded approval or a note, and describes an approval', () => {
    const approval = {
      by: 'luis-product',
      at: '2025-11-10T14:02:31Z',
      where: `${PR}#pullrequestreview-7`,
      how: 'review' as const,
    };
    assert.deepEqual(recordedApproval({ approval, pr: 5830 }), approval);
    assert.equal(recordedApproval({ note: 'Luis, REL-123' }), undefined);
    assert.equal(recordedApproval({ approval: { by: 'luis-product' } }), undefined);
    assert.equal(approvalNote({ note: '  Luis, REL-123 ' }), 'Luis, REL-123');
    assert.equal(approvalNote({ note: '  ' }), undefined);
    assert.equal(
      describeApproval(approval),
      `luis-product on 2025-11-10 14:02 UTC (review: ${PR}#pullrequestreview-7)`,
    );
  });
});
