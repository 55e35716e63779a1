/** 2.2's matcher: the image a main build pushed, told by its runs and push times — never the newest tag. */
import assert from 'node:assert/strict';
import { matchBuiltImage, PUSH_SLACK_MS, SEMVER_TAG } from '../../src/steps/github/built-tags-match.js';
import { actionsUrl, elapsed, webBaseOf } from '../../src/steps/github/follow-build.js';
import { image, run } from './built-tags-fakes.js';

const NOW = Date.parse('2025-06-02T15:00:00Z');
const older = [image('v0.0.828', '2025-05-30T09:00:00Z'), image('v0.0.829', '2025-06-01T10:00:00Z')];
const tagOf = (match: ReturnType<typeof matchBuiltImage>) =>
  match.kind === 'found' ? match.image.tag : match.kind;

describe('2.2 built tags: which image the main build pushed', () => {
  it('takes the image pushed while the build ran, not an older one nor a newer one pushed after it', () => {
    const images = [
      ...older,
      image('v0.0.830', '2025-06-02T14:11:30Z'),
      image('v0.0.831', '2025-06-02T14:40:00Z'),
    ];
    const match = matchBuiltImage(images, [run()], [], NOW);
    assert.equal(tagOf(match), 'v0.0.830');
    assert.equal(match.kind === 'found' && match.run.id, 11_604_000_001);
  });

  it('counts a push up to a minute after the run’s last update (GitHub’s times are to the second), not later', () => {
    const late = new Date(Date.parse('2025-06-02T14:12:00Z') + PUSH_SLACK_MS - 1000).toISOString();
    assert.equal(tagOf(matchBuiltImage([...older, image('v0.0.830', late)], [run()], [], NOW)), 'v0.0.830');
    const tooLate = new Date(Date.parse('2025-06-02T14:12:00Z') + PUSH_SLACK_MS + 1000).toISOString();
    assert.equal(tagOf(matchBuiltImage([...older, image('v0.0.830', tooLate)], [run()], [], NOW)), 'none');
  });

  it('prefers the semver tag of a push over its other tags, and semver pushes over others', () => {
    const digest = `sha256:${'b'.repeat(64)}`;
    const sameDigest = [
      image('latest', '2025-06-02T14:11:30Z', digest),
      image('v0.0.830', '2025-06-02T14:11:30Z', digest),
      image('sha-aaaaaaa', '2025-06-02T14:11:30Z', digest),
    ];
    assert.equal(tagOf(matchBuiltImage([...older, ...sameDigest], [run()], [], NOW)), 'v0.0.830');
    const cache = image('buildcache', '2025-06-02T14:05:00Z');
    assert.equal(
      tagOf(matchBuiltImage([...older, cache, image('v0.0.830', '2025-06-02T14:11:30Z')], [run()], [], NOW)),
      'v0.0.830',
    );
    assert.ok(SEMVER_TAG.test('v0.0.830') && SEMVER_TAG.test('1.2.3') && !SEMVER_TAG.test('v0.0.830-rc.1'));
  });

  it('finds none when nothing was pushed in the window, and lists the newest images with their times', () => {
    const match = matchBuiltImage([...older, image('v0.0.827', '2025-05-20T09:00:00Z')], [run()], [], NOW);
    assert.equal(match.kind, 'none');
    assert.deepEqual(match.kind === 'none' && match.candidates.map((c) => c.tag), [
      'v0.0.829',
      'v0.0.828',
      'v0.0.827',
    ]);
    assert.equal(match.kind === 'none' && match.window.from, Date.parse('2025-06-02T14:00:00Z'));
  });

  it('says it cannot tell when two pushes fall in the window and no other build explains one', () => {
    const images = [
      ...older,
      image('v0.0.830', '2025-06-02T14:05:00Z'),
      image('v0.0.831', '2025-06-02T14:11:00Z'),
    ];
    const match = matchBuiltImage(images, [run()], [], NOW);
    assert.equal(match.kind, 'ambiguous');
    assert.deepEqual(match.kind === 'ambiguous' && match.candidates.map((c) => c.tag).sort(), [
      'v0.0.830',
      'v0.0.831',
    ]);
  });

  describe('two merges in a row, their builds overlapping', () => {
    const first = run({
      id: 1,
      headSha: '1'.repeat(40),
      createdAt: '2025-06-02T14:00:00Z',
      updatedAt: '2025-06-02T14:12:00Z',
    });
    const second = run({
      id: 2,
      headSha: '2'.repeat(40),
      createdAt: '2025-06-02T14:03:00Z',
      updatedAt: '2025-06-02T14:15:00Z',
    });
    const images = [
      ...older,
      image('v0.0.830', '2025-06-02T14:11:50Z'),
      image('v0.0.831', '2025-06-02T14:14:50Z'),
    ];

    it('the later merge’s build pushed the higher tag: the earlier build’s image is never picked, though pushed after this build started', () => {
      assert.equal(tagOf(matchBuiltImage(images, [second], [first], NOW)), 'v0.0.831');
    });

    it('the earlier merge’s build pushed the lower tag, though the later build’s push falls in its window', () => {
      const longSlack = [
        ...older,
        image('v0.0.830', '2025-06-02T14:11:50Z'),
        image('v0.0.831', '2025-06-02T14:12:30Z'),
      ];
      assert.equal(tagOf(matchBuiltImage(longSlack, [first], [second], NOW)), 'v0.0.830');
    });

    it('one push in the window that the other build may have made: cannot tell, and says which build', () => {
      const onlyFirst = [...older, image('v0.0.830', '2025-06-02T14:11:50Z')];
      const match = matchBuiltImage(onlyFirst, [second], [first], NOW);
      assert.equal(match.kind, 'ambiguous');
      assert.match(
        match.kind === 'ambiguous' ? match.why : '',
        /the build of 1111111 \(Build and Publish, https:\/\/github\.com\/.*\/runs\/\d+\) ran at the same time/,
      );
    });

    it('a build that finished just before, its own push outside this window, is accounted for by that push', () => {
      const before = run({
        id: 0,
        headSha: '0'.repeat(40),
        createdAt: '2025-06-02T13:50:00Z',
        updatedAt: '2025-06-02T13:59:40Z',
      });
      const pushed = [
        ...older,
        image('v0.0.830', '2025-06-02T13:59:30Z'),
        image('v0.0.831', '2025-06-02T14:00:20Z'),
      ];
      assert.equal(tagOf(matchBuiltImage(pushed, [first], [before], NOW)), 'v0.0.831');
    });

    it('three at once: the middle merge’s build pushed the middle tag', () => {
      const third = run({
        id: 4,
        headSha: '4'.repeat(40),
        createdAt: '2025-06-02T14:05:00Z',
        updatedAt: '2025-06-02T14:13:00Z',
      });
      const three = [
        ...older,
        image('v0.0.830', '2025-06-02T14:11:50Z'),
        image('v0.0.831', '2025-06-02T14:12:20Z'),
        image('v0.0.832', '2025-06-02T14:12:50Z'),
      ];
      assert.equal(tagOf(matchBuiltImage(three, [second], [first, third], NOW)), 'v0.0.831');
      assert.equal(tagOf(matchBuiltImage(three, [first], [second, third], NOW)), 'v0.0.830');
      assert.equal(tagOf(matchBuiltImage(three, [third], [first, second], NOW)), 'v0.0.832');
    });

    it('builds created in the same second are told apart by their run ids, which grow as runs are created', () => {
      const a = run({
        id: 10,
        headSha: '1'.repeat(40),
        createdAt: '2025-06-02T14:00:00Z',
        updatedAt: '2025-06-02T14:10:00Z',
      });
      const b = run({
        id: 11,
        headSha: '2'.repeat(40),
        createdAt: '2025-06-02T14:00:00Z',
        updatedAt: '2025-06-02T14:10:00Z',
      });
      const both = [
        ...older,
        image('v0.0.830', '2025-06-02T14:09:59Z'),
        image('v0.0.831', '2025-06-02T14:09:59Z'),
      ];
      assert.equal(tagOf(matchBuiltImage(both, [b], [a], NOW)), 'v0.0.831');
      assert.equal(tagOf(matchBuiltImage(both, [a], [b], NOW)), 'v0.0.830');
    });

    it('a build that ran long before is no rival', () => {
      const yesterday = run({
        id: 0,
        headSha: '0'.repeat(40),
        createdAt: '2025-06-01T09:50:00Z',
        updatedAt: '2025-06-01T10:01:00Z',
      });
      assert.equal(
        tagOf(
          matchBuiltImage([...older, image('v0.0.830', '2025-06-02T14:11:50Z')], [first], [yesterday], NOW),
        ),
        'v0.0.830',
      );
    });
  });

  it('the window of every run of the commit: from the first created to the last finished', () => {
    const ci = run({
      id: 3,
      name: 'CI',
      createdAt: '2025-06-02T14:00:05Z',
      updatedAt: '2025-06-02T14:20:00Z',
    });
    assert.equal(
      tagOf(matchBuiltImage([...older, image('v0.0.830', '2025-06-02T14:19:00Z')], [run(), ci], [], NOW)),
      'v0.0.830',
    );
  });
});

describe('2.2 built tags: where to look', () => {
  it('links GitHub’s or GitHub Enterprise’s Actions page of main', () => {
    assert.equal(webBaseOf('https://api.github.com'), 'https://github.com');
    assert.equal(webBaseOf('https://ghe.example.com/api/v3/'), 'https://ghe.example.com');
    assert.equal(
      actionsUrl('https://api.github.com', { owner: 'rplendos', name: 'lendos' }),
      'https://github.com/rplendos/lendos/actions?query=branch%3Amain',
    );
  });

  it('says how long a run has been going, in minutes', () => {
    const now = new Date('2025-06-02T14:02:30Z');
    assert.equal(elapsed('2025-06-02T14:02:00Z', now), '<1 min');
    assert.equal(elapsed('2025-06-02T14:00:00Z', now), '2 min');
  });
});
