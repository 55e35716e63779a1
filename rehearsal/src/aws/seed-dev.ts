/**
 * Dev's deploy builds in ECR (runbook Section 4): the build of git tag `deploy/dev-YYYY.R.H.BUILD` pushes its images
 * tagged `dev-YYYY.R.H.BUILD` (an image tag has no `/`); dev is synced to them. They are never semver (`v0.0.N`)
 * and were all pushed days before the world started, so no main build's run window can hold them.
 */
import type { EcrImageInput, Scenario } from '../contracts.js';
import { createClock } from '../clock.js';
import { buildManifest } from './manifest.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const MB = 1024 * 1024;

/** The PreSync hook's image of dev's portals (values-tags-dev.yaml `data-loader-service`). */
export const DATA_LOADER_REPOSITORY = 'right-pedal/data-loader-service';

const PORTAL_REPOSITORIES = {
  lendosBackend: 'right-pedal/lendos-portal-backend',
  lendosFrontend: 'right-pedal/lendos-portal-frontend',
  signingBackend: 'right-pedal/signing-portal-backend',
  signingFrontend: 'right-pedal/signing-portal-frontend',
} as const;

const EVERY_DEV_REPOSITORY = [...Object.values(PORTAL_REPOSITORIES), DATA_LOADER_REPOSITORY];

/** Image sizes per repository (MB, low–high), as their main builds. */
const SIZES_MB: Readonly<Record<string, [number, number]>> = {
  [PORTAL_REPOSITORIES.lendosBackend]: [180, 260],
  [PORTAL_REPOSITORIES.lendosFrontend]: [22, 48],
  [PORTAL_REPOSITORIES.signingBackend]: [160, 230],
  [PORTAL_REPOSITORIES.signingFrontend]: [20, 41],
  [DATA_LOADER_REPOSITORY]: [95, 130],
};

export interface DevBuild {
  tag: string;
  /** Days before the world's start it was pushed. */
  daysAgo: number;
  repositories: readonly string[];
}

/**
 * The develop builds pushed for dev: what the workloads history deployed before (3120), what dev runs at the world's
 * start (3392), a newer build of everything (3405), and a pre-release build of the lendos portal alone (3411).
 */
export const DEV_BUILDS: readonly DevBuild[] = [
  { tag: 'dev-2025.3.0.3120', daysAgo: 171, repositories: EVERY_DEV_REPOSITORY },
  { tag: 'dev-2025.4.0.3392', daysAgo: 11, repositories: EVERY_DEV_REPOSITORY },
  { tag: 'dev-2025.4.0.3405', daysAgo: 9, repositories: EVERY_DEV_REPOSITORY },
  {
    tag: 'dev-2025.4.0.3411',
    daysAgo: 7,
    repositories: [PORTAL_REPOSITORIES.lendosBackend, PORTAL_REPOSITORIES.lendosFrontend, DATA_LOADER_REPOSITORY],
  },
];

/** Every dev push, each repository's a few minutes after the previous one of the same build; deterministic under the seed. */
export function devPushes(scenario: Scenario, now: Date): Required<Omit<EcrImageInput, 'sizeBytes'>>[] {
  const random = createClock({ timeScale: 1, seed: (scenario.seed ^ 0x5eed_de7) >>> 0 }).random;
  return DEV_BUILDS.flatMap((build) =>
    build.repositories.map((repository, i) => {
      const [low, high] = SIZES_MB[repository] ?? [50, 100];
      const sizeBytes = Math.round((low + random() * (high - low)) * MB);
      const pushedAt = new Date(now.getTime() - build.daysAgo * DAY_MS + i * 140_000 + Math.round(random() * 30_000));
      const manifest = buildManifest(`${scenario.seed}:${repository}:${build.tag}`, sizeBytes);
      return { repository, tags: [build.tag], manifest, pushedAt };
    }),
  );
}
