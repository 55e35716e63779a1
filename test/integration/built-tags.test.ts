/**
 * 2.2 Identify built artifact tags on the rehearsal world, with the real adapters: the release merged into main
 * through GitHub, the step following the main build's run, finding each service's image in ECR by the run and push
 * time, confirming tag, digest and push time, and recording them; a rerun adopting; a cancel while following; two
 * merges in a row; and 2.2 Merge marked done by hand.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import { loadScenario } from '../../rehearsal/src/index.js';
import { BuiltTagsWorld, MERGE_STEP, STEP, VERSION } from './built-tags-world.js';
import { waitFor } from './rehearsal/world-helpers.js';

const IMAGES = [
  'lendos-portal-backend',
  'lendos-portal-frontend',
  'signing-portal-backend',
  'signing-portal-frontend',
];

type Tags = Record<
  string,
  { tag: string; digest: string; pushedAt: string; repository: string; override?: unknown }
>;

const tagsOf = async (w: BuiltTagsWorld) => (await w.evidence())['tags'] as unknown as Tags;
const pairs = (tags: Tags) =>
  Object.fromEntries(Object.entries(tags).map(([image, t]) => [image, { tag: t.tag, digest: t.digest }]));

describe('2.2 Identify built artifact tags (rehearsal world)', function () {
  this.timeout(180_000);
  let w: BuiltTagsWorld;
  before(async () => {
    const fast = loadScenario('fast');
    // A main build of about five seconds: long enough to be followed, polled and cancelled.
    w = await BuiltTagsWorld.start({
      ...fast,
      name: 'built-tags',
      durations: { ...fast.durations, mainBuild: 1_000_000 },
    });
  });
  after(async () => w?.cleanup());

  it('follows the build of the merge, then records the four tags it pushed, shown with digest and push time', async () => {
    const sha = await w.merge();
    await w.recordMerge(sha);
    const { result, prompt, log } = await w.run();
    assert.equal(result.status, 'succeeded', `${result.summary}\n${log.text()}`);
    const progress = (await w.events()).filter((e) => e.type === 'step.progress').map((e) => e.message ?? '');
    assert.ok(
      progress.some((m) => /^Build and Publish (queued|in_progress) \(<1 min\)$/.test(m)),
      progress.join('\n'),
    );
    const built = w.builtFrom(sha);
    assert.deepEqual(Object.keys(built).sort(), [...IMAGES].sort());
    const tags = await tagsOf(w);
    assert.deepEqual(pairs(tags), built, 'exactly the images whose revision is the merge commit');
    const evidence = await w.evidence();
    assert.equal(evidence['mergeSha'], sha);
    const runs = evidence['runs'] as { name: string; conclusion: string; url: string }[];
    assert.deepEqual(
      runs.map((r) => [r.name, r.conclusion]),
      [['Build and Publish', 'success']],
    );
    assert.match(runs[0]?.url ?? '', /^https:\/\/github\.com\/rplendos\/lendos\/actions\/runs\/\d+$/);
    const [form] = prompt.forms;
    assert.equal(prompt.forms.length, 1);
    assert.deepEqual(
      form?.fields.map((f) => f.id),
      [...IMAGES, 'reason'],
    );
    for (const field of form?.fields.slice(0, 4) ?? []) {
      const t = tags[field.id];
      assert.equal(field.value, t?.tag);
      const time = new Date(t?.pushedAt ?? '').toISOString().slice(11, 19);
      assert.match(
        field.source ?? '',
        new RegExp(`pushed ${time} UTC during Build and Publish run \\d+, digest ${t?.digest.slice(0, 19)}…`),
      );
    }
    assert.equal(
      Object.values(tags).some((t) => t.override),
      false,
    );
  });

  it('a rerun adopts the recorded tags while they still name the same images in ECR', async () => {
    const before = await tagsOf(w);
    const { result, prompt } = await w.run();
    assert.deepEqual([result.status, 'adopted' in result && result.adopted], ['succeeded', true]);
    assert.match(result.summary, /still in ECR with the same digests/);
    assert.equal(prompt.forms.length, 0, 'nothing asked');
    assert.deepEqual(await tagsOf(w), before);
  });

  it('a cancel while following says the build goes on and a rerun picks it up', async () => {
    const sha = await w.merge();
    await w.recordMerge(sha);
    const abort = new AbortController();
    const running = w.run({ signal: abort.signal });
    const seen = async () => (await w.events()).filter((e) => e.type === 'step.progress').at(-1)?.message;
    await waitFor('progress on the new build', async () =>
      (await seen())?.startsWith('Build and Publish') && (await w.events()).at(-1)?.type === 'step.progress'
        ? true
        : undefined,
    );
    abort.abort();
    const { result } = await running;
    assert.equal(result.status, 'cancelled');
    const last = (await w.events()).at(-1);
    assert.equal(last?.type, 'step.cancelled');
    assert.match(
      last?.message ?? '',
      new RegExp(
        `Stopped following the main build of ${sha.slice(0, 7)}; the build goes on in GitHub Actions .*Run this step again to pick it up`,
      ),
    );
    assert.notDeepEqual(pairs(await tagsOf(w)), w.builtFrom(sha), 'nothing recorded for the new merge');
    const again = await w.run();
    assert.deepEqual(
      [again.result.status, 'adopted' in again.result && again.result.adopted],
      ['succeeded', false],
      again.result.summary,
    );
    assert.deepEqual(pairs(await tagsOf(w)), w.builtFrom(sha), 'the rerun took up the build where it was');
  });

  it('two merges in a row: each run takes its own build’s tags, never the other’s', async () => {
    const first = await w.merge();
    const second = await w.merge();
    await w.recordMerge(first);
    const one = await w.run();
    assert.equal(one.result.status, 'succeeded', one.result.summary);
    await w.world.github.settled();
    assert.deepEqual(pairs(await tagsOf(w)), w.builtFrom(first));
    await w.recordMerge(second);
    const two = await w.run();
    assert.deepEqual(
      [two.result.status, 'adopted' in two.result && two.result.adopted],
      ['succeeded', false],
      'the first merge’s tags are not adopted for the second',
    );
    assert.deepEqual(pairs(await tagsOf(w)), w.builtFrom(second));
    for (const image of IMAGES)
      assert.notEqual(w.builtFrom(first)[image]?.tag, w.builtFrom(second)[image]?.tag);
  });

  it('2.2 Merge marked done by hand: follows main’s head after a fetch, and says so', async () => {
    await w.world.github.settled();
    for (const step of [MERGE_STEP, STEP])
      await w.service.appendEvent({ release: VERSION, step, type: 'step.reset' });
    await w.service.markDone(VERSION, MERGE_STEP, { force: true, note: 'merged in the GitHub UI' });
    const { result, log } = await w.run();
    assert.equal(result.status, 'succeeded', result.summary);
    const main = (await w.evidence())['mergeSha'] as string;
    assert.equal((await w.evidence())['mergeShaFrom'], 'origin/main');
    assert.match(
      log.text(),
      new RegExp(
        `warn: 2.2 Merge was marked done by hand and recorded no merge commit: following main's head ${main.slice(0, 7)}`,
      ),
    );
    assert.deepEqual(pairs(await tagsOf(w)), w.builtFrom(main));
  });
});
