/**
 * 2.2 Identify built artifact tags when the main build goes wrong (rehearsal scenarios at the pace of `fast`): an
 * image the build never pushed, a build that fails, a build that never starts — each a failure saying what happened
 * and where to look, journalled on the step.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'mocha';
import { BuiltTagsWorld, FormPrompt } from './built-tags-world.js';
import { atFastPace } from './rehearsal/world-helpers.js';

describe('2.2 Identify built artifact tags when the main build goes wrong', function () {
  this.timeout(180_000);
  let w: BuiltTagsWorld | undefined;
  afterEach(async () => {
    await w?.cleanup();
    w = undefined;
  });

  async function mergedIn(scenario: string, github = {}): Promise<{ w: BuiltTagsWorld; sha: string }> {
    w = await BuiltTagsWorld.start(atFastPace(scenario), github);
    const sha = await w.merge();
    await w.recordMerge(sha);
    return { w, sha };
  }

  it('tag-missing-from-ecr: fails naming the service without an image of the build, with the candidates; a named tag then goes through as an override', async () => {
    const { w, sha } = await mergedIn('tag-missing-from-ecr');
    const { result, prompt } = await w.run();
    assert.equal(result.status, 'failed');
    assert.match(
      result.summary,
      new RegExp(
        `^signing-portal-frontend: no image built for ${sha.slice(0, 7)} — no image of its own was pushed to ECR right-pedal/signing-portal-frontend while the build ran \\(\\d\\d:\\d\\d:\\d\\d UTC–\\d\\d:\\d\\d:\\d\\d UTC\\); newest there: v0.0.552 \\(pushed \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC, sha256:[0-9a-f]{12}…\\), v0.0.551 `,
      ),
    );
    assert.match(
      result.summary,
      /Check the build's log \(Build and Publish https:\/\/github\.com\/rplendos\/lendos\/actions\/runs\/\d+\)/,
    );
    assert.doesNotMatch(result.summary, /lendos-portal-backend:/, 'the three found are not reported');
    const field = prompt.forms[0]?.fields.find((f) => f.id === 'signing-portal-frontend');
    assert.equal(field?.value, '', 'nothing proposed for it');
    const events = await w.events();
    assert.deepEqual(
      [events[0]?.type, events.at(-1)?.type],
      ['step.started', 'step.failed'],
      'a failure of the build, journalled',
    );

    const named = await w.run({
      prompt: new FormPrompt({
        'signing-portal-frontend': 'v0.0.552',
        reason: 'not changed by this release',
      }),
    });
    assert.equal(named.result.status, 'succeeded', named.result.summary);
    assert.match(named.result.summary, /named instead of the build's: signing-portal-frontend/);
    const tags = (await w.evidence())['tags'] as Record<string, { tag: string; override?: unknown }>;
    assert.deepEqual(tags['signing-portal-frontend']?.override, {
      found: null,
      reason: 'not changed by this release',
    });
    assert.equal(tags['signing-portal-frontend']?.tag, 'v0.0.552');
    assert.equal(tags['lendos-portal-backend']?.tag, w.builtFrom(sha)['lendos-portal-backend']?.tag);
  });

  it('main-build-fails: fails with the failed run and its link; nothing recorded', async () => {
    const { w, sha } = await mergedIn('main-build-fails');
    const { result } = await w.run();
    assert.equal(result.status, 'failed');
    assert.match(
      result.summary,
      new RegExp(
        `^The main build of ${sha.slice(0, 7)} failed: Build and Publish ended failure — https://github\\.com/rplendos/lendos/actions/runs/\\d+\\. `,
      ),
    );
    const last = (await w.events()).at(-1);
    assert.deepEqual([last?.type, last?.message], ['step.failed', result.summary]);
    assert.equal((await w.evidence())['tags'], undefined);
  });

  it('main-build-never-starts: fails after github.buildStartTimeoutSeconds, saying where to look', async () => {
    const { w, sha } = await mergedIn('main-build-never-starts', { buildStartTimeoutSeconds: 3 });
    const started = Date.now();
    const { result } = await w.run();
    const waited = Date.now() - started;
    assert.equal(result.status, 'failed');
    assert.ok(waited >= 3000 && waited < 10_000, `waited ${waited} ms`);
    assert.match(
      result.summary,
      new RegExp(
        `^No GitHub Actions run started for ${sha.slice(0, 7)} on main within 3 s \\(github.buildStartTimeoutSeconds\\)\\. Look at http://127\\.0\\.0\\.1:\\d+/rplendos/lendos/actions\\?query=branch%3Amain`,
      ),
    );
    const progress = (await w.events()).filter((e) => e.type === 'step.progress').map((e) => e.message);
    assert.deepEqual(progress, [`Waiting for the main build of ${sha.slice(0, 7)} to start`]);
  });
});
