import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  BatchGetImageCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  ListImagesCommand,
  PutImageCommand,
  paginateDescribeImages,
  paginateListImages,
  type ImageDetail,
} from '@aws-sdk/client-ecr';
import { after, before, describe, it } from 'mocha';
import type { Fault, Scenario } from '../../../rehearsal/src/contracts.js';
import { createClock } from '../../../rehearsal/src/clock.js';
import {
  createEcrRegistry,
  signRequest,
  startAwsServer,
  type AwsServer,
} from '../../../rehearsal/src/aws/index.js';
import { instantScenario } from './scenario-fixture.js';

const credentials = { accessKeyId: 'AKIAREHEARSAL0000001', secretAccessKey: 'rehearsal/secret+key' };
const BACKEND = 'right-pedal/lendos-portal-backend';

function scenario(faults: Fault[] = []): Scenario {
  return instantScenario('ecr-test', 42, faults);
}

async function startWorld(faults: Fault[] = []) {
  const world = scenario(faults);
  const clock = createClock(world);
  const ecr = createEcrRegistry(clock, world);
  const server = await startAwsServer({ clock, scenario: world, credentials, ecr });
  const client = new ECRClient({ endpoint: server.url, region: 'us-east-1', credentials });
  return { server, ecr, client };
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

/** A SigV4-signed ECR call with any body, for the inputs the SDK would never send. */
async function rawEcrCall(
  server: AwsServer,
  target: string,
  body: string,
): Promise<{ status: number; json: unknown }> {
  const url = new URL(server.url);
  const headers = signRequest(
    {
      method: 'POST',
      url,
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target },
      body,
    },
    credentials,
    'us-east-1',
    'ecr',
  );
  const response = await fetch(url, { method: 'POST', headers, body });
  return { status: response.status, json: await response.json() };
}

const manifestFor = (seed: string): string =>
  JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    config: {
      mediaType: 'application/vnd.docker.container.image.v1+json',
      size: 7023,
      digest: `sha256:${'c'.repeat(64)}`,
    },
    layers: [
      {
        mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
        size: 1234567,
        digest: `sha256:${seed.padEnd(64, '0')}`,
      },
    ],
  });

describe('rehearsal AWS: ECR through @aws-sdk/client-ecr', () => {
  let world: Awaited<ReturnType<typeof startWorld>>;
  before(async () => {
    world = await startWorld();
  });
  after(async () => {
    world.client.destroy();
    await world.server.close();
  });

  it('describes the six right-pedal repositories with real URIs', async () => {
    const { repositories = [] } = await world.client.send(new DescribeRepositoriesCommand({}));
    assert.deepEqual(repositories.map((r) => r.repositoryName).sort(), [
      'right-pedal/data-loader-service',
      'right-pedal/lendos-portal-backend',
      'right-pedal/lendos-portal-frontend',
      'right-pedal/portal-daml-upgrade',
      'right-pedal/signing-portal-backend',
      'right-pedal/signing-portal-frontend',
    ]);
    const backend = repositories.find((r) => r.repositoryName === BACKEND);
    assert.equal(backend?.repositoryUri, `418272790138.dkr.ecr.us-east-1.amazonaws.com/${BACKEND}`);
    assert.ok(backend?.createdAt instanceof Date);
  });

  it('paginates hundreds of images and finds the latest by imagePushedAt, not by listing order', async () => {
    const { details, attempts } = await allImages(world.client, BACKEND, 50);
    assert.ok(details.length >= 200, `only ${details.length} images`);
    assert.ok(attempts.length >= 4, 'several pages');
    assert.equal(new Set(details.map((d) => d.imageDigest)).size, details.length, 'no image listed twice');
    const byPush = [...details].sort(
      (a, b) => (a.imagePushedAt?.getTime() ?? 0) - (b.imagePushedAt?.getTime() ?? 0),
    );
    assert.deepEqual(byPush.at(-1)?.imageTags, ['v0.0.829']);
    assert.notDeepEqual(details.at(-1)?.imageTags, ['v0.0.829'], 'the listing is not in push order');
    const newestFive = byPush.slice(-5).map((d) => d.imageTags?.[0]);
    assert.deepEqual(newestFive, ['v0.0.825', 'v0.0.826', 'v0.0.827', 'v0.0.828', 'v0.0.829']);
  });

  it('filters by tagStatus: some images are untagged and the two sets make up the whole', async () => {
    const count = async (tagStatus: 'TAGGED' | 'UNTAGGED') => {
      const found: ImageDetail[] = [];
      const pages = paginateDescribeImages(
        { client: world.client },
        { repositoryName: BACKEND, filter: { tagStatus } },
      );
      for await (const page of pages) found.push(...(page.imageDetails ?? []));
      return found;
    };
    const tagged = await count('TAGGED');
    const untagged = await count('UNTAGGED');
    const { details } = await allImages(world.client, BACKEND);
    assert.ok(untagged.length > 0);
    assert.ok(untagged.every((d) => d.imageTags === undefined));
    assert.ok(tagged.every((d) => (d.imageTags?.length ?? 0) > 0));
    assert.equal(tagged.length + untagged.length, details.length);
  });

  it('looks images up by tag, and answers ImageNotFoundException and RepositoryNotFoundException', async () => {
    const { imageDetails = [] } = await world.client.send(
      new DescribeImagesCommand({ repositoryName: BACKEND, imageIds: [{ imageTag: 'v0.0.800' }] }),
    );
    assert.deepEqual(imageDetails[0]?.imageTags, ['v0.0.800']);
    await assert.rejects(
      world.client.send(
        new DescribeImagesCommand({ repositoryName: BACKEND, imageIds: [{ imageTag: 'v0.0.999' }] }),
      ),
      (error: Error) =>
        error.name === 'ImageNotFoundException' &&
        error.message ===
          "The image with imageId {imageDigest:'null', imageTag:'v0.0.999'} does not exist within the repository with " +
            "name 'right-pedal/lendos-portal-backend' in the registry with id '418272790138'",
    );
    await assert.rejects(
      world.client.send(new DescribeImagesCommand({ repositoryName: 'right-pedal/nope' })),
      { name: 'RepositoryNotFoundException' },
    );
  });

  it('has -init and -runner images of past DAML upgrades', async () => {
    const { details } = await allImages(world.client, 'right-pedal/portal-daml-upgrade');
    const tags = details.flatMap((d) => d.imageTags ?? []);
    assert.ok(tags.includes('v0.1.92.0.1.91.1-init'));
    assert.ok(tags.includes('v0.1.92.0.1.91.1-runner'));
  });

  it('lists image ids page by page, one per tag or digest', async () => {
    const ids: Array<{ imageDigest?: string; imageTag?: string }> = [];
    for await (const page of paginateListImages(
      { client: world.client, pageSize: 100 },
      { repositoryName: BACKEND },
    )) {
      ids.push(...(page.imageIds ?? []));
    }
    const { details } = await allImages(world.client, BACKEND);
    const expected = details.reduce((sum, d) => sum + Math.max(1, d.imageTags?.length ?? 0), 0);
    assert.equal(ids.length, expected);
    const tagged = await world.client.send(
      new ListImagesCommand({ repositoryName: BACKEND, filter: { tagStatus: 'TAGGED' } }),
    );
    assert.ok(tagged.imageIds?.every((id) => id.imageTag?.startsWith('v0.0.') || id.imageTag?.startsWith('dev-')));
  });

  it('BatchGetImage returns manifests whose sha256 is the digest, and a failures list', async () => {
    const result = await world.client.send(
      new BatchGetImageCommand({
        repositoryName: BACKEND,
        imageIds: [{ imageTag: 'v0.0.829' }, { imageTag: 'v0.0.1' }],
      }),
    );
    const image = result.images?.[0];
    const digest = `sha256:${createHash('sha256')
      .update(image?.imageManifest ?? '')
      .digest('hex')}`;
    assert.equal(image?.imageId?.imageDigest, digest);
    assert.deepEqual(result.failures, [
      {
        imageId: { imageTag: 'v0.0.1' },
        failureCode: 'ImageNotFound',
        failureReason: 'Requested image not found',
      },
    ]);
  });

  it('PutImage then DescribeImages sees it; the same push again is ImageAlreadyExistsException; a tag moves', async () => {
    const repositoryName = 'right-pedal/portal-daml-upgrade';
    const first = manifestFor('a1');
    const put = await world.client.send(
      new PutImageCommand({ repositoryName, imageManifest: first, imageTag: '2025.4.0.1-init' }),
    );
    const { imageDetails = [] } = await world.client.send(
      new DescribeImagesCommand({ repositoryName, imageIds: [{ imageTag: '2025.4.0.1-init' }] }),
    );
    assert.equal(imageDetails[0]?.imageDigest, put.image?.imageId?.imageDigest);
    assert.equal(imageDetails[0]?.imageSizeInBytes, 1234567);
    await assert.rejects(
      world.client.send(
        new PutImageCommand({ repositoryName, imageManifest: first, imageTag: '2025.4.0.1-init' }),
      ),
      { name: 'ImageAlreadyExistsException' },
    );
    await world.client.send(
      new PutImageCommand({ repositoryName, imageManifest: manifestFor('b2'), imageTag: '2025.4.0.1-init' }),
    );
    const old = await world.client.send(
      new DescribeImagesCommand({
        repositoryName,
        imageIds: [{ imageDigest: put.image?.imageId?.imageDigest }],
      }),
    );
    assert.equal(
      old.imageDetails?.[0]?.imageTags,
      undefined,
      'the old image lost the tag and is untagged now',
    );
  });

  it('sees what the world pushes in-process (the main build) with a recent imagePushedAt', async () => {
    world.ecr.putImage({ repository: BACKEND, tags: ['v0.0.830'] });
    const { details } = await allImages(world.client, BACKEND);
    const latest = details.reduce((a, b) =>
      (a.imagePushedAt?.getTime() ?? 0) > (b.imagePushedAt?.getTime() ?? 0) ? a : b,
    );
    assert.deepEqual(latest.imageTags, ['v0.0.830']);
  });

  it('answers SerializationException, UnknownOperationException and InvalidParameterException to bad calls', async () => {
    const target = 'AmazonEC2ContainerRegistry_V20150921.DescribeImages';
    const malformed = await rawEcrCall(world.server, target, '{"repositoryName": ');
    assert.equal(malformed.status, 400);
    assert.equal((malformed.json as { __type: string }).__type, 'SerializationException');
    const unknown = await rawEcrCall(
      world.server,
      'AmazonEC2ContainerRegistry_V20150921.DeleteEverything',
      '{}',
    );
    assert.deepEqual(
      [unknown.status, (unknown.json as { __type: string }).__type],
      [400, 'UnknownOperationException'],
    );
    const missing = await rawEcrCall(world.server, target, '{}');
    assert.deepEqual(missing.json, {
      __type: 'InvalidParameterException',
      message:
        "Invalid parameter at 'repositoryName' failed to satisfy constraint: 'Member must not be null'",
    });
  });
});
