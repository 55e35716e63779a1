/**
 * Pure: which image of an ECR repository a main build pushed, told by the build's runs and the images' push times —
 * never "the newest tag". An image counts when it was pushed while the build's runs ran (from the first run's
 * creation to the last one's end, plus a little slack); codacy/git-version's semver tags are preferred over other
 * tags of the same push. Another build on main that ran at the same time may have pushed into that window: its
 * commit is earlier (or later) on main, so its git-version tag is lower (or higher) than this build's.
 */
import type { EcrImage, WorkflowRunInfo } from '../../ports.js';

/** codacy/git-version's tags on main: `v0.0.829`. */
export const SEMVER_TAG = /^v?(\d+)\.(\d+)\.(\d+)$/;

/** How long after a run's last update a push still counts as its own (GitHub's times are to the second). */
export const PUSH_SLACK_MS = 60_000;

/** How many images a "none found" answer lists, newest first. */
const NEWEST_LISTED = 5;

export interface Window {
  readonly from: number;
  readonly to: number;
}

export type BuiltImageMatch =
  | { readonly kind: 'found'; readonly image: EcrImage; readonly run: WorkflowRunInfo }
  /** Nothing pushed in the window; `candidates` are the repository's newest images, to show what is there. */
  | { readonly kind: 'none'; readonly window: Window; readonly candidates: readonly EcrImage[] }
  /** Several pushes in the window that the runs cannot tell apart. */
  | {
      readonly kind: 'ambiguous';
      readonly window: Window;
      readonly candidates: readonly EcrImage[];
      readonly why: string;
    };

const ms = (iso: string) => Date.parse(iso);

/** When a run may have pushed: from its creation to its end (`nowMs` while it still runs), plus the slack. */
export function runWindow(run: WorkflowRunInfo, nowMs: number): Window {
  const end = run.status === 'completed' ? ms(run.updatedAt) : nowMs;
  return { from: ms(run.createdAt), to: Math.max(end, ms(run.createdAt)) + PUSH_SLACK_MS };
}

/** The window of a build: all of its runs for the merge commit. */
export function buildWindow(runs: readonly WorkflowRunInfo[], nowMs: number): Window {
  const windows = runs.map((run) => runWindow(run, nowMs));
  return { from: Math.min(...windows.map((w) => w.from)), to: Math.max(...windows.map((w) => w.to)) };
}

const inside = (window: Window, image: EcrImage) =>
  ms(image.pushedAt) >= window.from && ms(image.pushedAt) <= window.to;
const overlaps = (a: Window, b: Window) => a.from <= b.to && b.from <= a.to;

export function semverOf(tag: string): [number, number, number] | undefined {
  const m = SEMVER_TAG.exec(tag);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

export function compareSemver(a: string, b: string): number {
  const x = semverOf(a) ?? [0, 0, 0];
  const y = semverOf(b) ?? [0, 0, 0];
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
}

/** One image per pushed digest: its semver tag when it has one; semver-tagged pushes only, when there are any. */
function distinctPushes(images: readonly EcrImage[]): EcrImage[] {
  const byDigest = new Map<string, EcrImage>();
  for (const image of images) {
    const kept = byDigest.get(image.digest);
    if (!kept || (!semverOf(kept.tag) && semverOf(image.tag))) byDigest.set(image.digest, image);
  }
  const pushes = [...byDigest.values()];
  const semver = pushes.filter((image) => semverOf(image.tag));
  return semver.length > 0 ? semver : pushes;
}

/** A build that may have pushed: this one (no `run`) or another on main whose runs overlap it. */
interface Build {
  readonly window: Window;
  /** Its place among the builds by creation: GitHub's time to the second, then its run id (ids grow as runs are created). */
  readonly order: number;
  readonly run?: WorkflowRunInfo;
}

const byCreation = (a: WorkflowRunInfo, b: WorkflowRunInfo) =>
  ms(a.createdAt) - ms(b.createdAt) || a.id - b.id;

/** Most pushes and builds weighed at once; more than that is left to a person. */
const MAX_WEIGHED = 6;

/**
 * The pushes this build (`builds[0]`) may have made (null: none), over the ways of giving pushes to builds that explain
 * the most of them: each build pushes at most once, within its window; a later-created build pushes a higher tag
 * (when `ordered`); a push in this build's window must be someone's, one outside it may be a build's not weighed here.
 */
function ownPushes(
  union: readonly EcrImage[],
  mustExplain: ReadonlySet<EcrImage>,
  builds: readonly Build[],
  ordered: boolean,
): Set<EcrImage | null> {
  let best = -1;
  let own = new Set<EcrImage | null>();
  const taken: (EcrImage | undefined)[] = builds.map(() => undefined);
  const visit = (i: number, explained: number, lastOrder: number): void => {
    const image = union[i];
    if (!image) {
      if (explained > best) [best, own] = [explained, new Set()];
      if (explained === best) own.add(taken[0] ?? null);
      return;
    }
    if (!mustExplain.has(image)) visit(i + 1, explained, lastOrder);
    builds.forEach((build, k) => {
      if (taken[k] || !inside(build.window, image) || (ordered && build.order < lastOrder)) return;
      taken[k] = image;
      visit(i + 1, explained + 1, ordered ? build.order : lastOrder);
      taken[k] = undefined;
    });
  };
  visit(0, 0, Number.NEGATIVE_INFINITY);
  return own;
}

/** This build (its first run stands for it) and the other builds whose runs overlap its window, ranked by creation. */
function buildsAround(
  runs: readonly WorkflowRunInfo[],
  others: readonly WorkflowRunInfo[],
  window: Window,
  nowMs: number,
) {
  const first = [...runs].sort(byCreation)[0];
  const rivals = others.filter((run) => overlaps(runWindow(run, nowMs), window));
  const ranked = [...(first ? [first] : []), ...rivals].sort(byCreation);
  const rank = (run: WorkflowRunInfo | undefined) => (run ? ranked.indexOf(run) : 0);
  const rivalBuilds: Build[] = rivals.map((run) => ({
    run,
    window: runWindow(run, nowMs),
    order: rank(run),
  }));
  return { builds: [{ window, order: rank(first) }, ...rivalBuilds], rivals: rivalBuilds };
}

function rivalsWhy(rivals: readonly Build[], candidates: readonly EcrImage[]): string {
  const named = rivals
    .filter((b) => candidates.some((image) => inside(b.window, image)))
    .map((b) => (b.run ? `the build of ${b.run.headSha.slice(0, 7)} (${b.run.name}, ${b.run.url})` : ''));
  if (named.length === 0) return `${candidates.length} images were pushed while the build ran`;
  return `${named.join(' and ')} ran at the same time and may have pushed ${candidates.length === 1 ? 'it' : 'them'}`;
}

/**
 * The image `runs` (every run for the merge commit, all completed) pushed among `images`, with `others` — the same
 * workflows' runs on main for other commits — to tell apart what a build running at the same time pushed.
 */
export function matchBuiltImage(
  images: readonly EcrImage[],
  runs: readonly WorkflowRunInfo[],
  others: readonly WorkflowRunInfo[],
  nowMs: number,
): BuiltImageMatch {
  const window = buildWindow(runs, nowMs);
  const pushes = distinctPushes(images.filter((image) => inside(window, image)));
  const newest = () => [...images].sort((a, b) => ms(b.pushedAt) - ms(a.pushedAt)).slice(0, NEWEST_LISTED);
  if (pushes.length === 0) return { kind: 'none', window, candidates: newest() };
  const { builds, rivals } = buildsAround(runs, others, window, nowMs);
  const ordered = pushes.every((image) => semverOf(image.tag));
  const union = distinctPushes(images.filter((image) => builds.some((b) => inside(b.window, image)))).sort(
    (a, b) => compareSemver(a.tag, b.tag),
  );
  if (union.length > MAX_WEIGHED || builds.length > MAX_WEIGHED)
    return { kind: 'ambiguous', window, candidates: pushes, why: rivalsWhy(rivals, pushes) };
  const own = [...ownPushes(union, new Set(pushes), builds, ordered)];
  const [image] = own;
  if (own.length === 1 && image === null) return { kind: 'none', window, candidates: newest() };
  if (own.length !== 1 || !image) {
    const candidates = own.filter((i): i is EcrImage => i !== null);
    return {
      kind: 'ambiguous',
      window,
      candidates: candidates.length > 0 ? candidates : pushes,
      why: rivalsWhy(rivals, candidates.length > 0 ? candidates : pushes),
    };
  }
  const run = runs.find((r) => inside(runWindow(r, nowMs), image)) ?? runs[0];
  if (!run) return { kind: 'none', window, candidates: [] };
  return { kind: 'found', image, run };
}
