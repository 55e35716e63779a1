/**
 * The tags an environment's values-tags step writes: staging the tags 2.2 recorded for the release; production what
 * staging's values-tags step wrote (what staging ran and validated), else 2.2's, said so.
 */
import { UserError } from '../../core/errors.js';
import { BUILT_TAGS_STEP } from '../../core/values-tags/facts.js';
import type { EventData, JsonValue } from '../../core/journal/types.js';
import type { UpgradeEnvironment } from '../../core/runbook/types.js';
import type { StepContext } from '../../engine/step-types.js';

export const STAGING_STEP = 'staging.values-tags';

export interface WantedTags {
  /** Service image → tag, for every image of `ecr.serviceRepositories`. */
  readonly tags: Readonly<Record<string, string>>;
  /** The step whose evidence they come from. */
  readonly from: string;
}

export const environmentOf = (ctx: Pick<StepContext, 'step'>): UpgradeEnvironment =>
  ctx.step.id.startsWith('production.') ? 'production' : 'staging';

/** A tag as evidence holds it: `"v0.0.830"` (values-tags) or `{ tag: "v0.0.830", … }` (2.2). */
function tagOf(value: JsonValue | undefined): string | undefined {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && !Array.isArray(value) && typeof value['tag'] === 'string') return value['tag'];
  return undefined;
}

/** Every service image's tag from a step's `tags` evidence, or the images it lacks. */
export function tagsIn(evidence: EventData, images: readonly string[]): { tags: Record<string, string>; missing: string[] } {
  const recorded = evidence['tags'];
  const byImage = recorded && typeof recorded === 'object' && !Array.isArray(recorded) ? recorded : {};
  const tags: Record<string, string> = {};
  const missing: string[] = [];
  for (const image of images) {
    const tag = tagOf(byImage[image]);
    if (tag === undefined) missing.push(image);
    else tags[image] = tag;
  }
  return { tags, missing };
}

export function wantedTags(ctx: Pick<StepContext, 'step' | 'config' | 'evidenceOf' | 'log'>): WantedTags {
  const images = Object.keys(ctx.config.ecr.serviceRepositories);
  if (environmentOf(ctx) === 'production') {
    const staging = tagsIn(ctx.evidenceOf(STAGING_STEP), images);
    if (staging.missing.length === 0) return { tags: staging.tags, from: STAGING_STEP };
    ctx.log.warn(
      `${STAGING_STEP} recorded no tags (marked done by hand?): production gets the tags 2.2 recorded instead. ` +
        'If staging runs other tags, cancel and check.',
    );
  }
  const built = tagsIn(ctx.evidenceOf(BUILT_TAGS_STEP), images);
  if (built.missing.length > 0) {
    throw new UserError(
      `2.2 Identify built artifact tags (${BUILT_TAGS_STEP}) has recorded no tag for ${built.missing.join(', ')}: run it first ` +
        '(it records the tags the main build pushed to ECR); this step writes those. Nothing was changed.',
      'tags-missing',
    );
  }
  return { tags: built.tags, from: BUILT_TAGS_STEP };
}

/** `lendos-portal-backend v0.0.830, …` */
export const tagsLine = (tags: Readonly<Record<string, string>>): string =>
  Object.entries(tags)
    .map(([image, tag]) => `${image} ${tag}`)
    .join(', ');
