import assert from 'node:assert/strict';
import { CalVer, CalVerError } from '../../src/core/calver.js';
import {
  NameError,
  commitMessageForVersionBump,
  devDeployTag,
  gitflowPrBody,
  gitflowPrTitle,
  isSafeRefName,
  parseDevDeployTag,
  parseRcTag,
  parseReleaseBranch,
  parseSnapshotName,
  parseUpgradeBranch,
  parseUpgradeImageTag,
  rcTag,
  refNameProblem,
  releaseBranch,
  releasePrTitle,
  snapshotName,
  snapshotNamePattern,
  upgradeBranch,
  upgradeImageTags,
  validateRdsIdentifier,
  valuesBranch,
  valuesTagsCommitMessage,
  valuesTagsPrBody,
  valuesTagsPrTitle,
  type NameErrorReason,
} from '../../src/core/names.js';

const v = CalVer.parse('2025.4.0');
const words = (text: string): string[] => text.split(' ');
const isNameError = (reason: NameErrorReason) => (error: unknown) =>
  error instanceof NameError && error.reason === reason && /: /.test(error.message);

describe('names', () => {
  describe('branches', () => {
    it('builds release, upgrade and values branches from a CalVer or its text', () => {
      assert.equal(releaseBranch(v), 'release/2025.4.0');
      assert.equal(releaseBranch('2025.4.0'), 'release/2025.4.0');
      assert.equal(upgradeBranch(v), 'upgrade/2025.4.0');
      assert.equal(valuesBranch(v), 'release/2025.4.0-values');
      assert.equal(valuesBranch(v, 'staging'), 'release/2025.4.0-values');
      assert.equal(valuesBranch(v, 'production'), 'release/2025.4.0-values-production');
    });

    it('refuses a bad version text with CalVerError', () => {
      for (const bad of ['2025.4', 'v2025.4.0', '2025.4.0; rm -rf /', '']) {
        assert.throws(() => releaseBranch(bad), CalVerError, bad);
        assert.throws(() => upgradeBranch(bad), CalVerError, bad);
        assert.throws(() => valuesBranch(bad), CalVerError, bad);
      }
    });

    const releaseNames: [string, string | null][] = [
      ['release/2025.4.0', '2025.4.0'],
      ['origin/release/2025.4.0', '2025.4.0'],
      ['refs/heads/release/2025.4.0', '2025.4.0'],
      ['refs/remotes/origin/release/2025.4.0', '2025.4.0'],
      ['remotes/origin/release/2025.3.1', '2025.3.1'],
      ['release/2025.4', null],
      ['release/v2025.4.0', null],
      ['release/2025.04.0', null],
      ['release/2025.4.0-values', null],
      ['release/2025.4.0-values-production', null],
      ['upstream/release/2025.4.0', null],
      ['refs/tags/release/2025.4.0', null],
      ['upgrade/2025.4.0', null],
      [' release/2025.4.0', null],
      ['release/2025.4.0/extra', null],
      ['release/', null],
      ['main', null],
      ['', null],
    ];
    for (const [name, expected] of releaseNames) {
      it(`parseReleaseBranch(${JSON.stringify(name)}) → ${expected}`, () => {
        assert.equal(parseReleaseBranch(name)?.format() ?? null, expected);
      });
    }

    it('parseUpgradeBranch reads upgrade branches only', () => {
      assert.deepEqual(
        [parseUpgradeBranch('origin/upgrade/2025.4.0'), parseUpgradeBranch('release/2025.4.0')],
        [v, null],
      );
    });
  });

  describe('RC tags', () => {
    it('builds and parses v2025.4.0-rc.N', () => {
      assert.equal(rcTag(v, 1), 'v2025.4.0-rc.1');
      assert.equal(rcTag('2025.4.0', 12), 'v2025.4.0-rc.12');
      assert.deepEqual(parseRcTag('v2025.4.0-rc.2'), { version: v, rc: 2 });
      assert.deepEqual(parseRcTag('refs/tags/v2025.4.0-rc.3'), { version: v, rc: 3 });
    });
    for (const n of [0, -1, 1.5, Number.NaN, 1000, Number.POSITIVE_INFINITY]) {
      it(`refuses RC number ${n}`, () => assert.throws(() => rcTag(v, n), isNameError('invalid-rc-number')));
    }
    const badRcTags = words(
      '2025.4.0-rc.1 v2025.4.0-rc.0 v2025.4.0-rc.01 v2025.4-rc.1 v2025.4.0-rc. v2025.4.0',
    );
    for (const tag of [...badRcTags, 'v2025.4.0-rc.1 ', '']) {
      it(`parseRcTag(${JSON.stringify(tag)}) → null`, () => assert.equal(parseRcTag(tag), null));
    }
  });

  describe('dev deploy tags', () => {
    it('builds and parses deploy/dev-2025.4.0.3392', () => {
      assert.equal(devDeployTag(v, 3392), 'deploy/dev-2025.4.0.3392');
      assert.equal(devDeployTag('2025.4.0', 0), 'deploy/dev-2025.4.0.0');
      assert.deepEqual(parseDevDeployTag('deploy/dev-2025.4.0.3392'), { version: v, build: 3392 });
      assert.deepEqual(parseDevDeployTag('refs/tags/deploy/dev-2025.4.0.7'), { version: v, build: 7 });
    });
    for (const build of [-1, 1.5, Number.NaN, Number.MAX_SAFE_INTEGER + 1]) {
      it(`refuses build ${build}`, () =>
        assert.throws(() => devDeployTag(v, build), isNameError('invalid-build')));
    }
    const badDevTags =
      'deploy/dev-2025.4.0 deploy/dev-2025.4.0.03 deploy/staging-2025.4.0.1 deploy/dev-2025.04.0.1';
    for (const tag of [...words(badDevTags), 'dev-2025.4.0.1']) {
      it(`parseDevDeployTag(${JSON.stringify(tag)}) → null`, () =>
        assert.equal(parseDevDeployTag(tag), null));
    }
  });

  describe('RDS snapshots', () => {
    it('names the snapshot in UTC with dashes', () => {
      const takenAt = new Date('2025-11-10T09:05:00-05:00');
      assert.equal(snapshotName(v, takenAt), 'canton-upgrade-2025-4-0-20251110-1405');
      assert.equal(
        snapshotName('2025.12.3', new Date('2026-01-01T00:00:59Z')),
        'canton-upgrade-2025-12-3-20260101-0000',
      );
      assert.equal(snapshotNamePattern(v), 'canton-upgrade-2025-4-0-YYYYMMDD-HHMM');
      assert.equal(validateRdsIdentifier(snapshotName(v, takenAt)), null);
    });

    it('refuses an invalid date', () => {
      assert.throws(() => snapshotName(v, new Date('nope')), isNameError('invalid-date'));
    });

    it('parses a snapshot name back', () => {
      assert.deepEqual(parseSnapshotName('canton-upgrade-2025-4-0-20251110-1405'), {
        version: v,
        takenAt: new Date('2025-11-10T14:05:00Z'),
      });
    });
    const badSnapshotSuffixes =
      '4-0-20251310-1405 4-0-20250231-1405 4-0-20251110-2460 04-0-20251110-1405 4-20251110-1405';
    const badSnapshots = [...words(badSnapshotSuffixes), '4-0-YYYYMMDD-HHMM'].map(
      (s) => `canton-upgrade-2025-${s}`,
    );
    for (const id of [...badSnapshots, 'canton-upgrade-2025.4.0-20251110-1405']) {
      it(`parseSnapshotName(${JSON.stringify(id)}) → null`, () => assert.equal(parseSnapshotName(id), null));
    }

    const identifiers: [string, RegExp | null][] = [
      ['canton-0-1-54', null],
      ['a', null],
      ['a'.repeat(63), null],
      ['', /empty/],
      ['a'.repeat(64), /64 characters long: RDS allows at most 63/],
      ['1canton', /start with a letter/],
      ['-canton', /start with a letter/],
      ['canton-', /end with a hyphen/],
      ['canton--upgrade', /two hyphens in a row/],
      ['canton.upgrade', /"\." is not allowed/],
      ['canton_upgrade', /"_" is not allowed/],
      ['canton upgrade', /" " is not allowed/],
    ];
    for (const [id, problem] of identifiers) {
      it(`validateRdsIdentifier(${JSON.stringify(id.length > 20 ? `${id.slice(0, 8)}…(${id.length})` : id)})`, () => {
        const result = validateRdsIdentifier(id);
        if (problem === null) assert.equal(result, null);
        else assert.match(result ?? '', problem);
      });
    }
  });

  describe('DAML upgrade image tags', () => {
    it('builds {prefix}{target}.{from}.{build}-init|-runner', () => {
      assert.deepEqual(upgradeImageTags({ target: '0.1.93', from: '0.1.92', build: 1 }), {
        init: 'v0.1.93.0.1.92.1-init',
        runner: 'v0.1.93.0.1.92.1-runner',
      });
      assert.deepEqual(upgradeImageTags({ target: '0.1.93', from: '0.1.92', build: 1, prefix: '' }), {
        init: '0.1.93.0.1.92.1-init',
        runner: '0.1.93.0.1.92.1-runner',
      });
      assert.deepEqual(upgradeImageTags({ target: '2025.8.1', build: 1, prefix: '' }), {
        init: '2025.8.1.1-init',
        runner: '2025.8.1.1-runner',
      });
    });

    const badInputs: [string, Parameters<typeof upgradeImageTags>[0], NameErrorReason][] = [
      ['two-part target', { target: '0.1', from: '0.1.92', build: 1 }, 'invalid-daml-version'],
      ['v in target', { target: 'v0.1.93', from: '0.1.92', build: 1 }, 'invalid-daml-version'],
      ['leading zero', { target: '0.01.93', from: '0.1.92', build: 1 }, 'invalid-daml-version'],
      ['bad from', { target: '0.1.93', from: '0.1.92; rm', build: 1 }, 'invalid-daml-version'],
      ['negative build', { target: '0.1.93', from: '0.1.92', build: -1 }, 'invalid-build'],
      ['fractional build', { target: '0.1.93', from: '0.1.92', build: 1.5 }, 'invalid-build'],
    ];
    for (const [label, input, reason] of badInputs) {
      it(`refuses ${label}`, () => assert.throws(() => upgradeImageTags(input), isNameError(reason)));
    }

    it('parses both runbook forms', () => {
      assert.deepEqual(parseUpgradeImageTag('v0.1.93.0.1.92.1-init'), {
        target: '0.1.93',
        from: '0.1.92',
        build: 1,
        variant: 'init',
        prefix: 'v',
      });
      assert.deepEqual(parseUpgradeImageTag('0.1.93.0.1.92.12-runner'), {
        target: '0.1.93',
        from: '0.1.92',
        build: 12,
        variant: 'runner',
        prefix: '',
      });
      assert.deepEqual(parseUpgradeImageTag('2025.8.1.1-init'), {
        target: '2025.8.1',
        from: null,
        build: 1,
        variant: 'init',
        prefix: '',
      });
    });

    it('round-trips what it builds', () => {
      const tags = upgradeImageTags({ target: '1.2.3', from: '1.2.2', build: 40 });
      assert.deepEqual(parseUpgradeImageTag(tags.runner), {
        target: '1.2.3',
        from: '1.2.2',
        build: 40,
        variant: 'runner',
        prefix: 'v',
      });
    });

    const badImageTags = words('v0.1.93.0.1.92.1 v0.1.93.0.1.92.1-debug v0.1.93.1-init.x v0.1.93.0.1-init');
    for (const tag of [...badImageTags, 'vv0.1.93.0.1.92.1-init', 'v0.1.093.0.1.92.1-init', 'latest', '']) {
      it(`parseUpgradeImageTag(${JSON.stringify(tag)}) → null`, () =>
        assert.equal(parseUpgradeImageTag(tag), null));
    }
  });

  describe('commit messages and PR titles', () => {
    it('follow the runbook', () => {
      assert.equal(commitMessageForVersionBump(v), 'Bump VERSION to 2025.4.0 for release');
      assert.equal(releasePrTitle('2025.4.0'), 'Release 2025.4.0');
      assert.equal(gitflowPrTitle(v), 'Sync release 2025.4.0 to develop');
      assert.equal(gitflowPrBody(v), 'Syncs changes from release 2025.4.0 (now in main) back to develop');
      assert.equal(valuesTagsCommitMessage(v), 'Update values-tags for release 2025.4.0');
      assert.equal(
        valuesTagsCommitMessage(v, 'production'),
        'Update values-tags for release 2025.4.0 (production)',
      );
      assert.equal(valuesTagsPrTitle(v), 'Update tags for release 2025.4.0');
      assert.equal(valuesTagsPrTitle(v, 'staging'), 'Update tags for release 2025.4.0 (staging)');
      assert.equal(valuesTagsPrBody(v), 'Updates image tags for release 2025.4.0 deployment');
      assert.equal(
        valuesTagsPrBody(v, 'production'),
        'Updates production image tags for release 2025.4.0 deployment',
      );
    });
    it('refuse a bad version', () => {
      assert.throws(() => commitMessageForVersionBump('2025.4'), CalVerError);
      assert.throws(() => releasePrTitle('v2025.4.0'), CalVerError);
    });
  });

  describe('isSafeRefName', () => {
    const safe = words(
      'release/2025.4.0 upgrade/2025.4.0 release/2025.4.0-values deploy/dev-2025.4.0.3392 v2025.4.0-rc.1',
    );
    safe.push('main', 'a/b.c/d');
    for (const name of safe) {
      it(`accepts ${name}`, () => {
        assert.equal(isSafeRefName(name), true);
        assert.equal(refNameProblem(name), null);
      });
    }
    const unsafe: [string, RegExp][] = [
      ['', /empty/],
      ['release/2025.4.0; rm -rf /', /space/],
      ['release 2025', /space/],
      ['release\t2025', /control/],
      ['release\x7f', /control/],
      ['a..b', /"\.\."/],
      ['a~1', /~/],
      ['a^', /\^/],
      ['a:b', /:/],
      ['a?', /\?/],
      ['a*', /\*/],
      ['a[0]', /\[/],
      ['a\\b', /\\/],
      ['-release', /starts with "-"/],
      ['a@{1}', /@\{/],
      ['@', /@/],
      ['release/2025.lock', /\.lock/],
      ['release.lock/x', /\.lock/],
      ['release/', /empty path component/],
      ['/release', /empty path component/],
      ['a//b', /empty path component/],
      ['release.', /ends with "\."/],
      ['release/.hidden', /starts with "\."/],
    ];
    for (const [name, problem] of unsafe) {
      it(`refuses ${JSON.stringify(name)}`, () => {
        assert.equal(isSafeRefName(name), false);
        assert.match(refNameProblem(name) ?? '', problem);
      });
    }
  });
});
