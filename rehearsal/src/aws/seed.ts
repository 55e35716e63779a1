import type { EcrImageInput, Scenario, WorldClock } from '../contracts.js';
import { createClock } from '../clock.js';
import type { EcrStore } from './ecr-store.js';
import { buildManifest } from './manifest.js';
import { DATA_LOADER_REPOSITORY, devPushes } from './seed-dev.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const MB = 1024 * 1024;
/** The seeded history spans about six months and ends a little before the world starts. */
const HISTORY_DAYS = 182;
const HISTORY_ENDS_DAYS_AGO = 2;

interface ServiceHistory {
  repository: string;
  /** Patch number of the newest `v0.0.N` tag. */
  latestPatch: number;
  images: number;
  sizeMb: [number, number];
}

/** CI builds of the four services on main; backends are at `v0.0.8xx`, frontends at `v0.0.5xx`. */
export const SERVICE_HISTORIES: readonly ServiceHistory[] = [
  { repository: 'right-pedal/lendos-portal-backend', latestPatch: 829, images: 240, sizeMb: [180, 260] },
  { repository: 'right-pedal/signing-portal-backend', latestPatch: 814, images: 226, sizeMb: [160, 230] },
  { repository: 'right-pedal/lendos-portal-frontend', latestPatch: 567, images: 214, sizeMb: [22, 48] },
  { repository: 'right-pedal/signing-portal-frontend', latestPatch: 552, images: 203, sizeMb: [20, 41] },
];

export const UPGRADE_REPOSITORY = 'right-pedal/portal-daml-upgrade';

/** Past DAML upgrades: `v{to}.{from}.{build}`, each pushed as an `-init` and a `-runner` image. */
export const UPGRADE_BUILDS: readonly string[] = [
  'v0.1.87.0.1.86.1',
  'v0.1.88.0.1.87.1',
  'v0.1.89.0.1.88.1',
  'v0.1.90.0.1.89.1',
  'v0.1.90.0.1.89.2',
  'v0.1.91.0.1.90.1',
  'v0.1.92.0.1.91.1',
];

/** Share of CI pushes that left an untagged image behind (cache exports, retried builds). */
const UNTAGGED_SHARE = 0.06;

function hashText(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash;
}

/** A random source per repository, so each history is the same under a seed whatever else draws numbers. */
const randomFor = (scenario: Scenario, repository: string): (() => number) =>
  createClock({ timeScale: 1, seed: (scenario.seed ^ hashText(repository)) >>> 0 }).random;

/** Push times spread over the history window, increasing, with jitter of up to half a slot. */
function pushTimes(count: number, end: Date, random: () => number): Date[] {
  const start = end.getTime() - HISTORY_DAYS * DAY_MS;
  const slot = (end.getTime() - start) / count;
  return Array.from({ length: count }, (_, i) => new Date(Math.round(start + slot * (i + 0.5 * random()))));
}

type SeedPush = EcrImageInput & { pushedAt: Date };

/** Pushes in push-time order, so a repository's images stay in the order ECR received them. */
function pushInOrder(store: EcrStore, pushes: SeedPush[]): void {
  for (const push of [...pushes].sort((a, b) => a.pushedAt.getTime() - b.pushedAt.getTime())) store.push(push);
}

function seedService(store: EcrStore, scenario: Scenario, history: ServiceHistory, end: Date, extra: SeedPush[]): void {
  const random = randomFor(scenario, history.repository);
  store.createRepository(history.repository, new Date(end.getTime() - 700 * DAY_MS));
  const times = pushTimes(history.images, end, random);
  const untagged = times.map((_, i) => i < times.length - 10 && random() < UNTAGGED_SHARE);
  const taggedCount = untagged.filter((u) => !u).length;
  let patch = history.latestPatch - taggedCount + 1;
  const pushes = times.map((pushedAt, i): SeedPush => {
    const [low, high] = history.sizeMb;
    const sizeBytes = Math.round((low + random() * (high - low)) * MB);
    const tags = untagged[i] ? [] : [`v0.0.${patch++}`];
    const manifest = buildManifest(`${scenario.seed}:${history.repository}:${i}`, sizeBytes);
    return { repository: history.repository, tags, manifest, pushedAt };
  });
  pushInOrder(store, [...pushes, ...extra.filter((push) => push.repository === history.repository)]);
}

function seedUpgradeImages(store: EcrStore, scenario: Scenario, end: Date): void {
  const random = randomFor(scenario, UPGRADE_REPOSITORY);
  store.createRepository(UPGRADE_REPOSITORY, new Date(end.getTime() - 400 * DAY_MS));
  const times = pushTimes(UPGRADE_BUILDS.length, end, random);
  UPGRADE_BUILDS.forEach((build, i) => {
    for (const [offset, variant] of ['init', 'runner'].entries()) {
      const sizeBytes = Math.round((380 + random() * 220) * MB);
      const manifest = buildManifest(`${scenario.seed}:${UPGRADE_REPOSITORY}:${build}-${variant}`, sizeBytes);
      const pushedAt = new Date((times[i] ?? end).getTime() + offset * 95_000);
      store.push({ repository: UPGRADE_REPOSITORY, tags: [`${build}-${variant}`], manifest, pushedAt });
    }
  });
}

/** Fills the store with months of CI history and dev's deploy tags; deterministic under the scenario seed, anchored at `clock.now()`. */
export function seedEcrHistory(store: EcrStore, clock: WorldClock, scenario: Scenario): void {
  const end = new Date(clock.now().getTime() - HISTORY_ENDS_DAYS_AGO * DAY_MS);
  const dev = devPushes(scenario, clock.now());
  for (const history of SERVICE_HISTORIES) seedService(store, scenario, history, end, dev);
  seedUpgradeImages(store, scenario, end);
  store.createRepository(DATA_LOADER_REPOSITORY, new Date(end.getTime() - 300 * DAY_MS));
  pushInOrder(store, dev.filter((push) => push.repository === DATA_LOADER_REPOSITORY));
}
