import assert from 'node:assert/strict';
import { parseArgs, UsageError } from '../../src/cli/args.js';

const spec = {
  flags: ['json', 'help'],
  values: ['release', 'workspace'],
  lists: ['set'],
  short: { h: 'help' },
};

const usage = (pattern: RegExp) => (e: unknown) => e instanceof UsageError && pattern.test(e.message);

describe('CLI arguments (util.parseArgs, strict)', () => {
  it('reads flags, values in both forms and positionals', () => {
    const args = parseArgs(['--json', '--release', '2025.4.0', '--workspace=/tmp/x', 'extra'], spec);
    assert.equal(args.options.get('json'), true);
    assert.equal(args.options.get('release'), '2025.4.0');
    assert.equal(args.options.get('workspace'), '/tmp/x');
    assert.deepEqual(args.positionals, ['extra']);
  });

  it('collects a list option given several times, keeps "=" inside values, and takes -h for --help', () => {
    const args = parseArgs(['--set', 'to=0.1.93', '--set=from=0.1.92', '-h', 'step'], spec);
    assert.deepEqual(args.lists.get('set'), ['to=0.1.93', 'from=0.1.92']);
    assert.equal(args.options.get('help'), true);
    assert.deepEqual(args.positionals, ['step']);
  });

  it('takes everything after -- as positionals', () => {
    assert.deepEqual(parseArgs(['--', '--json'], spec).positionals, ['--json']);
  });

  it('rejects unknown options, missing values and values on flags, in our words', () => {
    assert.throws(() => parseArgs(['--verbose'], spec), usage(/^unknown option --verbose$/));
    assert.throws(() => parseArgs(['-x'], spec), usage(/^unknown option -x$/));
    assert.throws(() => parseArgs(['--release'], spec), usage(/^--release needs a value$/));
    assert.throws(() => parseArgs(['--release='], spec), usage(/^--release needs a value$/));
    assert.throws(
      () => parseArgs(['--release', '--json'], spec),
      usage(/^--release needs a value \(to give one that starts with "-", write --release=--json\)$/),
    );
    assert.throws(() => parseArgs(['--set'], spec), usage(/^--set needs a value$/));
    assert.throws(() => parseArgs(['--json=yes'], spec), usage(/^--json takes no value$/));
  });

  it('rejects a one-value option given twice instead of keeping the last', () => {
    assert.throws(
      () => parseArgs(['--release', '2025.4.0', '--release=2025.5.0'], spec),
      usage(/^--release is given more than once$/),
    );
  });
});
