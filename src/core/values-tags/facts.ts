/**
 * What ECR says about one image tag, as the hover shows it: when and how big its image was pushed, the other tags on
 * its digest, the newest tag of the repository and how many builds came after it, and whether it is the release's tag.
 * Pure: the images come from the caller (the Ecr port's rows, one per tag).
 */
import { isRecord } from '../config/validate.js';

/** One row per tag of an image, as the Ecr port gives them (`EcrImage`). */
export interface RegistryImage {
  readonly tag: string;
  readonly digest: string;
  readonly sizeBytes: number;
  /** ISO 8601. */
  readonly pushedAt: string;
}

/** The tag 2.2 recorded for a service image of the release. */
export interface RecordedTag {
  readonly release: string;
  readonly tag: string;
  readonly pushedAt?: string;
  readonly digest?: string;
}

/** How the rest of the repository compares; undefined while its listing is being fetched. */
export interface RepositoryStanding {
  /** The most recently pushed image's tags (several when one image holds several). */
  readonly newestTags: readonly string[];
  readonly newestPushedAt: string;
  /** Images pushed after this one. */
  readonly newerBuilds: number;
}

export interface ImageFacts {
  readonly repository: string;
  readonly tag: string;
  /** Undefined: ECR has no image with this tag. */
  readonly image?: RegistryImage;
  /** Other tags of the same digest (known once the listing is there, else the tag alone). */
  readonly otherTags: readonly string[];
  readonly standing?: RepositoryStanding;
  readonly recorded?: RecordedTag;
}

/** `381492038457.dkr.ecr.us-east-1.amazonaws.com/right-pedal/x` → registry host and repository name; a bare name has no registry. */
export function splitRepositoryUri(uri: string): { readonly registry?: string; readonly repository: string } {
  const slash = uri.indexOf('/');
  const host = slash > 0 ? uri.slice(0, slash) : '';
  // A registry host has a dot or a port (as Docker tells a host from a namespace).
  if (host && (host.includes('.') || host.includes(':') || host === 'localhost')) return { registry: host, repository: uri.slice(slash + 1) };
  return { repository: uri };
}

interface Pushed {
  readonly digest: string;
  readonly pushedAt: number;
  readonly tags: string[];
}

/** Rows per tag → images per digest. */
function byDigest(rows: readonly RegistryImage[]): Map<string, Pushed> {
  const images = new Map<string, Pushed>();
  for (const row of rows) {
    const seen = images.get(row.digest);
    if (seen) seen.tags.push(row.tag);
    else images.set(row.digest, { digest: row.digest, pushedAt: Date.parse(row.pushedAt), tags: [row.tag] });
  }
  return images;
}

/** Where an image stands among the repository's images: the newest one and how many were pushed after it. */
export function standingOf(image: RegistryImage, listing: readonly RegistryImage[]): RepositoryStanding | undefined {
  const images = [...byDigest(listing).values()];
  if (images.length === 0) return undefined;
  const newest = images.reduce((a, b) => (b.pushedAt > a.pushedAt ? b : a));
  const at = Date.parse(image.pushedAt);
  return {
    newestTags: [...newest.tags].sort(),
    newestPushedAt: new Date(newest.pushedAt).toISOString(),
    newerBuilds: images.filter((i) => i.pushedAt > at && i.digest !== image.digest).length,
  };
}

export function factsOf(
  repository: string,
  tag: string,
  image: RegistryImage | undefined,
  listing: readonly RegistryImage[] | undefined,
  recorded?: RecordedTag,
): ImageFacts {
  const base = { repository, tag, ...(recorded ? { recorded } : {}) };
  if (!image) return { ...base, otherTags: [] };
  const siblings = listing ? listing.filter((row) => row.digest === image.digest && row.tag !== tag).map((row) => row.tag).sort() : [];
  const standing = listing ? standingOf(image, listing) : undefined;
  return { ...base, image, otherTags: siblings, ...(standing ? { standing } : {}) };
}

/** 2.2 Identify built artifact tags: its evidence `tags` is what the release deploys. */
export const BUILT_TAGS_STEP = 'staging.identify-tags';

/** The recorded tags of a release's folded plan (a `ReleaseView`), empty when 2.2 recorded none. */
export function recordedTagsOfPlan(release: string, plan: readonly { readonly step: { readonly id: string }; readonly state: { readonly evidence?: unknown } }[]): Record<string, RecordedTag> {
  return recordedTagsOf(release, plan.find((p) => p.step.id === BUILT_TAGS_STEP)?.state.evidence);
}

/** The service images' tags that 2.2 recorded (its evidence `tags`), read defensively: a journal is outside data. */
export function recordedTagsOf(release: string, evidence: unknown): Record<string, RecordedTag> {
  const tags = isRecord(evidence) ? evidence['tags'] : undefined;
  if (!isRecord(tags)) return {};
  const out: Record<string, RecordedTag> = {};
  for (const [service, value] of Object.entries(tags)) {
    if (!isRecord(value) || typeof value['tag'] !== 'string') continue;
    const pushedAt = typeof value['pushedAt'] === 'string' ? value['pushedAt'] : undefined;
    const digest = typeof value['digest'] === 'string' ? value['digest'] : undefined;
    out[service] = { release, tag: value['tag'], ...(pushedAt ? { pushedAt } : {}), ...(digest ? { digest } : {}) };
  }
  return out;
}
