import assert from 'node:assert/strict';
import { diagnosisKinds, diagnosisMarkdown, type Diagnosis } from '../../src/core/diagnosis.js';
import { foldJournal } from '../../src/core/journal/fold.js';
import type { JournalEvent } from '../../src/core/journal/types.js';
import { rollbackAsideName, validateRdsIdentifier } from '../../src/core/names.js';
import { restoredInstanceIds } from '../../src/steps/rollback/restore.js';

describe('recovery (Section 3.4), pure parts', () => {
  it('tells which issue a failed step is, and offers nothing for other steps', () => {
    assert.deepEqual(diagnosisKinds('production.upgrade.run', {}), ['stage-failed']);
    assert.deepEqual(diagnosisKinds('staging.upgrade.stage.upgrade', {}), ['stage-failed']);
    assert.deepEqual(diagnosisKinds('staging.upgrade.scale-up', {}), ['services-wont-start']);
    const rows = (checks: string[]) => ({ validation: { rows: checks.map((check) => ({ check, status: 'failed' })) } });
    assert.deepEqual(diagnosisKinds('staging.upgrade.validate', rows(['PQS counts'])), ['data-validation']);
    assert.deepEqual(diagnosisKinds('staging.upgrade.validate', rows(['backend log', 'PQS counts'])), ['services-wont-start', 'data-validation']);
    assert.deepEqual(diagnosisKinds('production.rollback.validate', rows(['pods'])), ['services-wont-start']);
    for (const id of ['prep.cut-release-branch', 'staging.upgrade.snapshot', 'staging.values-tags', 'recovery.fix-forward']) assert.deepEqual(diagnosisKinds(id, {}), [], id);
  });

  it('renders outside text inert, in a code fence no log line can close', () => {
    const diagnosis: Diagnosis = {
      step: 'staging.upgrade.run',
      kinds: ['stage-failed'],
      title: 'Staging: an upgrade stage failed',
      sections: [{ heading: 'Last lines of pod x', notes: ['a *note*'], lines: ['ok', 'a ```` fence', 'colour \u001b[31mred\u001b[0m'] }],
      actions: [{ kind: 'rerun-stage', step: 'staging.upgrade.stage.upgrade', stage: 'upgrade' }, { kind: 'fix-forward', hotfix: '2025.4.1', of: '2025.4.0' }],
    };
    const text = diagnosisMarkdown(diagnosis);
    assert.ok(!text.includes('\u001b'), 'no escape sequence');
    assert.match(text, /^`{5}$/m, 'the fence is longer than any run of backticks inside');
    assert.match(text, /a \\\*note\\\*/);
    assert.match(text, /- Rerun stage upgrade — `lendos run staging\.upgrade\.stage\.upgrade`/);
    assert.match(text, /`lendos start 2025\.4\.1 --hotfix-of 2025\.4\.0`/);
  });

  it('names the kept cluster and the restored instances within RDS rules', () => {
    assert.equal(rollbackAsideName('canton-0-1-54', '2025.4.0'), 'canton-0-1-54-failed-2025-4-0');
    const long = rollbackAsideName(`c${'-x1'.repeat(30)}`, '2025.12.3');
    assert.equal(validateRdsIdentifier(long), null, long);
    assert.ok(long.endsWith('-failed-2025-12-3'));
    assert.deepEqual(restoredInstanceIds('canton-0-1-54', 2), ['canton-0-1-54-restored-1', 'canton-0-1-54-restored-2']);
    assert.deepEqual(restoredInstanceIds('canton-0-1-54', 0), ['canton-0-1-54-restored-1'], 'at least one instance');
    for (const id of restoredInstanceIds(`c${'-x1'.repeat(30)}`, 1)) assert.equal(validateRdsIdentifier(id), null, id);
  });

  it('folds the fix-forward links of release.linked', () => {
    const event = (data: Record<string, string>): JournalEvent => ({ v: 1, time: '2025-11-10T10:00:00Z', actor: 'Ada', release: '2025.4.0', type: 'release.linked', data });
    const state = foldJournal('2025.4.0', [event({ hotfix: '2025.4.1' })]);
    assert.equal(state.hotfix, '2025.4.1');
    assert.equal(foldJournal('2025.4.1', [event({ hotfixOf: '2025.4.0' })]).hotfixOf, '2025.4.0');
  });
});
