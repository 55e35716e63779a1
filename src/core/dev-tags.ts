/**
 * Dev's tags per portal (runbook Section 4, "Image tags"): the newest builds of `main` (the usual choice), or a
 * `deploy/dev-YYYY.R.H.BUILD` build, whose images are tagged `dev-YYYY.R.H.BUILD`. The portals may differ.
 */
import { devImageTag } from './names.js';

/** The word that chooses the newest `main` builds. */
export const MAIN_BUILDS = 'main';

export type DevChoice = { readonly kind: 'main' } | { readonly kind: 'deploy'; readonly tag: string };

/** A tag as ECR lists it, with when it was pushed. */
export interface PushedTag {
  readonly tag: string;
  readonly pushedAt: string;
}

/** A semver tag of a `main` build (`v0.0.830`). */
const MAIN_TAG = /^v\d+\.\d+\.\d+$/;

/** Service images grouped by portal: `lendos-portal-backend` → `lendos-portal`. */
export function portalImages(images: readonly string[]): Map<string, string[]> {
  const portals = new Map<string, string[]>();
  for (const image of images) {
    const portal = image.replace(/-(backend|frontend)$/, '');
    portals.set(portal, [...(portals.get(portal) ?? []), image]);
  }
  return portals;
}

/** What a person typed for a portal: `main`, or a dev build in either form; else what to type. */
export function parseDevChoice(value: string): DevChoice | string {
  const text = value.trim();
  if (text === MAIN_BUILDS) return { kind: 'main' };
  const tag = devImageTag(text);
  return tag ? { kind: 'deploy', tag } : `"${text}" is neither "${MAIN_BUILDS}" (the newest builds of main) nor a dev build such as deploy/dev-2025.4.0.3392`;
}

/** The newest tag of a `main` build, by push time; undefined when there is none. */
export function newestMainTag(tags: readonly PushedTag[]): PushedTag | undefined {
  return tags.filter((t) => MAIN_TAG.test(t.tag)).sort((a, b) => Date.parse(b.pushedAt) - Date.parse(a.pushedAt))[0];
}

/** The dev builds every image of a portal has, newest first. */
export function sharedDevTags(perImage: readonly (readonly PushedTag[])[]): string[] {
  const [first = [], ...rest] = perImage;
  return first
    .filter((t) => devImageTag(t.tag) === t.tag && rest.every((tags) => tags.some((o) => o.tag === t.tag)))
    .sort((a, b) => Date.parse(b.pushedAt) - Date.parse(a.pushedAt))
    .map((t) => t.tag);
}

/** `deploy/dev-2025.4.0.3392` for the image tag `dev-2025.4.0.3392`. */
export const deployTagOf = (imageTag: string): string => `deploy/${imageTag}`;
