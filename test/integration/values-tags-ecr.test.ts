/**
 * values-tags against the rehearsal world's ECR over HTTP with the real AWS SDK adapter: a tag's facts, a repository
 * of more than 1,000 images listed page by page, no credentials, ECR out of reach.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'mocha';
import { systemClock } from '../../src/adapters/clock.js';
import { createEcr } from '../../src/adapters/aws/index.js';
import type { EcrOptions } from '../../src/adapters/aws/ecr.js';
import { UserError } from '../../src/core/errors.js';
import { applyTagEdits, hoverMarkdown } from '../../src/core/values-tags/index.js';
import { checkValuesTags, EcrFacts } from '../../src/steps/values-tags/index.js';
import { startTestWorld, type TestWorld } from './rehearsal/world-helpers.js';
import { testConfig } from './upgrade-aws-harness.js';

const BACKEND = 'right-pedal/lendos-portal-backend';
const UPGRADE = 'right-pedal/portal-daml-upgrade';

describe('values-tags: ECR facts against the rehearsal world', function () {
  this.timeout(60_000);
  let t: TestWorld;
  const config = testConfig();
  before(async () => {
    t = await startTestWorld('fast');
  });
  after(async () => t?.cleanup());

  const options = (profile = config.aws.artifactsProfile): EcrOptions => {
    const { aws } = t.world.description;
    return { region: aws.region, profile, endpoint: aws.ecrEndpoint, configFile: aws.configFile, credentialsFile: aws.credentialsFile };
  };
  const facts = (profile?: string) => new EcrFacts(async () => createEcr(options(profile)), systemClock);
  const staging = () => readFileSync(path.join(t.world.description.workspace.workloads, 'values-tags-staging.yaml'), 'utf8');

  it('gives a tag’s push time, digest, size, other tags, the newest tag and the builds after it, as the world holds them', async () => {
    const truth = t.world.ecr.images(BACKEND).filter((i) => i.tags.length > 0);
    const own = truth.find((i) => i.tags.includes('v0.0.812'));
    assert.ok(own, 'the world has v0.0.812');
    const f = facts();
    const first = await f.facts(BACKEND, 'v0.0.812', { release: '2025.4.0', tag: 'v0.0.829' });
    assert.equal(first.counting, true, 'the first answer does not wait for the listing');
    assert.deepEqual(first.facts.image, { tag: 'v0.0.812', digest: own.digest, sizeBytes: own.sizeBytes, pushedAt: own.pushedAt.toISOString() });
    await f.listing(BACKEND);
    const cached = await f.facts(BACKEND, 'v0.0.812', { release: '2025.4.0', tag: 'v0.0.829' });
    const newest = truth.reduce((a, b) => (b.pushedAt > a.pushedAt ? b : a));
    assert.deepEqual(cached.facts.standing, {
      newestTags: [...newest.tags].sort(),
      newestPushedAt: newest.pushedAt.toISOString(),
      newerBuilds: truth.filter((i) => i.pushedAt > own.pushedAt).length,
    });
    assert.deepEqual(newest.tags, ['v0.0.829']);
    assert.ok((cached.facts.standing?.newerBuilds ?? 0) > 0);
    const markdown = hoverMarkdown({ service: 'lendos-portal-backend', imageUri: `x/${BACKEND}:v0.0.812`, ...cached });
    assert.match(markdown, /builds newer; newest: v0\\\.0\\\.829/);
    assert.match(markdown, /Release 2025\\\.4\\\.0 recorded v0\\\.0\\\.829/);
  });

  it('lists a repository of more than 1,000 images through every page, and sees other tags of the same digest', async () => {
    // After the seeded history (it ends two days before the world started), a minute apart: CI pushes of the last day.
    const start = Date.now() - 1_501 * 60_000;
    for (let i = 0; i < 1_500; i++) t.world.ecr.putImage({ repository: UPGRADE, tags: [`ci-${i}`], pushedAt: new Date(start + i * 60_000), sizeBytes: 1_000 + i });
    const moved = t.world.ecr.putImage({ repository: UPGRADE, tags: ['ci-1499', 'latest'], pushedAt: new Date(start + 1_499 * 60_000), sizeBytes: 2_499 });
    const expected = t.world.ecr.images(UPGRADE).flatMap((i) => i.tags).length;
    assert.ok(expected > 1_500);
    const f = facts();
    const listing = await f.listing(UPGRADE);
    assert.equal(listing.length, expected, 'every page was read');
    const early = await f.facts(UPGRADE, 'ci-0');
    assert.equal(early.facts.standing?.newerBuilds, 1_499);
    assert.deepEqual(early.facts.standing?.newestTags, ['ci-1499', 'latest']);
    const last = await f.facts(UPGRADE, 'latest');
    assert.deepEqual([last.facts.otherTags, last.facts.image?.digest, last.facts.standing?.newerBuilds], [['ci-1499'], moved.digest, 0]);
  });

  it('without credentials, says how to log in: an error for the hover, one note for the file', async () => {
    const f = facts('nobody/SREOperatorAccess');
    await assert.rejects(f.facts(BACKEND, 'v0.0.812'), (error: unknown) => error instanceof UserError && error.reason === 'aws-credentials' && /aws sso login --profile nobody\/SREOperatorAccess/.test(error.message));
    const found = await checkValuesTags({ text: staging(), facts: f, recorded: {}, configured: config.ecr.serviceRepositories });
    assert.deepEqual(found.map((d) => [d.severity, d.code, d.line]), [['info', 'ecr-unavailable', 8]]);
    assert.match(found[0]?.message ?? '', /aws sso login --profile nobody\/SREOperatorAccess/);
  });

  it('with ECR out of reach, one note for the file', async () => {
    const unreachable = new EcrFacts(async () => createEcr({ ...options(), endpoint: 'http://127.0.0.1:9' }), systemClock);
    const found = await checkValuesTags({ text: staging(), facts: unreachable, recorded: {}, configured: config.ecr.serviceRepositories });
    assert.deepEqual(found.map((d) => [d.severity, d.code]), [['info', 'ecr-unavailable']]);
  });

  it('a tag not in ECR is an error with the release’s tag as its fix; an older one a warning; the rest pass', async () => {
    const pushedOf = (repo: string, tag: string) => t.world.ecr.images(repo).find((i) => i.tags.includes(tag))?.pushedAt.toISOString();
    const recorded = {
      'lendos-portal-backend': { release: '2025.4.0', tag: 'v0.0.829', pushedAt: pushedOf(BACKEND, 'v0.0.829') },
      'signing-portal-frontend': { release: '2025.4.0', tag: 'v0.0.552', pushedAt: pushedOf('right-pedal/signing-portal-frontend', 'v0.0.552') },
    };
    const text = applyTagEdits('values-tags-staging.yaml', staging(), { 'signing-portal-frontend': 'v0.0.999' }).text;
    const found = await checkValuesTags({ text, facts: facts(), recorded, configured: config.ecr.serviceRepositories });
    assert.deepEqual(found.map((d) => [d.severity, d.code, d.line, d.fix]), [
      ['warning', 'tag-older', 8, 'v0.0.829'],
      ['error', 'tag-missing', 26, 'v0.0.552'],
    ]);
    assert.equal(text.slice(found[1]?.start, found[1]?.end), 'v0.0.999');
  });
});
