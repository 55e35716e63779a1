/**
 * The form of dev's image tags and what it resolves to in ECR: per portal the newest `main` builds (each image its
 * own newest `v…` tag) or one `deploy/dev-…` build, which every image of the portal must have. A tag ECR lacks is
 * refused, naming the image and the dev builds the portal does have.
 */
import { defaultConfig } from '../../core/config/defaults.js';
import { deployTagOf, MAIN_BUILDS, newestMainTag, parseDevChoice, portalImages, sharedDevTags, type DevChoice } from '../../core/dev-tags.js';
import { UserError } from '../../core/errors.js';
import type { FormField, StepContext } from '../../engine/step-types.js';
import type { EcrImage, UpgradePorts } from '../../ports.js';

type Context = StepContext<UpgradePorts>;

/** The portals of the runbook's service images: the form's fields, what `lendos run dev.image-tags --set` names. */
export const PORTAL_FIELDS: readonly string[] = [...portalImages(Object.keys(defaultConfig().ecr.serviceRepositories)).keys()];

/** A portal's choice and the tag it gives each of its images. */
export interface PortalTags {
  readonly portal: string;
  /** `main`, or the dev build's `deploy/dev-…` name. */
  readonly choice: string;
  readonly tags: Readonly<Record<string, string>>;
}

/** Every image of the configured portals with its ECR listing, read once. */
export async function listPortals(ctx: Context): Promise<Map<string, Map<string, EcrImage[]>>> {
  const repositories = ctx.config.ecr.serviceRepositories;
  const ecr = await ctx.ports.ecr();
  const portals = new Map<string, Map<string, EcrImage[]>>();
  for (const [portal, images] of portalImages(Object.keys(repositories))) {
    const listed = await Promise.all(images.map(async (image) => [image, await ecr.listImages(repositories[image] ?? image)] as const));
    portals.set(portal, new Map(listed));
  }
  return portals;
}

function mainLine(listing: Map<string, EcrImage[]>): string {
  return [...listing].map(([image, tags]) => `${image} ${newestMainTag(tags)?.tag ?? 'none'}`).join(', ');
}

/** One field per portal, proposed `main`, with the newest main tags and dev builds beside it. */
export function choiceFields(listings: Map<string, Map<string, EcrImage[]>>): FormField[] {
  return [...listings].map(([portal, listing]) => {
    const dev = sharedDevTags([...listing.values()]).slice(0, 3).map(deployTagOf);
    return {
      id: portal,
      label: portal,
      value: MAIN_BUILDS,
      source: `"${MAIN_BUILDS}" = ${mainLine(listing)} · or a dev build both images have: ${dev.join(', ') || 'none yet'}`,
      validate: (value) => {
        const parsed = parseDevChoice(value);
        return typeof parsed === 'string' ? parsed : undefined;
      },
    };
  });
}

function resolveMain(ctx: Context, portal: string, listing: Map<string, EcrImage[]>): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const [image, images] of listing) {
    const newest = newestMainTag(images);
    if (!newest) {
      throw new UserError(`ECR ${ctx.config.ecr.serviceRepositories[image] ?? image} has no build of main (a v… tag) for ${portal}: choose a dev build for it. Nothing was changed.`, 'tag-missing');
    }
    tags[image] = newest.tag;
  }
  return tags;
}

function resolveDeploy(ctx: Context, portal: string, tag: string, listing: Map<string, EcrImage[]>): Record<string, string> {
  const lacking = [...listing].filter(([, images]) => !images.some((i) => i.tag === tag)).map(([image]) => image);
  if (lacking.length > 0) {
    const repositories = lacking.map((image) => ctx.config.ecr.serviceRepositories[image] ?? image).join(', ');
    const shared = sharedDevTags([...listing.values()]).slice(0, 3).map(deployTagOf);
    throw new UserError(
      `${deployTagOf(tag)} is not in ECR for ${portal}: ${repositories} has no image tagged ${tag}. ` +
        `Choose a build that exists for both of its images (${shared.join(', ') || `none yet: use ${MAIN_BUILDS}`}), or wait for that build to push. Nothing was changed.`,
      'tag-missing',
    );
  }
  return Object.fromEntries([...listing.keys()].map((image) => [image, tag]));
}

/** The tags each portal's choice gives its images, checked against ECR. */
export function resolveChoices(ctx: Context, listings: Map<string, Map<string, EcrImage[]>>, answers: Readonly<Record<string, string>>): PortalTags[] {
  return [...listings].map(([portal, listing]) => {
    const parsed: DevChoice | string = parseDevChoice(answers[portal] ?? MAIN_BUILDS);
    if (typeof parsed === 'string') throw new UserError(`${portal}: ${parsed}. Nothing was changed.`, 'bad-tag');
    const tags = parsed.kind === 'main' ? resolveMain(ctx, portal, listing) : resolveDeploy(ctx, portal, parsed.tag, listing);
    return { portal, choice: parsed.kind === 'main' ? MAIN_BUILDS : deployTagOf(parsed.tag), tags };
  });
}
