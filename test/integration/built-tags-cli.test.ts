/**
 * 2.2 Identify built artifact tags through the built CLI (`dist/cli.js`, its lazy bundles as shipped) against a
 * rehearsal world, after the main build of the release merge finished: `--set IMAGE=TAG` with a reason recorded as an
 * override; a tag ECR does not have, or a changed tag without a reason, refused before the step starts (nothing
 * journalled); a rerun adopting.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import { createContext } from '../../src/cli/context.js';
import { CliWorld, VERSION } from './cli-world.js';
import { mergeIntoMain, pushCommit } from './rehearsal/github-merge.js';

const STEP = 'staging.identify-tags';

describe('2.2 Identify built artifact tags through the built CLI', function () {
  this.timeout(180_000);
  let w: CliWorld;
  let sha: string;
  before(async () => {
    w = await CliWorld.start('fast');
    const world = w.test.world;
    pushCommit(world, `release/${VERSION}`, 'VERSION', VERSION);
    sha = await mergeIntoMain(world, `release/${VERSION}`);
    const { service } = await createContext(w.root);
    await service.appendEvent({ release: VERSION, step: 'staging.merge-to-main', type: 'step.started' });
    await service.appendEvent({
      release: VERSION,
      step: 'staging.merge-to-main',
      type: 'step.succeeded',
      data: { mergeSha: sha },
    });
    await world.github.settled();
  });
  after(async () => w?.close());

  it('refuses a tag that is not in ECR before the step starts: nothing is journalled', async () => {
    const run = await w.lendos(
      'run',
      STEP,
      '--yes',
      '--set',
      'lendos-portal-backend=v9.9.9',
      '--set',
      'reason=try',
    );
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.match(
      run.stdout + run.stderr,
      /lendos-portal-backend: ECR right-pedal\/lendos-portal-backend has no tag v9\.9\.9\. Name a tag that was pushed there, or keep v0\.0\.830\. Nothing was recorded\./,
    );
    assert.deepEqual(await w.events(STEP), []);
  });

  it('refuses a changed tag without a reason, saying how to give one: nothing is journalled', async () => {
    const run = await w.lendos('run', STEP, '--yes', '--set', 'lendos-portal-backend=v0.0.829');
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.match(
      run.stdout + run.stderr,
      /lendos-portal-backend: you named v0\.0\.829 instead of v0\.0\.830 \(found for this build\); say why in the Reason field \(--set reason="…"\)/,
    );
    assert.deepEqual(await w.events(STEP), []);
  });

  it('records a tag named with --set and its reason as an override, the others as the build pushed them', async () => {
    const reason = 'v0.0.830 fails the smoke test; v0.0.829 is what staging runs';
    const run = await w.lendos(
      'run',
      STEP,
      '--yes',
      '--set',
      'lendos-portal-backend=v0.0.829',
      '--set',
      `reason=${reason}`,
    );
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(
      run.stdout,
      /lendos-portal-frontend: v0\.0\.568 +\(from ECR right-pedal\/lendos-portal-frontend, pushed \d\d:\d\d:\d\d UTC during Build and Publish run \d+, digest sha256:[0-9a-f]{12}…\)/,
    );
    assert.match(
      run.stdout,
      new RegExp(
        `staging.identify-tags: succeeded — Tags built from ${sha.slice(0, 7)}: lendos-portal-backend v0.0.829, .*named instead of the build's: lendos-portal-backend`,
      ),
    );
    const done = (await w.events(STEP)).at(-1);
    assert.equal(done?.type, 'step.succeeded');
    const tags = done?.data?.['tags'] as Record<string, { tag: string; digest: string; override?: unknown }>;
    const ecr = w.test.world.ecr
      .images('right-pedal/lendos-portal-backend')
      .find((i) => i.tags.includes('v0.0.829'));
    assert.deepEqual(tags['lendos-portal-backend'], {
      ...tags['lendos-portal-backend'],
      tag: 'v0.0.829',
      digest: ecr?.digest,
      override: { found: 'v0.0.830', reason },
    });
    assert.equal(tags['signing-portal-frontend']?.tag, 'v0.0.553');
    assert.equal(tags['signing-portal-frontend']?.override, undefined);
  });

  it('a rerun adopts what is recorded, asking nothing', async () => {
    const run = await w.lendos('run', STEP);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(
      run.stdout,
      /staging\.identify-tags: succeeded \(already done\) — .*lendos-portal-backend v0\.0\.829/,
    );
  });
});
