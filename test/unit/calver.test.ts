import assert from 'node:assert/strict';
import { CalVer, CalVerError, suggestNextVersion, type CalVerErrorReason } from '../../src/core/calver.js';

describe('CalVer', () => {
  describe('parse accepts YYYY.R.H', () => {
    const good: [string, number, number, number][] = [
      ['2025.4.0', 2025, 4, 0],
      ['2000.1.0', 2000, 1, 0],
      ['2999.999.999', 2999, 999, 999],
      ['2025.10.12', 2025, 10, 12],
    ];
    for (const [text, year, release, hotfix] of good) {
      it(text, () => {
        const version = CalVer.parse(text);
        assert.deepEqual([version.year, version.release, version.hotfix], [year, release, hotfix]);
        assert.equal(version.format(), text);
        assert.equal(version.toString(), text);
        assert.equal(JSON.stringify({ version }), `{"version":"${text}"}`);
      });
    }
  });

  describe('parse refuses bad input and says what to type instead', () => {
    const bad: { input: string; reason: CalVerErrorReason; says: RegExp }[] = [
      {
        input: '2025.4',
        reason: 'missing-hotfix',
        says: /^2025\.4 is missing the hotfix counter: use 2025\.4\.0$/,
      },
      { input: 'v2025.4.0', reason: 'leading-v', says: /drop the leading v.*: use 2025\.4\.0$/ },
      { input: 'V2025.4.0', reason: 'leading-v', says: /drop the leading v/ },
      { input: 'v2025.04', reason: 'leading-v', says: /use 2025\.4\.0$/ },
      { input: '2025.04.0', reason: 'leading-zero', says: /leading zero: use 2025\.4\.0$/ },
      { input: '2025.4.00', reason: 'leading-zero', says: /use 2025\.4\.0$/ },
      {
        input: 'release/2025.4.0; rm -rf /',
        reason: 'invalid-characters',
        says: /only digits and dots; a release version looks like 2025\.4\.0/,
      },
      { input: 'release/2025.4.0', reason: 'branch-name', says: /branch name.*: use 2025\.4\.0$/ },
      { input: 'origin/release/2025.4.0', reason: 'branch-name', says: /use 2025\.4\.0$/ },
      { input: '', reason: 'empty', says: /empty; a release version looks like 2025\.4\.0/ },
      { input: '   ', reason: 'empty', says: /empty/ },
      { input: '\t\n', reason: 'empty', says: /empty/ },
      { input: ' 2025.4.0', reason: 'whitespace', says: /whitespace.*: use 2025\.4\.0$/ },
      { input: '2025.4.0 ', reason: 'whitespace', says: /use 2025\.4\.0$/ },
      { input: '2025.4.0\n', reason: 'whitespace', says: /use 2025\.4\.0$/ },
      { input: '2025. 4.0', reason: 'invalid-characters', says: /only digits and dots/ },
      { input: '-2025.4.0', reason: 'negative', says: /negative/ },
      { input: '2025.-1.0', reason: 'negative', says: /negative/ },
      { input: '2025.4.-1', reason: 'negative', says: /negative/ },
      { input: '1999.4.0', reason: 'year-out-of-range', says: /year 1999 .*outside 2000–2999/ },
      { input: '3000.1.0', reason: 'year-out-of-range', says: /outside 2000–2999/ },
      { input: '25.4.0', reason: 'year-out-of-range', says: /four-digit calendar year/ },
      { input: '20250.4.0', reason: 'year-out-of-range', says: /outside/ },
      { input: '2025.1000.0', reason: 'too-large', says: /outside 0–999/ },
      { input: '2025.4.1000', reason: 'too-large', says: /outside 0–999/ },
      { input: '2025.99999999999999999999.0', reason: 'too-large', says: /huge number/ },
      { input: '2025.0.0', reason: 'release-zero', says: /starts at 1: use 2025\.1\.0$/ },
      { input: '2025.4.0.1', reason: 'too-many-parts', says: /4 parts, a release version has 3/ },
      { input: '2025.4.0.0.0', reason: 'too-many-parts', says: /5 parts/ },
      { input: '2025', reason: 'missing-parts', says: /missing the release and hotfix counters/ },
      { input: '2025..0', reason: 'empty-part', says: /empty part/ },
      { input: '.2025.4.0', reason: 'empty-part', says: /empty part/ },
      { input: '2025.4.0.', reason: 'empty-part', says: /empty part/ },
      { input: '2025.4.0-rc.1', reason: 'invalid-characters', says: /only digits and dots/ },
      { input: '2025.4.x', reason: 'invalid-characters', says: /only digits and dots/ },
      { input: '２０２５.4.0', reason: 'invalid-characters', says: /only digits and dots/ },
      { input: '2025,4,0', reason: 'invalid-characters', says: /only digits and dots/ },
    ];
    for (const { input, reason, says } of bad) {
      it(JSON.stringify(input), () => {
        assert.throws(
          () => CalVer.parse(input),
          (error: unknown) =>
            error instanceof CalVerError &&
            error.reason === reason &&
            says.test(error.message) &&
            error.input === input,
        );
        const result = CalVer.tryParse(input);
        assert.equal(result.ok, false);
        assert.equal(!result.ok && result.error.reason, reason);
      });
    }

    it('keeps a pasted command line short in the message', () => {
      const result = CalVer.tryParse(`2025.4.0; ${'x'.repeat(500)}`);
      assert.equal(result.ok, false);
      assert.ok(!result.ok && result.error.message.length < 150, 'message stays short');
    });

    it('refuses a value that is not text', () => {
      const result = CalVer.tryParse(42 as unknown as string);
      assert.equal(!result.ok && result.error.reason, 'not-text');
    });
  });

  describe('fromVersionFile', () => {
    it('allows exactly one trailing line ending', () => {
      assert.equal(CalVer.fromVersionFile('2025.4.0\n').format(), '2025.4.0');
      assert.equal(CalVer.fromVersionFile('2025.4.0\r\n').format(), '2025.4.0');
      assert.equal(CalVer.fromVersionFile('2025.4.0').format(), '2025.4.0');
    });
    for (const text of ['2025.4.0\n\n', ' 2025.4.0\n', '2025.4.0 \n', '\n', 'v2025.4.0\n']) {
      it(`refuses ${JSON.stringify(text)}`, () => {
        assert.throws(() => CalVer.fromVersionFile(text), CalVerError);
      });
    }
  });

  describe('of', () => {
    it('builds and validates', () => {
      assert.equal(CalVer.of(2025, 4, 0).format(), '2025.4.0');
      assert.throws(() => CalVer.of(2025, 4.5, 0), CalVerError);
      assert.throws(() => CalVer.of(2025, 0, 0), { reason: 'release-zero' });
      assert.throws(() => CalVer.of(1999, 1, 0), { reason: 'year-out-of-range' });
      assert.throws(() => CalVer.of(2025, 1, -1), { reason: 'negative' });
      assert.throws(() => CalVer.of(Number.NaN, 1, 0), CalVerError);
    });
  });

  describe('ordering', () => {
    it('compares year, then release, then hotfix numerically', () => {
      const sorted = ['2025.10.0', '2024.9.3', '2025.2.0', '2025.2.1', '2026.1.0']
        .map((text) => CalVer.parse(text))
        .sort(CalVer.compare)
        .map(String);
      assert.deepEqual(sorted, ['2024.9.3', '2025.2.0', '2025.2.1', '2025.10.0', '2026.1.0']);
      assert.equal(CalVer.parse('2025.4.0').compare(CalVer.parse('2025.4.0')), 0);
      assert.equal(CalVer.parse('2025.4.1').compare(CalVer.parse('2025.4.0')), 1);
      assert.equal(CalVer.parse('2025.4.0').compare(CalVer.parse('2025.4.1')), -1);
      assert.ok(CalVer.parse('2025.4.0').equals(CalVer.of(2025, 4, 0)));
      assert.ok(!CalVer.parse('2025.4.0').equals(CalVer.parse('2025.4.1')));
    });
  });

  describe('next versions', () => {
    it('nextRelease increments the release counter and resets the hotfix', () => {
      assert.equal(CalVer.parse('2025.4.2').nextRelease().format(), '2025.5.0');
      assert.equal(
        CalVer.parse('2025.4.2').nextRelease(new Date('2025-12-31T23:59:59Z')).format(),
        '2025.5.0',
      );
    });
    it('nextRelease restarts at YYYY.1.0 when today is in a later year (UTC)', () => {
      assert.equal(
        CalVer.parse('2025.9.1').nextRelease(new Date('2026-01-01T00:00:00Z')).format(),
        '2026.1.0',
      );
      assert.equal(
        CalVer.parse('2025.9.1').nextRelease(new Date('2025-12-31T23:30:00-05:00')).format(),
        '2026.1.0',
      );
    });
    it('nextRelease ignores a today in an earlier year', () => {
      assert.equal(
        CalVer.parse('2026.2.0').nextRelease(new Date('2025-06-01T00:00:00Z')).format(),
        '2026.3.0',
      );
    });
    it('nextHotfix increments the hotfix counter', () => {
      assert.equal(CalVer.parse('2025.4.0').nextHotfix().format(), '2025.4.1');
      assert.equal(CalVer.parse('2025.4.9').nextHotfix().format(), '2025.4.10');
    });
    it('refuses to run past the counter limit', () => {
      assert.throws(() => CalVer.parse('2025.999.0').nextRelease(), { reason: 'too-large' });
      assert.throws(() => CalVer.parse('2025.4.999').nextHotfix(), { reason: 'too-large' });
    });
  });
});

describe('suggestNextVersion', () => {
  const today = new Date('2025-11-10T12:00:00Z');

  it('takes the highest of branches and VERSION, ignoring unparsable branch names', () => {
    const suggestion = suggestNextVersion({
      branches: [
        'develop',
        'main',
        'release/2025.3.0',
        'origin/release/2025.3.1',
        'release/2025.9',
        'release/v2025.8.0',
        'release/2025.4.0-values',
        'upgrade/2025.7.0',
        'refs/remotes/origin/release/2025.2.0',
      ],
      versionFile: '2025.3.0\n',
      today,
      kind: 'release',
    });
    assert.equal(suggestion.version.format(), '2025.4.0');
    assert.match(
      suggestion.reason,
      /next release after 2025\.3\.1 \(from branch origin\/release\/2025\.3\.1\)/,
    );
  });

  it('names VERSION when it is the highest', () => {
    const suggestion = suggestNextVersion({
      branches: ['release/2025.2.0'],
      versionFile: '2025.5.0\n',
      today,
      kind: 'release',
    });
    assert.equal(suggestion.version.format(), '2025.6.0');
    assert.match(suggestion.reason, /after 2025\.5\.0 \(from VERSION\)/);
  });

  it('ignores a VERSION file that does not parse', () => {
    const suggestion = suggestNextVersion({
      branches: ['release/2025.2.0'],
      versionFile: 'garbage',
      today,
      kind: 'release',
    });
    assert.equal(suggestion.version.format(), '2025.3.0');
  });

  it('starts at YYYY.1.0 in a new year', () => {
    const suggestion = suggestNextVersion({
      branches: ['release/2025.9.0'],
      today: new Date('2026-01-05T09:00:00Z'),
      kind: 'release',
    });
    assert.equal(suggestion.version.format(), '2026.1.0');
    assert.match(suggestion.reason, /first release of 2026 after 2025\.9\.0/);
  });

  it('starts at YYYY.1.0 when nothing is known', () => {
    const suggestion = suggestNextVersion({ branches: ['main', 'develop'], today, kind: 'release' });
    assert.equal(suggestion.version.format(), '2025.1.0');
    assert.match(suggestion.reason, /no release branch or VERSION found/);
  });

  it('suggests the next hotfix of the latest release, keeping its year', () => {
    const suggestion = suggestNextVersion({
      branches: ['release/2025.9.0', 'origin/release/2025.9.1'],
      today: new Date('2026-01-05T09:00:00Z'),
      kind: 'hotfix',
    });
    assert.equal(suggestion.version.format(), '2025.9.2');
    assert.match(suggestion.reason, /next hotfix of 2025\.9\.1/);
  });

  it('refuses a hotfix when there is no release', () => {
    assert.throws(
      () => suggestNextVersion({ branches: [], today, kind: 'hotfix' }),
      (error: unknown) =>
        error instanceof CalVerError &&
        error.reason === 'no-release-to-hotfix' &&
        /cut a release first/.test(error.message),
    );
  });
});
