import { createHash } from 'node:crypto';

export const DOCKER_MANIFEST_V2 = 'application/vnd.docker.distribution.manifest.v2+json';
const DOCKER_CONFIG = 'application/vnd.docker.container.image.v1+json';
const DOCKER_LAYER = 'application/vnd.docker.image.rootfs.diff.tar.gzip';

const sha256 = (text: string): string => `sha256:${createHash('sha256').update(text).digest('hex')}`;

/** An image's digest: the sha256 of its manifest bytes. */
export const manifestDigest = (manifest: string): string => sha256(manifest);

/** A small, valid Docker v2 manifest whose layers add up to `sizeBytes`; the same seed gives the same manifest. */
export function buildManifest(seed: string, sizeBytes: number): string {
  const layerCount = 3 + (parseInt(createHash('sha256').update(seed).digest('hex').slice(0, 2), 16) % 5);
  const base = Math.floor(sizeBytes / layerCount);
  const layers = Array.from({ length: layerCount }, (_, i) => ({
    mediaType: DOCKER_LAYER,
    size: i === layerCount - 1 ? sizeBytes - base * (layerCount - 1) : base,
    digest: sha256(`${seed}:layer:${i}`),
  }));
  return JSON.stringify(
    {
      schemaVersion: 2,
      mediaType: DOCKER_MANIFEST_V2,
      config: { mediaType: DOCKER_CONFIG, size: 7000 + (sizeBytes % 3000), digest: sha256(`${seed}:config`) },
      layers,
    },
    null,
    3,
  );
}

/** What ECR reports of a manifest: its media type and the compressed size of its layers. */
export function describeManifest(manifest: string): { mediaType: string; sizeBytes: number } | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(manifest);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const record = parsed as { mediaType?: unknown; layers?: unknown };
  const layers = Array.isArray(record.layers) ? (record.layers as Array<{ size?: unknown }>) : [];
  const sizeBytes = layers.reduce((sum, layer) => sum + (typeof layer.size === 'number' ? layer.size : 0), 0);
  return {
    mediaType: typeof record.mediaType === 'string' ? record.mediaType : DOCKER_MANIFEST_V2,
    sizeBytes: sizeBytes > 0 ? sizeBytes : manifest.length,
  };
}
