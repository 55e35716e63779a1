import assert from 'node:assert/strict';
import { checklistModel, evidenceRows } from '../../src/core/checklist/model.js';
import { describeRefused, parseWebviewMessage } from '../../src/core/checklist/protocol.js';
import { defaultConfig } from '../../src/core/config/defaults.js';
import { foldJournal, type JournalEvent } from '../../src/core/journal/index.js';
import { planRelease } from '../../src/core/plan.js';
import { buildRunbook } from '../../src/core/runbook/index.js';

const VERSION = '2025.4.0';
const at = (minute: number) => new Date(Date.UTC(2025, 10, 10, 9, minute)).toISOString();
const event = (minute: number, type: JournalEvent['type'], step?: string, message?: string, data?: JournalEvent['data'], actor = 'Ada <ada@example.com>'): JournalEvent => ({
  v: 1, time: at(minute), actor, release: VERSION, type, ...(step ? { step } : {}), ...(message ? { message } : {}), ...(data ? { data } : {}),
});

function model(events: JournalEvent[], minute = 120) {
  const runbook = buildRunbook(VERSION, defaultConfig());
  // The engine's view makes a step automated where an executor exists: Phase 1's here.
  const plan = planRelease(runbook, foldJournal(VERSION, events)).map((p) => (p.step.phase === 'preparation' ? { ...p, step: { ...p.step, kind: 'automated' as const } } : p));
  return checklistModel(VERSION, runbook.phases, plan, new Date(at(minute)));
}

const step = (m: ReturnType<typeof model>, id: string) => m.phases.flatMap((p) => p.steps).find((s) => s.id === id);

describe('the release checklist model', () => {
  it('gives every phase its progress and every step its state, who, when, duration and the tree’s actions', () => {
    const m = model([
      event(0, 'release.started'),
      event(1, 'step.started', 'prep.cut-release-branch'),
      event(3, 'step.succeeded', 'prep.cut-release-branch', 'Cut', { branch: 'release/2025.4.0', commit: 'a'.repeat(40) }),
    ]);
    assert.equal(m.version, VERSION);
    const prep = m.phases.find((p) => p.id === 'preparation')!;
    assert.deepEqual([prep.done, prep.total], [1, 4]);
    const cut = step(m, 'prep.cut-release-branch')!;
    assert.equal(cut.status, 'succeeded');
    assert.equal(cut.by, 'Ada', 'no e-mail address');
    assert.equal(cut.durationMs, 120_000);
    assert.deepEqual(cut.evidence, [{ label: 'branch', value: 'release/2025.4.0' }, { label: 'commit', value: 'a'.repeat(12) }]);
    assert.deepEqual(cut.actions, ['run', 'reset', 'showGuidance', 'openRunbook']);
    const bump = step(m, 'prep.bump-version')!;
    assert.equal(bump.status, 'ready');
    assert.ok(bump.actions.includes('run') && !bump.actions.includes('markDone'));
    assert.ok(step(m, 'production.smoke-test')!.actions.includes('markDone') || step(m, 'recovery.fix-forward')!.actions.includes('markDone'), 'a manual step is marked done');
    assert.equal(step(m, 'staging.upgrade.stage.upload-dars'), undefined, 'stages are under their run');
    assert.equal(step(m, 'staging.upgrade.run')!.stages.length, 7);
  });

  it('shows a failure with its message and last lines, and validation as table rows — outside text made inert', () => {
    const m = model([
      event(1, 'step.started', 'staging.upgrade.validate'),
      event(2, 'step.failed', 'staging.upgrade.validate', 'backend\x1b[31m down', { lastLines: ['ERROR \x1b]0;x\x07 DEADLINE_EXCEEDED'], validation: { rows: [{ check: 'pods', target: 'lendos-backend', status: 'fail', detail: '0/1 ready' }] } }),
    ]);
    const validate = step(m, 'staging.upgrade.validate')!;
    assert.equal(validate.status, 'failed');
    assert.doesNotMatch(JSON.stringify(validate), /\\u001b/);
    assert.match(validate.lastLines[0]!, /DEADLINE_EXCEEDED/);
    assert.deepEqual(validate.validation, [{ check: 'pods', target: 'lendos-backend', status: 'fail', detail: '0/1 ready' }]);
    assert.ok(validate.actions.includes('diagnose'), 'a failed validation offers Diagnose');
    assert.ok(!step(m, 'staging.upgrade.snapshot')!.actions.includes('diagnose'), 'a step that has not failed does not');
  });

  it('lists image tags with digests and links a PR to its page', () => {
    const rows = evidenceRows({ tags: { 'lendos-backend': { tag: 'v1.2.3', digest: 'sha256:' + 'b'.repeat(64) } }, pr: 7, url: 'https://github.com/o/r/pull/7' });
    assert.deepEqual(rows, [
      { label: 'lendos-backend', value: 'v1.2.3 (sha256:bbbbbbbbbbbb)' },
      { label: 'pr', value: '#7', link: 'https://github.com/o/r/pull/7' },
    ]);
  });
});

describe('the checklist protocol', () => {
  it('takes exactly the protocol’s messages', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(parseWebviewMessage({ type: 'action', requestId: 3, action: 'markDone', stepId: 'dev.verify' }), { type: 'action', requestId: 3, action: 'markDone', stepId: 'dev.verify' });
    assert.deepEqual(parseWebviewMessage({ type: 'openLink', requestId: 4, url: 'https://github.com/o/r/pull/7' }), { type: 'openLink', requestId: 4, url: 'https://github.com/o/r/pull/7' });
    assert.ok(parseWebviewMessage({ type: 'openLink', requestId: 4, url: 'http://127.0.0.1:8443/o/r/pull/7' }), 'the rehearsal world on loopback');
  });

  for (const [why, message] of [
    ['not an object', 'ready'],
    ['null', null],
    ['an array', [{ type: 'ready' }]],
    ['an unknown type', { type: 'eval', code: '1' }],
    ['an extra field', { type: 'ready', also: 1 }],
    ['an unknown action', { type: 'action', requestId: 1, action: 'deleteRelease', stepId: 'dev.verify' }],
    ['a step id with shell in it', { type: 'action', requestId: 1, action: 'run', stepId: 'dev.verify;rm -rf /' }],
    ['a request id that is not a positive integer', { type: 'action', requestId: 1.5, action: 'run', stepId: 'dev.verify' }],
    ['a javascript: link', { type: 'openLink', requestId: 1, url: 'javascript:alert(1)' }],
    ['a file: link', { type: 'openLink', requestId: 1, url: 'file:///etc/passwd' }],
    ['a command: link', { type: 'openLink', requestId: 1, url: 'command:lendos.resetStep' }],
    ['plain http off loopback', { type: 'openLink', requestId: 1, url: 'http://evil.example/x' }],
  ] as const) {
    it(`refuses ${why}`, () => {
      assert.equal(parseWebviewMessage(message), undefined);
      assert.ok(describeRefused(message).length < 80);
    });
  }
});
