import assert from 'node:assert/strict';
import type { EcrImage } from '../../src/ports.js';
import { imagesEvidence, newestCompleteBuild, pushedTagsFromOutput } from '../../src/steps/image-tags.js';
import { replacementDiff } from '../../src/steps/text-diff.js';

const pair = { from: '0.1.92', to: '0.1.93' };
const image = (tag: string, pushedAt: string): EcrImage => ({
  tag,
  digest: `sha256:${tag.length.toString(16).padStart(64, '0')}`,
  sizeBytes: 400_000_000,
  pushedAt,
});

describe('steps: DAML upgrade image tags', () => {
  it('reads the pushed tags from docker-build.sh output, newest complete build of the pair only', () => {
    const output = [
      ' => => naming to 418272790138.dkr.ecr.us-east-1.amazonaws.com/right-pedal/portal-daml-upgrade:v0.1.93.0.1.92.2-init',
      'v0.1.93.0.1.92.2-init: digest: sha256:' + 'a'.repeat(64) + ' size: 1234',
      'v0.1.93.0.1.92.2-runner: digest: sha256:' + 'b'.repeat(64) + ' size: 1240',
      '==> Pushed 418272790138.dkr.ecr.us-east-1.amazonaws.com/right-pedal/portal-daml-upgrade:v0.1.93.0.1.92.2-init',
      '==> Pushed 418272790138.dkr.ecr.us-east-1.amazonaws.com/right-pedal/portal-daml-upgrade:v0.1.93.0.1.92.2-runner',
      '==> Pushed x:v0.1.94.0.1.93.9-init',
      '==> Pushed x:v0.1.94.0.1.93.9-runner',
    ].join('\n');
    assert.deepEqual(pushedTagsFromOutput(output, pair), {
      build: 2,
      init: 'v0.1.93.0.1.92.2-init',
      runner: 'v0.1.93.0.1.92.2-runner',
    });
  });

  it('needs both variants of a build', () => {
    assert.equal(pushedTagsFromOutput('==> Pushed x:v0.1.93.0.1.92.1-init\n', pair), undefined);
    assert.equal(pushedTagsFromOutput('', pair), undefined);
  });

  it('finds the newest complete build in ECR pushed since a commit, ignoring other pairs and older pushes', () => {
    const images = [
      image('v0.1.93.0.1.92.1-init', '2025-11-10T10:00:00.000Z'),
      image('v0.1.93.0.1.92.1-runner', '2025-11-10T10:01:00.000Z'),
      image('v0.1.93.0.1.92.2-init', '2025-11-10T12:00:00.000Z'),
      image('v0.1.93.0.1.92.2-runner', '2025-11-10T12:01:35.000Z'),
      image('v0.1.93.0.1.92.3-init', '2025-11-10T13:00:00.000Z'),
      image('v0.1.92.0.1.91.7-init', '2025-11-10T14:00:00.000Z'),
      image('v0.1.92.0.1.91.7-runner', '2025-11-10T14:00:00.000Z'),
      image('v0.0.812', '2025-11-10T14:00:00.000Z'),
    ];
    assert.equal(newestCompleteBuild(images, pair)?.build, 2);
    assert.equal(newestCompleteBuild(images, pair, '2025-11-10T11:00:00+00:00')?.build, 2);
    assert.equal(
      newestCompleteBuild(images, pair, '2025-11-10T12:00:30Z'),
      undefined,
      'build 2 init predates the commit',
    );
    const built = newestCompleteBuild(images, pair);
    assert.ok(built);
    assert.deepEqual(imagesEvidence(built), [
      {
        variant: 'init',
        tag: 'v0.1.93.0.1.92.2-init',
        digest: built.init.digest,
        sizeBytes: 400_000_000,
        pushedAt: '2025-11-10T12:00:00.000Z',
      },
      {
        variant: 'runner',
        tag: 'v0.1.93.0.1.92.2-runner',
        digest: built.runner.digest,
        sizeBytes: 400_000_000,
        pushedAt: '2025-11-10T12:01:35.000Z',
      },
    ]);
  });
});

describe('steps: replacement diff', () => {
  it('shows a VERSION bump like git does', () => {
    assert.equal(
      replacementDiff('VERSION', '2025.3.0\n', '2025.4.0\n'),
      '--- a/VERSION\n+++ b/VERSION\n@@ -1 +1 @@\n-2025.3.0\n+2025.4.0',
    );
  });

  it('shows a new file and a missing final newline', () => {
    assert.equal(
      replacementDiff('VERSION', undefined, '2025.4.0\n'),
      '--- /dev/null\n+++ b/VERSION\n@@ -0,0 +1 @@\n+2025.4.0',
    );
    assert.equal(
      replacementDiff('VERSION', '2025.3.0', '2025.4.0\n'),
      '--- a/VERSION\n+++ b/VERSION\n@@ -1 +1 @@\n-2025.3.0\n\\ No newline at end of file\n+2025.4.0',
    );
  });
});
