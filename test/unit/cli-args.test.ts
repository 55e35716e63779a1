import assert from 'node:assert/strict';
import { parseArgs, UsageError } from '../../src/cli/args.js';

const spec = { flags: ['json', 'help'], values: ['release', 'workspace'] };

describe('CLI arguments', () => {
  it('reads flags, values in both forms and positionals', () => {
    const args = parseArgs(['--json', '--release', '2025.4.0', '--workspace=/tmp/x', 'extra'], spec);
    assert.equal(args.options.get('json'), true);
    assert.equal(args.options.get('release'), '2025.4.0');
    assert.equal(args.options.get('workspace'), '/tmp/x');
    assert.deepEqual(args.positionals, ['extra']);
  });

  it('rejects unknown options, missing values and values on flags', () => {
    assert.throws(() => parseArgs(['--verbose'], spec), (e) => e instanceof UsageError && /unknown option --verbose/.test(e.message));
    assert.throws(() => parseArgs(['--release'], spec), /--release needs a value/);
    assert.throws(() => parseArgs(['--release', '--json'], spec), /--release needs a value/);
    assert.throws(() => parseArgs(['--json=yes'], spec), /--json takes no value/);
  });
});
