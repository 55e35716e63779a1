/** The Ecr port on @aws-sdk/client-ecr, with credentials from a named profile of the shared AWS files. */
import {
  DescribeImagesCommand,
  ECRClient,
  paginateDescribeImages,
  type ImageDetail,
} from '@aws-sdk/client-ecr';
import { UserError, messageOf } from '../../core/errors.js';
import { credentialFailure, credentialsOf } from './credentials.js';
import type { Ecr, EcrImage } from '../../ports.js';

export interface EcrOptions {
  readonly region: string;
  /** Shared-config profile, e.g. `artifacts-prod/SREOperatorAccess`. */
  readonly profile: string;
  /** Another ECR endpoint than AWS's (the rehearsal world). */
  readonly endpoint?: string;
  /** Shared config file, when not `~/.aws/config` (AWS_CONFIG_FILE). */
  readonly configFile?: string;
  /** Shared credentials file, when not `~/.aws/credentials` (AWS_SHARED_CREDENTIALS_FILE). */
  readonly credentialsFile?: string;
}

/** Credential trouble → what to do, naming the profile (shared with RDS and STS); other failures keep AWS's words. */
export function ecrFailure(
  error: unknown,
  options: Pick<EcrOptions, 'profile' | 'region'>,
  repository: string,
): Error {
  const credentials = credentialFailure(error, { profile: options.profile, setting: 'lendos.aws.artifactsProfile' });
  if (credentials) return credentials;
  const name = error instanceof Error ? error.name : '';
  const message = messageOf(error);
  if (name === 'AccessDeniedException') {
    return new UserError(
      `Profile "${options.profile}" may not read ECR ${repository}: ${message}`,
      'aws-access-denied',
    );
  }
  if (name === 'RepositoryNotFoundException') {
    return new UserError(
      `ECR has no repository ${repository} in ${options.region} for profile "${options.profile}": check the setting lendos.ecr.upgradeRepository. (${message})`,
      'ecr-repository-missing',
    );
  }
  return new Error(
    `ECR ${repository} (${options.region}, profile "${options.profile}"): ${name ? `${name}: ` : ''}${message}`,
  );
}

/** One row per tag of each image. */
export function imagesOf(details: readonly ImageDetail[]): EcrImage[] {
  return details.flatMap((detail) =>
    (detail.imageTags ?? []).map((tag) => ({
      tag,
      digest: detail.imageDigest ?? '',
      sizeBytes: detail.imageSizeInBytes ?? 0,
      pushedAt: (detail.imagePushedAt ?? new Date(0)).toISOString(),
    })),
  );
}

export class SdkEcr implements Ecr {
  constructor(private readonly options: EcrOptions) {}

  describeImages(repository: string, tags: readonly string[]): Promise<EcrImage[]> {
    return this.withClient(repository, async (client) => {
      // DescribeImages fails as a whole when one id is missing, so each tag is asked on its own.
      const found = await Promise.all(
        tags.map(async (tag) => {
          try {
            const answer = await client.send(
              new DescribeImagesCommand({ repositoryName: repository, imageIds: [{ imageTag: tag }] }),
            );
            return imagesOf(answer.imageDetails ?? []).filter((image) => image.tag === tag);
          } catch (error) {
            if (error instanceof Error && error.name === 'ImageNotFoundException') return [];
            throw error;
          }
        }),
      );
      return found.flat();
    });
  }

  listImages(repository: string): Promise<EcrImage[]> {
    return this.withClient(repository, async (client) => {
      const details: ImageDetail[] = [];
      // ECR's largest page (its default is 100): a repository of thousands of images in a few calls.
      const pages = paginateDescribeImages(
        { client, pageSize: 1000 },
        { repositoryName: repository, filter: { tagStatus: 'TAGGED' } },
      );
      for await (const page of pages) details.push(...(page.imageDetails ?? []));
      return imagesOf(details);
    });
  }

  /** A client per call, destroyed after it, so no sockets outlive the step. */
  private async withClient<T>(repository: string, use: (client: ECRClient) => Promise<T>): Promise<T> {
    const { region, endpoint } = this.options;
    const credentials = credentialsOf({ ...this.options, setting: 'lendos.aws.artifactsProfile' });
    const client = new ECRClient({ region, endpoint, credentials, maxAttempts: 3 });
    try {
      return await use(client);
    } catch (error) {
      throw ecrFailure(error, this.options, repository);
    } finally {
      client.destroy();
    }
  }
}
