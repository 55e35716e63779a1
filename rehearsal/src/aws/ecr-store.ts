import type { EcrImage, EcrImageInput, EcrRegistry, WorldClock } from '../contracts.js';
import { ACCOUNTS, WORLD_REGION } from './accounts.js';
import { AwsError } from './errors.js';
import { buildManifest, describeManifest, manifestDigest } from './manifest.js';

/** An image as the store keeps it: the contract's facts plus what ECR reports besides. */
export interface StoredImage extends EcrImage {
  mediaType: string;
  lastPulledAt?: Date;
}

export interface EcrRepository {
  name: string;
  createdAt: Date;
  /** In push order. */
  images: StoredImage[];
}

export interface PushResult {
  image: StoredImage;
  /** False when the digest was there already with every tag asked for. */
  changed: boolean;
}

const copyImage = (image: StoredImage): EcrImage => ({
  repository: image.repository,
  tags: [...image.tags],
  digest: image.digest,
  sizeBytes: image.sizeBytes,
  pushedAt: new Date(image.pushedAt),
  manifest: image.manifest,
});

/** The registry behind the ECR server: repositories of images, tags moving between images as ECR moves them. */
export class EcrStore implements EcrRegistry {
  readonly registryId = ACCOUNTS.artifacts;
  readonly region = WORLD_REGION;
  private readonly repos = new Map<string, EcrRepository>();
  private generatedManifests = 0;

  constructor(private readonly clock: WorldClock) {}

  createRepository(name: string, createdAt: Date): EcrRepository {
    const existing = this.repos.get(name);
    if (existing) return existing;
    const repository: EcrRepository = { name, createdAt, images: [] };
    this.repos.set(name, repository);
    return repository;
  }

  repositoryNotFound(name: string): AwsError {
    return new AwsError(
      'RepositoryNotFoundException',
      `The repository with name '${name}' does not exist in the registry with id '${this.registryId}'`,
    );
  }

  /** The repository, or RepositoryNotFoundException. */
  repository(name: string): EcrRepository {
    const repository = this.repos.get(name);
    if (!repository) throw this.repositoryNotFound(name);
    return repository;
  }

  repositories(): string[] {
    return [...this.repos.keys()];
  }

  images(repository: string): EcrImage[] {
    return this.repository(repository).images.map(copyImage);
  }

  putImage(input: EcrImageInput): EcrImage {
    return copyImage(this.push(input).image);
  }

  /** Pushes a manifest under tags: a tag held by another image moves here; a known digest gains the tags. */
  push(input: EcrImageInput & { mediaType?: string }): PushResult {
    const repository = this.repository(input.repository);
    const manifest = input.manifest ?? this.generatedManifest(input);
    const digest = manifestDigest(manifest);
    for (const other of repository.images) {
      if (other.digest !== digest) other.tags = other.tags.filter((tag) => !input.tags.includes(tag));
    }
    const existing = repository.images.find((image) => image.digest === digest);
    if (existing) {
      const added = input.tags.filter((tag) => !existing.tags.includes(tag));
      existing.tags.push(...added);
      return { image: existing, changed: added.length > 0 };
    }
    const described = describeManifest(manifest);
    const image: StoredImage = {
      repository: repository.name,
      tags: [...new Set(input.tags)],
      digest,
      sizeBytes: input.sizeBytes ?? described?.sizeBytes ?? manifest.length,
      pushedAt: input.pushedAt ?? this.clock.now(),
      manifest,
      mediaType:
        input.mediaType ?? described?.mediaType ?? 'application/vnd.docker.distribution.manifest.v2+json',
    };
    repository.images.push(image);
    return { image, changed: true };
  }

  /** ECR records pulls (BatchGetImage) as `lastRecordedPullTime`. */
  markPulled(image: StoredImage): void {
    image.lastPulledAt = this.clock.now();
  }

  private generatedManifest(input: EcrImageInput): string {
    this.generatedManifests += 1;
    const seed = `${input.repository}:${input.tags.join(',')}:${this.generatedManifests}:${this.clock.now().toISOString()}`;
    const sizeBytes = input.sizeBytes ?? 40_000_000 + Math.floor(this.clock.random() * 160_000_000);
    return buildManifest(seed, sizeBytes);
  }
}
