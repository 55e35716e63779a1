import assert from 'node:assert/strict';
import { devChangelog, devChangelogMarkdown, devChangelogText, type MergedPull } from '../../src/core/dev-changelog.js';

const pull = (number: number, title: string, mergedAt: string): MergedPull => ({ number, title, author: 'ada', mergedAt, url: `https://github.com/o/r/pull/${number}` });

describe('dev changelog (Section 4)', () => {
  const since = '2025-11-01T00:00:00.000Z';
  const pulls = [
    pull(1, 'feat: before the sync', '2025-10-30T10:00:00Z'),
    pull(3, 'fix(api)!: breaking fix', '2025-11-03T10:00:00Z'),
    pull(2, 'feat(portal): export', '2025-11-02T10:00:00Z'),
    pull(4, 'Bump deps \u001b[31m', '2025-11-04T10:00:00Z'),
  ];

  it('keeps what was merged after the sync, grouped features, fixes, then the rest, oldest first', () => {
    const changelog = devChangelog(pulls, since);
    assert.equal(changelog.count, 3);
    assert.deepEqual(changelog.groups.map((g) => [g.title, g.pulls.map((p) => p.number)]), [['Features', [2]], ['Fixes', [3]], ['Other changes', [4]]]);
  });

  it('writes inert Markdown, and says so when nothing was merged', () => {
    const text = devChangelogMarkdown(devChangelog(pulls, since), 'Since the last sync').join('\n');
    assert.ok(!text.includes('\u001b'));
    assert.match(text, /### Features\n\n- #2 feat\\\(portal\\\)\\: export \(@ada, merged 2025-11-02\)/);
    assert.match(devChangelogMarkdown(devChangelog(pulls, '2026-01-01T00:00:00Z'), 'x').join('\n'), /Nothing was merged to main since 2026-01-01 00:00 UTC\./);
  });

  it('writes the same as plain text for a log: no Markdown escapes, still no terminal escapes', () => {
    const text = devChangelogText(devChangelog(pulls, since), 'Since the last sync').join('\n');
    assert.ok(!text.includes('\u001b'));
    assert.match(text, /^Since the last sync:\n\nFeatures:\n\n {2}- #2 feat\(portal\): export \(@ada, merged 2025-11-02\)/);
  });
});
