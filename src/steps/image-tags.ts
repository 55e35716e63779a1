/** Pure: which DAML upgrade image tags belong to an upgrade, read from docker-build.sh's output or an ECR listing. */
import type { JsonValue } from '../core/journal/types.js';
import { parseUpgradeImageTag } from '../core/names.js';
import type { EcrImage } from '../ports.js';

/** The model versions an upgrade goes between: tags read `v{to}.{from}.{build}-{init|runner}`. */
export interface UpgradePair {
  readonly from: string;
  readonly to: string;
}

export interface ImagePair {
  readonly build: number;
  readonly init: string;
  readonly runner: string;
}

export interface BuiltImages {
  readonly build: number;
  readonly init: EcrImage;
  readonly runner: EcrImage;
}

/** Builds of the pair with both variants, keyed by build number (and tag prefix, which 1.4's example leaves out). */
function completeBuilds(tags: readonly string[], pair: UpgradePair): ImagePair[] {
  const builds = new Map<string, { build: number; init?: string; runner?: string }>();
  for (const tag of tags) {
    const parsed = parseUpgradeImageTag(tag);
    if (!parsed || parsed.target !== pair.to || parsed.from !== pair.from) continue;
    const key = `${parsed.prefix}${parsed.build}`;
    const entry = builds.get(key) ?? { build: parsed.build };
    entry[parsed.variant] = tag;
    builds.set(key, entry);
  }
  return [...builds.values()]
    .filter((b): b is ImagePair => b.init !== undefined && b.runner !== undefined)
    .sort((a, b) => b.build - a.build);
}

/** The newest complete build among the tags docker-build.sh printed as pushed (`==> Pushed <uri>:<tag>`, `<tag>: digest: …`). */
export function pushedTagsFromOutput(output: string, pair: UpgradePair): ImagePair | undefined {
  const tags: string[] = [];
  for (const line of output.split(/\r?\n/)) {
    const pushed =
      /^==> Pushed \S+:([^\s:]+)\s*$/.exec(line) ?? /^([^\s:]+): digest: sha256:[0-9a-f]+/.exec(line);
    if (pushed?.[1]) tags.push(pushed[1]);
  }
  return completeBuilds(tags, pair)[0];
}

/** The newest build of the pair with both images in ECR, pushed at or after `since` (ISO; e.g. the upgrade commit). */
export function newestCompleteBuild(
  images: readonly EcrImage[],
  pair: UpgradePair,
  since?: string,
): BuiltImages | undefined {
  const sinceMs = since ? Date.parse(since) : Number.NEGATIVE_INFINITY;
  const recent = images.filter((image) => Date.parse(image.pushedAt) >= sinceMs);
  const byTag = new Map(recent.map((image) => [image.tag, image]));
  for (const build of completeBuilds([...byTag.keys()], pair)) {
    const init = byTag.get(build.init);
    const runner = byTag.get(build.runner);
    if (init && runner) return { build: build.build, init, runner };
  }
  return undefined;
}

/** The images as journal evidence: one record per variant. */
export function imagesEvidence(built: BuiltImages): JsonValue[] {
  return (['init', 'runner'] as const).map((variant) => {
    const image = built[variant];
    return {
      variant,
      tag: image.tag,
      digest: image.digest,
      sizeBytes: image.sizeBytes,
      pushedAt: image.pushedAt,
    };
  });
}
