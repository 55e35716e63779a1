import assert from 'node:assert/strict';
import {
  DescribeImagesCommand,
  ECRClient,
  paginateDescribeImages,
  type ImageDetail,
} from '@aws-sdk/client-ecr';
import { describe, it } from 'mocha';
import type { Fault, Scenario } from '../../../rehearsal/src/contracts.js';
import { createClock } from '../../../rehearsal/src/clock.js';
import { createEcrRegistry, startAwsServer } from '../../../rehearsal/src/aws/index.js';

const credentials = { accessKeyId: 'AKIAREHEARSAL0000005', secretAccessKey: 'rehearsal-ecr-fault-secret' };
const BACKEND = 'right-pedal/lendos-portal-backend';

async function startWorld(faults: Fault[]) {
  const durations = {
    podReady: 1,
    podTerminate: 1,
    stage: 1,
    snapshot: 1,
    restore: 1,
    argoSync: 1,
    mainBuild: 1,
  };
  const world: Scenario = {
    name: 'ecr-faults',
    description: '',
    seed: 42,
    timeScale: 0.001,
    durations,
    faults,
  };
  const clock = createClock(world);
  const server = await startAwsServer({
    clock,
    scenario: world,
    credentials,
    ecr: createEcrRegistry(clock, world),
  });
  return { server, client: new ECRClient({ endpoint: server.url, region: 'us-east-1', credentials }) };
}

async function allImages(client: ECRClient, repositoryName: string, pageSize?: number) {
  const details: ImageDetail[] = [];
  const attempts: number[] = [];
  for await (const page of paginateDescribeImages({ client, pageSize }, { repositoryName })) {
    details.push(...(page.imageDetails ?? []));
    attempts.push(page.$metadata.attempts ?? 1);
  }
  return { details, attempts };
}

describe('rehearsal AWS: ECR faults', () => {
  it('tag-missing-from-ecr hides the tag from every call', async () => {
    const { server, client } = await startWorld([
      { kind: 'tag-missing-from-ecr', repository: BACKEND, tag: 'v0.0.829' },
    ]);
    try {
      await assert.rejects(
        client.send(
          new DescribeImagesCommand({ repositoryName: BACKEND, imageIds: [{ imageTag: 'v0.0.829' }] }),
        ),
        { name: 'ImageNotFoundException' },
      );
      const { details } = await allImages(client, BACKEND);
      assert.ok(!details.some((d) => d.imageTags?.includes('v0.0.829')));
      assert.ok(details.some((d) => d.imageTags?.includes('v0.0.828')));
    } finally {
      client.destroy();
      await server.close();
    }
  });

  it('api-errors throttles every 3rd call; the SDK retries and the paginated listing still completes', async () => {
    const { server, client } = await startWorld([
      { kind: 'api-errors', service: 'ecr', status: 429, every: 3 },
    ]);
    try {
      const { details, attempts } = await allImages(client, BACKEND, 40);
      assert.equal(details.length, 244, '240 main builds and 4 dev builds');
      assert.ok(
        attempts.some((n) => n > 1),
        'some page needed a retry',
      );
    } finally {
      client.destroy();
      await server.close();
    }
  });
});

describe('rehearsal AWS: ECR seed', () => {
  const durations = {
    podReady: 1,
    podTerminate: 1,
    stage: 1,
    snapshot: 1,
    restore: 1,
    argoSync: 1,
    mainBuild: 1,
  };
  const history = (seed: number) => {
    const world: Scenario = { name: 'seed', description: '', seed, timeScale: 1, durations, faults: [] };
    return createEcrRegistry(createClock(world), world)
      .images(BACKEND)
      .map((image) => `${image.digest} ${image.tags.join(',')} ${image.sizeBytes}`);
  };

  it('is the same history under the same seed and another under another seed', () => {
    assert.deepEqual(history(42), history(42));
    assert.notDeepEqual(history(42), history(43));
  });

  it('keeps pushedAt increasing with the semver tags, over about six months', () => {
    const world: Scenario = { name: 'seed', description: '', seed: 5, timeScale: 1, durations, faults: [] };
    const images = createEcrRegistry(createClock(world), world).images(BACKEND);
    const times = images.map((image) => image.pushedAt.getTime());
    assert.ok(times.every((time, i) => i === 0 || time > (times[i - 1] ?? 0)));
    const days = ((times.at(-1) ?? 0) - (times[0] ?? 0)) / 86_400_000;
    assert.ok(days > 150 && days < 200, `${days} days`);
    const patches = images.flatMap((image) => image.tags).filter((tag) => /^v\d+\.\d+\.\d+$/.test(tag)).map((tag) => Number(tag.split('.')[2]));
    assert.deepEqual(
      patches,
      [...patches].sort((a, b) => a - b),
    );
  });
});
