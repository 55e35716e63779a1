/**
 * Names the runbook gives things — branches, tags, snapshots, image tags, commit messages and PR titles —
 * built from a CalVer and validated, with the parsers that read them back.
 */
import { CalVer, versionOfBranch } from './calver.js';
import type { UpgradeEnvironment } from './runbook/types.js';

export type NameErrorReason =
  'invalid-rc-number' | 'invalid-build' | 'invalid-date' | 'invalid-daml-version' | 'invalid-rds-identifier';

/** A name that cannot be built from the given parts; the message says what to do. */
export class NameError extends Error {
  override readonly name = 'NameError';
  constructor(
    readonly reason: NameErrorReason,
    message: string,
  ) {
    super(message);
  }
}

/** A version, or its text (parsed strictly: a bad one throws `CalVerError`). */
export type VersionInput = CalVer | string;

function versionOf(version: VersionInput): CalVer {
  return typeof version === 'string' ? CalVer.parse(version) : version;
}

// ── Branches ────────────────────────────────────────────────────────────────────────────────────────────

/** `release/2025.4.0` */
export function releaseBranch(version: VersionInput): string {
  return `release/${versionOf(version).format()}`;
}

/** `upgrade/2025.4.0` — the DAML upgrade branch cut from the release branch. */
export function upgradeBranch(version: VersionInput): string {
  return `upgrade/${versionOf(version).format()}`;
}

/**
 * The lendos-eks-workloads branch of a values-tags PR: the runbook's `release/2025.4.0-values` for staging;
 * production gets `release/2025.4.0-values-production` so it cannot collide with an unmerged staging branch.
 */
export function valuesBranch(version: VersionInput, environment: UpgradeEnvironment = 'staging'): string {
  const suffix = environment === 'production' ? '-values-production' : '-values';
  return `release/${versionOf(version).format()}${suffix}`;
}

/** The version of `release/X`, `origin/release/X`, `refs/heads/release/X` or `refs/remotes/origin/release/X`. */
export function parseReleaseBranch(name: string): CalVer | null {
  return versionOfBranch('release', name);
}

/** The version of an `upgrade/X` branch, with the same prefixes as `parseReleaseBranch`. */
export function parseUpgradeBranch(name: string): CalVer | null {
  return versionOfBranch('upgrade', name);
}

// ── Tags ────────────────────────────────────────────────────────────────────────────────────────────────

const MAX_RC = 999;

/** `v2025.4.0-rc.1` (BRANCHING.md's planned RC tags); `n` is a whole number from 1. */
export function rcTag(version: VersionInput, n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > MAX_RC) {
    throw new NameError(
      'invalid-rc-number',
      `RC number ${n} is not valid: use a whole number from 1 to ${MAX_RC}`,
    );
  }
  return `v${versionOf(version).format()}-rc.${n}`;
}

export function parseRcTag(tag: string): { version: CalVer; rc: number } | null {
  const match = /^(?:refs\/tags\/)?v([0-9.]+)-rc\.([1-9]\d{0,2})$/.exec(typeof tag === 'string' ? tag : '');
  const version = match?.[1] !== undefined ? CalVer.tryParse(match[1]) : null;
  return version?.ok && match?.[2] ? { version: version.value, rc: Number(match[2]) } : null;
}

function checkBuild(build: number): void {
  if (!Number.isSafeInteger(build) || build < 0) {
    throw new NameError(
      'invalid-build',
      `build number ${build} is not valid: use a whole number from 0 (the CI run number)`,
    );
  }
}

/** `deploy/dev-2025.4.0.3392`: the dev deployment tag (runbook Section 4). */
export function devDeployTag(version: VersionInput, build: number): string {
  checkBuild(build);
  return `deploy/dev-${versionOf(version).format()}.${build}`;
}

export function parseDevDeployTag(tag: string): { version: CalVer; build: number } | null {
  const match = /^(?:refs\/tags\/)?deploy\/dev-(\d+\.\d+\.\d+)\.(0|[1-9]\d{0,14})$/.exec(
    typeof tag === 'string' ? tag : '',
  );
  const version = match?.[1] !== undefined ? CalVer.tryParse(match[1]) : null;
  return version?.ok && match?.[2] ? { version: version.value, build: Number(match[2]) } : null;
}

/**
 * The image tag a `deploy/dev-2025.4.0.3392` build pushes: `dev-2025.4.0.3392` (an image tag has no "/"). Either form
 * is accepted; null when it is neither.
 */
export function devImageTag(tag: string): string | null {
  const text = typeof tag === 'string' ? tag.trim() : '';
  const parsed = parseDevDeployTag(text.startsWith('deploy/') ? text : `deploy/${text}`);
  return parsed ? `dev-${parsed.version.format()}.${parsed.build}` : null;
}

// ── RDS snapshots ───────────────────────────────────────────────────────────────────────────────────────

/** What is wrong with an RDS cluster or snapshot identifier, or null when it is valid. */
export function validateRdsIdentifier(id: string): string | null {
  if (typeof id !== 'string' || id === '') return 'the identifier is empty: RDS needs 1–63 characters';
  if (id.length > 63) return `"${id.slice(0, 20)}…" is ${id.length} characters long: RDS allows at most 63`;
  const bad = /[^A-Za-z0-9-]/.exec(id);
  if (bad)
    return `${JSON.stringify(bad[0])} is not allowed: use only letters, digits and hyphens (dots become hyphens)`;
  if (!/^[A-Za-z]/.test(id)) return `"${id}" must start with a letter`;
  if (id.endsWith('-')) return `"${id}" must not end with a hyphen`;
  if (id.includes('--')) return `"${id}" must not contain two hyphens in a row`;
  return null;
}

const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

function snapshotPrefix(version: CalVer): string {
  return `canton-upgrade-${version.year}-${version.release}-${version.hotfix}`;
}

/** `canton-upgrade-2025-4-0-YYYYMMDD-HHMM`, the runbook's naming pattern, placeholders left in. */
export function snapshotNamePattern(version: VersionInput): string {
  return `${snapshotPrefix(versionOf(version))}-YYYYMMDD-HHMM`;
}

/** `canton-upgrade-2025-4-0-20251110-1432`: the pre-upgrade RDS snapshot, timestamped in UTC. */
export function snapshotName(version: VersionInput, takenAt: Date): string {
  if (!(takenAt instanceof Date) || Number.isNaN(takenAt.getTime())) {
    throw new NameError('invalid-date', 'the snapshot time is not a valid date: pass the current time');
  }
  const date = `${takenAt.getUTCFullYear()}${pad(takenAt.getUTCMonth() + 1)}${pad(takenAt.getUTCDate())}`;
  const time = `${pad(takenAt.getUTCHours())}${pad(takenAt.getUTCMinutes())}`;
  const name = `${snapshotPrefix(versionOf(version))}-${date}-${time}`;
  const problem = validateRdsIdentifier(name);
  if (problem) throw new NameError('invalid-rds-identifier', `snapshot name ${problem}`);
  return name;
}

export function parseSnapshotName(id: string): { version: CalVer; takenAt: Date } | null {
  const match = /^canton-upgrade-(\d+)-(\d+)-(\d+)-(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})$/.exec(
    typeof id === 'string' ? id : '',
  );
  if (!match) return null;
  const [, year, release, hotfix, ...stamp] = match;
  const version = CalVer.tryParse(`${year}.${release}.${hotfix}`);
  const [y, mo, d, h, mi] = stamp.map(Number) as [number, number, number, number, number];
  const takenAt = new Date(Date.UTC(y, mo - 1, d, h, mi));
  const sameStamp =
    takenAt.getUTCFullYear() === y &&
    takenAt.getUTCMonth() === mo - 1 &&
    takenAt.getUTCDate() === d &&
    takenAt.getUTCHours() === h &&
    takenAt.getUTCMinutes() === mi;
  return version.ok && sameStamp ? { version: version.value, takenAt } : null;
}

// ── DAML upgrade images ─────────────────────────────────────────────────────────────────────────────────

/** A DAML package version: three dotted whole numbers, e.g. `0.1.93`; three parts keep image tags parseable. */
const DAML_VERSION = /^(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})$/;
const PART = '(?:0|[1-9]\\d{0,8})';
const VERSION_SOURCE = `${PART}\\.${PART}\\.${PART}`;
const IMAGE_TAG = new RegExp(
  `^(v?)(${VERSION_SOURCE})(?:\\.(${VERSION_SOURCE}))?\\.(0|[1-9]\\d{0,14})-(init|runner)$`,
);

export interface UpgradeImageInput {
  /** DAML package version upgraded to, e.g. `0.1.93`. */
  readonly target: string;
  /** Version upgraded from, e.g. `0.1.92`; omitted for the `{target}.{build}` form of runbook 1.4. */
  readonly from?: string | null;
  readonly build: number;
  /** Section 3 and 5 tags carry a `v` (the default); 1.4's example does not. */
  readonly prefix?: 'v' | '';
}

export interface UpgradeImageTag {
  readonly target: string;
  readonly from: string | null;
  readonly build: number;
  readonly variant: 'init' | 'runner';
  readonly prefix: 'v' | '';
}

function checkDamlVersion(field: string, value: string): void {
  if (typeof value !== 'string' || !DAML_VERSION.test(value)) {
    const message = `${field} ${JSON.stringify(value)} is not a DAML package version: use three dotted numbers like 0.1.93`;
    throw new NameError('invalid-daml-version', message);
  }
}

/** `v0.1.93.0.1.92.1-init` / `-runner`: `{prefix}{target}.{from}.{build}-{variant}`. */
export function upgradeImageTags(input: UpgradeImageInput): { init: string; runner: string } {
  checkDamlVersion('target', input.target);
  if (input.from !== undefined && input.from !== null) checkDamlVersion('from', input.from);
  checkBuild(input.build);
  const from = input.from ? `.${input.from}` : '';
  const base = `${input.prefix ?? 'v'}${input.target}${from}.${input.build}`;
  return { init: `${base}-init`, runner: `${base}-runner` };
}

export function parseUpgradeImageTag(tag: string): UpgradeImageTag | null {
  const match = IMAGE_TAG.exec(typeof tag === 'string' ? tag : '');
  if (!match) return null;
  const [, prefix, target, from, build, variant] = match;
  if (target === undefined || build === undefined || (variant !== 'init' && variant !== 'runner'))
    return null;
  return { target, from: from ?? null, build: Number(build), variant, prefix: prefix === 'v' ? 'v' : '' };
}

// ── Commit messages and pull requests ───────────────────────────────────────────────────────────────────

const environmentSuffix = (environment?: UpgradeEnvironment): string =>
  environment ? ` (${environment})` : '';

export function commitMessageForVersionBump(version: VersionInput): string {
  return `Bump VERSION to ${versionOf(version).format()} for release`;
}

export function releasePrTitle(version: VersionInput): string {
  return `Release ${versionOf(version).format()}`;
}

export function gitflowPrTitle(version: VersionInput): string {
  return `Sync release ${versionOf(version).format()} to develop`;
}

export function gitflowPrBody(version: VersionInput): string {
  return `Syncs changes from release ${versionOf(version).format()} (now in main) back to develop`;
}

export function valuesTagsCommitMessage(version: VersionInput, environment?: UpgradeEnvironment): string {
  return `Update values-tags for release ${versionOf(version).format()}${environmentSuffix(environment)}`;
}

export function valuesTagsPrTitle(version: VersionInput, environment?: UpgradeEnvironment): string {
  return `Update tags for release ${versionOf(version).format()}${environmentSuffix(environment)}`;
}

export function valuesTagsPrBody(version: VersionInput, environment?: UpgradeEnvironment): string {
  const which = environment ? `${environment} ` : '';
  return `Updates ${which}image tags for release ${versionOf(version).format()} deployment`;
}

// ── Ref-name safety ─────────────────────────────────────────────────────────────────────────────────────

/** What `git check-ref-format` would object to in `name` (the rules that matter to us), or null. */
export function refNameProblem(name: string): string | null {
  if (typeof name !== 'string' || name === '') return 'the name is empty';
  if ([...name].some((char) => char.charCodeAt(0) <= 0x20 || char.charCodeAt(0) === 0x7f)) {
    return 'it contains a space or a control character';
  }
  if (/[~^:?*[\\]/.test(name)) return 'it contains one of ~ ^ : ? * [ \\';
  if (name.includes('..')) return 'it contains ".."';
  if (name.includes('@{') || name === '@') return 'it contains "@{" or is "@"';
  if (name.startsWith('-')) return 'it starts with "-"';
  if (name.startsWith('/') || name.endsWith('/') || name.includes('//'))
    return 'it has an empty path component';
  if (name.endsWith('.')) return 'it ends with "."';
  for (const component of name.split('/')) {
    if (component.startsWith('.')) return `the component "${component}" starts with "."`;
    if (component.endsWith('.lock')) return `the component "${component}" ends with ".lock"`;
  }
  return null;
}

export function isSafeRefName(name: string): boolean {
  return refNameProblem(name) === null;
}

/**
 * `canton-0-1-54-failed-2025-4-0`: what the rollback renames the broken Canton cluster to, so that the snapshot can be
 * restored under the original identifier. The cluster's part is shortened to keep within RDS's 63 characters.
 */
export function rollbackAsideName(cluster: string, version: VersionInput): string {
  const v = versionOf(version);
  const suffix = `-failed-${v.year}-${v.release}-${v.hotfix}`;
  const head = cluster.slice(0, 63 - suffix.length).replace(/-+$/, '');
  return `${head}${suffix}`;
}
