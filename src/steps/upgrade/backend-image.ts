/**
 * Why a backend still shows the old DARs after the upgrade, from the image its pods run: the release's tag (it
 * started before the upgrade: restart it) or another (Argo CD has not deployed the release's values-tags).
 */
import { UserError } from '../../core/errors.js';
import { tagsIn, wantedTags } from '../values-tags/wanted.js';
import type { Target, UpgradeStepContext } from './target.js';

/** The release's tag of a service image: the environment's values-tags record, else what that step would write. */
function releaseTag(ctx: UpgradeStepContext, target: Target, image: string): string | undefined {
  const own = tagsIn(ctx.evidenceOf(`${target.environment}.values-tags`), [image]);
  if (own.missing.length === 0) return own.tags[image];
  try {
    return wantedTags(ctx).tags[image];
  } catch (error) {
    if (error instanceof UserError) return undefined;
    throw error;
  }
}

/** `…/right-pedal/x:v0.0.830` → `v0.0.830`; a digest-only reference has no tag. */
const tagOfImage = (image: string): string | undefined => {
  const name = image.split('@')[0] ?? '';
  const colon = name.lastIndexOf(':');
  return colon > name.lastIndexOf('/') ? name.slice(colon + 1) : undefined;
};

/** What the backend's pods run, against the release's tag, with what to do; undefined when it cannot be told. */
export async function backendImageVerdict(ctx: UpgradeStepContext, target: Target, backend: { namespace: string; deployment: string }): Promise<string | undefined> {
  const tag = releaseTag(ctx, target, backend.deployment);
  if (!tag) return undefined;
  try {
    const { selector } = await target.kube.getScale(target.context, backend.namespace, backend.deployment);
    const images = [...new Set((await target.kube.listPods(target.context, backend.namespace, selector)).flatMap((pod) => pod.images ?? []))];
    if (images.length === 0) return undefined;
    if (images.every((image) => tagOfImage(image) === tag)) {
      return `its pods run ${images.join(', ')}, the release's tag: they started before the upgrade and still have the old DARs — restart it`;
    }
    return (
      `its pods run ${images.join(', ')}, not the release's ${tag}: Argo CD has not deployed the release's values-tags — check that ` +
      `${target.environment}.values-tags is merged into main, then sync (${target.environment}.upgrade.argocd-sync)`
    );
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    return undefined;
  }
}
