import { AwsError } from './errors.js';
import type { EcrStore, StoredImage } from './ecr-store.js';
import type { AwsFaults } from './faults.js';
import {
  invalidParameter,
  optionalObject,
  optionalObjectList,
  optionalString,
  optionalStringList,
  paginate,
  parseJsonInput,
  requiredString,
  type JsonObject,
} from './json-input.js';
import { describeManifest, manifestDigest } from './manifest.js';

export const ECR_TARGET_PREFIX = 'AmazonEC2ContainerRegistry_V20150921.';

export interface EcrApiContext {
  store: EcrStore;
  faults: AwsFaults;
}

/** An image as the API shows it: the tags a scenario hides are gone, and so is an image left with none of its tags. */
interface VisibleImage {
  image: StoredImage;
  tags: string[];
}

interface ImageId {
  imageDigest?: string;
  imageTag?: string;
}

function visibleImages(ctx: EcrApiContext, repositoryName: string): VisibleImage[] {
  const repository = ctx.store.repository(repositoryName);
  return repository.images
    .map((image) => ({ image, tags: image.tags.filter((tag) => !ctx.faults.hidesTag(repository.name, tag)) }))
    .filter((visible) => visible.tags.length > 0 || visible.image.tags.length === 0)
    .sort((a, b) => (a.image.digest < b.image.digest ? -1 : 1));
}

function readImageIds(input: JsonObject, name: string): ImageId[] | undefined {
  return optionalObjectList(input, name)?.map((id, i) => ({
    imageDigest: optionalString(id, 'imageDigest', `${name}.${i + 1}.member.imageDigest`),
    imageTag: optionalString(id, 'imageTag', `${name}.${i + 1}.member.imageTag`),
  }));
}

type Lookup = VisibleImage | 'ImageNotFound' | 'ImageTagDoesNotMatchDigest' | 'MissingDigestAndTag';

function lookUp(images: VisibleImage[], id: ImageId): Lookup {
  if (!id.imageDigest && !id.imageTag) return 'MissingDigestAndTag';
  const byDigest = id.imageDigest ? images.find((v) => v.image.digest === id.imageDigest) : undefined;
  const byTag = id.imageTag ? images.find((v) => v.tags.includes(id.imageTag ?? '')) : undefined;
  if (id.imageDigest && id.imageTag) {
    if (!byDigest || !byTag) return 'ImageNotFound';
    return byDigest === byTag ? byDigest : 'ImageTagDoesNotMatchDigest';
  }
  return byDigest ?? byTag ?? 'ImageNotFound';
}

function imageNotFound(ctx: EcrApiContext, repositoryName: string, id: ImageId): AwsError {
  return new AwsError(
    'ImageNotFoundException',
    `The image with imageId {imageDigest:'${id.imageDigest ?? 'null'}', imageTag:'${id.imageTag ?? 'null'}'} does not exist ` +
      `within the repository with name '${repositoryName}' in the registry with id '${ctx.store.registryId}'`,
  );
}

function tagStatusFilter(input: JsonObject): (visible: VisibleImage) => boolean {
  const tagStatus =
    optionalString(optionalObject(input, 'filter') ?? {}, 'tagStatus', 'filter.tagStatus') ?? 'ANY';
  if (tagStatus === 'TAGGED') return (v) => v.tags.length > 0;
  if (tagStatus === 'UNTAGGED') return (v) => v.tags.length === 0;
  if (tagStatus === 'ANY') return () => true;
  throw invalidParameter('filter.tagStatus', 'Member must satisfy enum value set: [TAGGED, ANY, UNTAGGED]');
}

function imageDetail(ctx: EcrApiContext, { image, tags }: VisibleImage): JsonObject {
  return {
    registryId: ctx.store.registryId,
    repositoryName: image.repository,
    imageDigest: image.digest,
    imageTags: tags.length > 0 ? tags : undefined,
    imageSizeInBytes: image.sizeBytes,
    imagePushedAt: image.pushedAt.getTime() / 1000,
    imageManifestMediaType: image.mediaType,
    artifactMediaType: 'application/vnd.docker.container.image.v1+json',
    lastRecordedPullTime: image.lastPulledAt ? image.lastPulledAt.getTime() / 1000 : undefined,
  };
}

function describeImages(ctx: EcrApiContext, input: JsonObject): JsonObject {
  const repositoryName = requiredString(input, 'repositoryName');
  const images = visibleImages(ctx, repositoryName);
  const ids = readImageIds(input, 'imageIds');
  if (ids) {
    const found = ids.map((id) => {
      const result = lookUp(images, id);
      if (typeof result === 'string') throw imageNotFound(ctx, repositoryName, id);
      return result;
    });
    return { imageDetails: [...new Set(found)].map((v) => imageDetail(ctx, v)) };
  }
  const { page, nextToken } = paginate(images.filter(tagStatusFilter(input)), input, 'DescribeImages', 100);
  return { imageDetails: page.map((v) => imageDetail(ctx, v)), nextToken };
}

function listImages(ctx: EcrApiContext, input: JsonObject): JsonObject {
  const repositoryName = requiredString(input, 'repositoryName');
  const ids = visibleImages(ctx, repositoryName)
    .filter(tagStatusFilter(input))
    .flatMap((v) =>
      v.tags.length === 0
        ? [{ imageDigest: v.image.digest }]
        : v.tags.map((imageTag) => ({ imageDigest: v.image.digest, imageTag })),
    );
  const { page, nextToken } = paginate(ids, input, 'ListImages', 100);
  return { imageIds: page, nextToken };
}

const FAILURE_REASONS: Record<Exclude<Lookup, VisibleImage>, string> = {
  ImageNotFound: 'Requested image not found',
  ImageTagDoesNotMatchDigest: 'Invalid image tag for image digest',
  MissingDigestAndTag: 'Invalid request parameters: image digest and tag cannot both be null',
};

function batchGetImage(ctx: EcrApiContext, input: JsonObject): JsonObject {
  const repositoryName = requiredString(input, 'repositoryName');
  const ids = readImageIds(input, 'imageIds');
  if (!ids || ids.length === 0)
    throw invalidParameter('imageIds', 'Member must have length greater than or equal to 1');
  const images = visibleImages(ctx, repositoryName);
  const found: JsonObject[] = [];
  const failures: JsonObject[] = [];
  for (const id of ids) {
    const result = lookUp(images, id);
    if (typeof result === 'string') {
      failures.push({ imageId: id, failureCode: result, failureReason: FAILURE_REASONS[result] });
      continue;
    }
    ctx.store.markPulled(result.image);
    found.push({
      registryId: ctx.store.registryId,
      repositoryName,
      imageId: { imageDigest: result.image.digest, imageTag: id.imageTag },
      imageManifest: result.image.manifest,
      imageManifestMediaType: result.image.mediaType,
    });
  }
  return { images: found, failures };
}

function putImage(ctx: EcrApiContext, input: JsonObject): JsonObject {
  const repositoryName = requiredString(input, 'repositoryName');
  const manifest = requiredString(input, 'imageManifest');
  const imageTag = optionalString(input, 'imageTag');
  const givenDigest = optionalString(input, 'imageDigest');
  ctx.store.repository(repositoryName);
  const described = describeManifest(manifest);
  if (!described) throw invalidParameter('ImageManifest', 'Invalid JSON syntax');
  const digest = manifestDigest(manifest);
  if (givenDigest !== undefined && givenDigest !== digest) {
    throw new AwsError(
      'ImageDigestDoesNotMatchException',
      `Provided digest '${givenDigest}' does not match the manifest digest '${digest}'`,
    );
  }
  const existing = visibleImages(ctx, repositoryName).find((v) => v.image.digest === digest);
  if (existing && (imageTag === undefined || existing.tags.includes(imageTag))) {
    throw new AwsError(
      'ImageAlreadyExistsException',
      `Image with digest '${digest}' and tag '${imageTag ?? 'null'}' already exists in the repository with name ` +
        `'${repositoryName}' in the registry with id '${ctx.store.registryId}'`,
    );
  }
  const mediaType = optionalString(input, 'imageManifestMediaType') ?? described.mediaType;
  const { image } = ctx.store.push({
    repository: repositoryName,
    tags: imageTag ? [imageTag] : [],
    manifest,
    mediaType,
  });
  const imageId = { imageDigest: image.digest, imageTag };
  return {
    image: {
      registryId: ctx.store.registryId,
      repositoryName,
      imageId,
      imageManifest: manifest,
      imageManifestMediaType: mediaType,
    },
  };
}

function describeRepositories(ctx: EcrApiContext, input: JsonObject): JsonObject {
  const names = optionalStringList(input, 'repositoryNames');
  const repositories = (names ?? ctx.store.repositories().sort()).map((name) => ctx.store.repository(name));
  const { page, nextToken } = paginate(repositories, input, 'DescribeRepositories', 100);
  const { registryId, region } = ctx.store;
  return {
    repositories: page.map((repository) => ({
      repositoryArn: `arn:aws:ecr:${region}:${registryId}:repository/${repository.name}`,
      registryId,
      repositoryName: repository.name,
      repositoryUri: `${registryId}.dkr.ecr.${region}.amazonaws.com/${repository.name}`,
      createdAt: repository.createdAt.getTime() / 1000,
      imageTagMutability: 'MUTABLE',
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: { encryptionType: 'AES256' },
    })),
    nextToken,
  };
}

const OPERATIONS: Record<string, (ctx: EcrApiContext, input: JsonObject) => JsonObject> = {
  DescribeRepositories: describeRepositories,
  DescribeImages: describeImages,
  ListImages: listImages,
  BatchGetImage: batchGetImage,
  PutImage: putImage,
};

/** The operation an `X-Amz-Target` names, or UnknownOperationException. */
export function ecrOperation(
  target: string | undefined,
): (ctx: EcrApiContext, input: JsonObject) => JsonObject {
  const name = target?.startsWith(ECR_TARGET_PREFIX) ? target.slice(ECR_TARGET_PREFIX.length) : undefined;
  const operation = name === undefined ? undefined : OPERATIONS[name];
  if (!operation) throw new AwsError('UnknownOperationException', '');
  return operation;
}

/** Answers one ECR awsJson1_1 call. */
export function handleEcr(ctx: EcrApiContext, target: string | undefined, body: Buffer): JsonObject {
  const operation = ecrOperation(target);
  return operation(ctx, parseJsonInput(body));
}
