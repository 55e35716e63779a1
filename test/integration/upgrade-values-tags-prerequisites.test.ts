/**
 * The values-tags prerequisite of the upgrade on the rehearsal world: the release's tags must be what the workloads
 * main deploys, and each must exist in ECR (`tag-missing-from-ecr`: the build never pushed signing-portal-frontend
 * v0.0.553).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'mocha';
import { SEEDED_SERVICE_TAGS } from '../../rehearsal/src/git/values-tags.js';
import { UPGRADE_REPOSITORY, UpgradeAwsWorld } from './upgrade-aws-harness.js';
import { atFastPace } from './rehearsal/world-helpers.js';

const STEP = 'staging.upgrade.prerequisites';

describe('Section 3 prerequisites: the release’s tags on the workloads main and in ECR (tag-missing-from-ecr)', function () {
  this.timeout(120_000);
  let w: UpgradeAwsWorld;
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: w.test.world.description.workspace.workloads, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

  async function failedChecks(): Promise<{ summary: string; failed: string[] }> {
    const { result, log } = await w.run(STEP);
    assert.equal(result.status, 'failed', log.text());
    const checks = (await w.evidence(STEP))['checks'] as { check: string; ok: boolean }[];
    return { summary: result.summary, failed: checks.filter((c) => !c.ok).map((c) => c.check) };
  }

  before(async function () {
    w = await UpgradeAwsWorld.start(atFastPace('tag-missing-from-ecr'));
    const images = (['init', 'runner'] as const).map((variant) => {
      const image = w.test.world.ecr.putImage({ repository: UPGRADE_REPOSITORY, tags: [`v0.1.93.0.1.92.7-${variant}`] });
      return { variant, tag: image.tags[0] ?? '', digest: image.digest, sizeBytes: image.sizeBytes, pushedAt: image.pushedAt.toISOString() };
    });
    await w.recordSuccess('prep.upgrade-images', { repository: UPGRADE_REPOSITORY, from: '0.1.92', to: '0.1.93', build: 7, images });
  });
  after(async () => w?.cleanup());

  it('the Kube port answers the images a backend’s pods run (what validation compares with the release’s tag)', async () => {
    const kube = await w.ports.kube();
    const context = w.config.environments.staging.kubeContext;
    const { selector } = await kube.getScale(context, 'lendos-portal', 'lendos-portal-backend');
    const pods = await kube.listPods(context, 'lendos-portal', selector);
    assert.ok(pods.length > 0);
    for (const pod of pods) assert.match(pod.images?.join(',') ?? '', new RegExp(`right-pedal/lendos-portal-backend:${SEEDED_SERVICE_TAGS['lendos-portal-backend']}$`));
  });

  it('fails when main does not deploy the tags staging’s values-tags step recorded, saying which and what to do', async () => {
    await w.recordSuccess('staging.values-tags', { tags: { ...SEEDED_SERVICE_TAGS, 'lendos-portal-backend': 'v0.0.829' } });
    await w.markDependenciesDone(STEP);
    const { summary, failed } = await failedChecks();
    assert.deepEqual(failed, ['values-tags']);
    assert.match(
      summary,
      /^- values-tags: values-tags-staging\.yaml on origin\/main \([0-9a-f]{7}\): lendos-portal-backend is v0\.0\.812, not the release's v0\.0\.829\. Next: Run staging\.values-tags \(it opens the values-tags PR and waits for its merge\)/m,
    );
  });

  it('fails when main deploys a tag ECR does not have, naming the image', async () => {
    const file = path.join(w.test.world.description.workspace.workloads, 'values-tags-staging.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('tag: v0.0.541', 'tag: v0.0.553'));
    git('commit', '-qam', 'Update values-tags for release 2025.4.0 (staging)');
    git('push', '-q', 'origin', 'main');
    await w.recordSuccess('staging.values-tags', { tags: { ...SEEDED_SERVICE_TAGS, 'signing-portal-frontend': 'v0.0.553' } });
    const { summary, failed } = await failedChecks();
    assert.deepEqual(failed, ['values-tags']);
    assert.match(summary, /^- values-tags: values-tags-staging\.yaml on origin\/main \([0-9a-f]{7}\) names an image ECR does not have: right-pedal\/signing-portal-frontend:v0\.0\.553\. Next: Find out why the build did not push it/m);
    const evidence = (await w.evidence(STEP))['valuesTags'] as { tags: Record<string, { tag: string }> };
    assert.deepEqual(Object.keys(evidence.tags).sort(), ['lendos-portal-backend', 'lendos-portal-frontend', 'signing-portal-backend']);
  });

  it('passes once main deploys the release’s tags and ECR has them all', async () => {
    await w.recordSuccess('staging.values-tags', { tags: { ...SEEDED_SERVICE_TAGS, 'signing-portal-frontend': 'v0.0.552' } });
    const file = path.join(w.test.world.description.workspace.workloads, 'values-tags-staging.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('tag: v0.0.553', 'tag: v0.0.552'));
    git('commit', '-qam', 'Pin signing-portal-frontend to v0.0.552');
    git('push', '-q', 'origin', 'main');
    const { result, log } = await w.run(STEP);
    assert.equal(result.status, 'succeeded', `${result.summary}\n${log.text()}`);
    assert.match(log.text(), /✓ values-tags: values-tags-staging\.yaml on origin\/main \([0-9a-f]{7}\) names the release's tags, each in ECR: .*signing-portal-frontend v0\.0\.552/);
  });
});
