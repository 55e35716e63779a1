import assert from 'node:assert/strict';
import { UsageError } from '../../src/cli/args.js';
import { parseSetEntries, setFieldsProblem } from '../../src/cli/set-values.js';

const usage = (pattern: RegExp) => (e: unknown) => e instanceof UsageError && pattern.test(e.message);

describe('--set FIELD=VALUE', () => {
  it('reads entries, keeping "=" in the value', () => {
    assert.deepEqual(parseSetEntries(['to=0.1.93', 'note=a=b', 'empty=']), {
      to: '0.1.93',
      note: 'a=b',
      empty: '',
    });
    assert.deepEqual(parseSetEntries([]), {});
  });

  it('refuses an entry without FIELD= and a field given twice', () => {
    assert.throws(() => parseSetEntries(['0.1.93']), usage(/--set 0\.1\.93: write --set FIELD=VALUE/));
    assert.throws(() => parseSetEntries(['=0.1.93']), usage(/write --set FIELD=VALUE/));
    assert.throws(() => parseSetEntries(['to=1', 'to=2']), usage(/--set to is given more than once/));
  });

  it('accepts the fields a step asks for and names them when another is given', () => {
    const fields = ['from', 'to', 'dataLoaderFrom'];
    assert.equal(setFieldsProblem('prep.upgrade-branch', fields, ['to', 'from']), undefined);
    assert.equal(
      setFieldsProblem('prep.upgrade-branch', fields, ['newVersion', 'to']),
      '--set newVersion: prep.upgrade-branch does not ask for this field; it accepts --set from, to, dataLoaderFrom. Nothing was run.',
    );
    assert.equal(
      setFieldsProblem('prep.cut-release-branch', [], ['newVersion']),
      'prep.cut-release-branch asks for no values; --set is not accepted (--set newVersion). Nothing was run.',
    );
  });
});
