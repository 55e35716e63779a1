/**
 * ECR facts of image tags with a short-lived cache per repository: a tag is asked on its own (one DescribeImages, so a
 * hover answers at once), while the whole repository — paginated, thousands of images — is listed in the background
 * for "newest" and "N builds newer". Time is read through the Clock port.
 */
import { UserError, messageOf } from '../../core/errors.js';
import { factsOf, type ImageFacts, type RecordedTag } from '../../core/values-tags/facts.js';
import type { Clock, Ecr, EcrImage } from '../../ports.js';

export const FACTS_TTL_MS = 60_000;
/** A hover or a check gives up on ECR after this long (an endpoint that never answers must not hang the editor). */
export const ASK_TIMEOUT_MS = 8_000;
/** The background listing of a repository of thousands of images gets longer. */
export const LIST_TIMEOUT_MS = 60_000;

interface Entry<T> {
  readonly at: number;
  readonly value: T;
}

export interface TagFacts {
  readonly facts: ImageFacts;
  /** The repository's listing is still being fetched: newest and newer builds are not known yet. */
  readonly counting: boolean;
  /** Why the listing could not be had (the tag's own facts are there). */
  readonly countError?: string;
}

export class EcrFacts {
  private readonly tags = new Map<string, Entry<EcrImage | null>>();
  private readonly listings = new Map<string, Entry<readonly EcrImage[]>>();
  private readonly listingErrors = new Map<string, Entry<string>>();
  private readonly listingsInFlight = new Map<string, Promise<readonly EcrImage[]>>();
  private readonly describing = new Map<string, Promise<EcrImage | null>>();

  constructor(
    private readonly ecr: () => Promise<Ecr>,
    private readonly clock: Clock,
    private readonly ttlMs = FACTS_TTL_MS,
  ) {}

  /** `work`, or a failure saying ECR did not answer within `ms` (the wait is on the Clock and ends with the work). */
  private async within<T>(ms: number, what: string, work: Promise<T>): Promise<T> {
    const done = new AbortController();
    const timeout = this.clock.sleep(ms, done.signal).then(
      () => Promise.reject(new Error(`ECR did not answer ${what} within ${ms / 1000} s: check the network or the endpoint.`)),
      () => new Promise<never>(() => undefined),
    );
    try {
      return await Promise.race([work, timeout]);
    } finally {
      done.abort();
    }
  }

  private fresh<T>(entry: Entry<T> | undefined): T | undefined {
    return entry && this.clock.now().getTime() - entry.at < this.ttlMs ? entry.value : undefined;
  }

  private stamp<T>(value: T): Entry<T> {
    return { at: this.clock.now().getTime(), value };
  }

  /** The repository's listing when a fresh one is cached. */
  cachedListing(repository: string): readonly EcrImage[] | undefined {
    return this.fresh(this.listings.get(repository));
  }

  /** The whole repository (every page), fetched once however many ask meanwhile, then cached. */
  listing(repository: string): Promise<readonly EcrImage[]> {
    const cached = this.cachedListing(repository);
    if (cached) return Promise.resolve(cached);
    const running = this.listingsInFlight.get(repository);
    if (running) return running;
    const started = this.within(LIST_TIMEOUT_MS, `the listing of ${repository}`, (async () => (await this.ecr()).listImages(repository))()).then(
      (images) => {
        this.listings.set(repository, this.stamp(images));
        this.listingErrors.delete(repository);
        return images;
      },
      (error: unknown) => {
        this.listingErrors.set(repository, this.stamp(messageOf(error)));
        throw error;
      },
    );
    const settled = started.finally(() => this.listingsInFlight.delete(repository));
    this.listingsInFlight.set(repository, settled);
    return settled;
  }

  /** Starts the listing in the background when none is cached or under way; its failure is kept for the hover. */
  startListing(repository: string): void {
    if (this.cachedListing(repository) || this.listingsInFlight.has(repository)) return;
    if (this.fresh(this.listingErrors.get(repository)) !== undefined) return;
    this.listing(repository).catch(() => undefined);
  }

  /** The images of `tags` that exist (tag → image); from a cached listing when there is one. Failures throw. */
  async describe(repository: string, tags: readonly string[]): Promise<Map<string, EcrImage>> {
    const listing = this.cachedListing(repository);
    if (listing) return new Map(listing.filter((image) => tags.includes(image.tag)).map((image) => [image.tag, image]));
    const found = await Promise.all(tags.map(async (tag) => [tag, await this.describeOne(repository, tag)] as const));
    return new Map(found.filter((pair): pair is readonly [string, EcrImage] => pair[1] !== null));
  }

  private describeOne(repository: string, tag: string): Promise<EcrImage | null> {
    const key = `${repository}\u0000${tag}`;
    const cached = this.fresh(this.tags.get(key));
    if (cached !== undefined) return Promise.resolve(cached);
    const running = this.describing.get(key);
    if (running) return running;
    const asked = (async () => {
      const [image] = await this.within(ASK_TIMEOUT_MS, `for ${repository}:${tag}`, (async () => (await this.ecr()).describeImages(repository, [tag]))());
      this.tags.set(key, this.stamp(image ?? null));
      return image ?? null;
    })().finally(() => this.describing.delete(key));
    this.describing.set(key, asked);
    return asked;
  }

  /** The tag's facts now; the repository's standing when its listing is cached (else it is started and `counting`). */
  async facts(repository: string, tag: string, recorded?: RecordedTag): Promise<TagFacts> {
    const image = (await this.describe(repository, [tag])).get(tag);
    const listing = this.cachedListing(repository);
    if (!listing && image) this.startListing(repository);
    const countError = listing ? undefined : this.fresh(this.listingErrors.get(repository));
    return {
      facts: factsOf(repository, tag, image, listing, recorded),
      counting: !listing && countError === undefined && image !== undefined,
      ...(countError !== undefined ? { countError } : {}),
    };
  }
}

/** ECR's "no such repository" (the adapter's UserError), told apart from ECR being out of reach. */
export function isRepositoryMissing(error: unknown): boolean {
  return error instanceof UserError && error.reason === 'ecr-repository-missing';
}
