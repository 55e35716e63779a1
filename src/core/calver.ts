/**
 * The release version, CalVer `YYYY.R.H` (BRANCHING.md): calendar year, release counter within the year
 * (from 1), hotfix counter (from 0). Parsing is strict and every refusal says what to type instead.
 */

export const MIN_YEAR = 2000;
export const MAX_YEAR = 2999;
/** Largest release or hotfix counter accepted; anything bigger is a typo, not a plan. */
export const MAX_COUNTER = 999;
const EXAMPLE = '2025.4.0';

export type CalVerErrorReason =
  | 'not-text'
  | 'empty'
  | 'whitespace'
  | 'leading-v'
  | 'branch-name'
  | 'negative'
  | 'invalid-characters'
  | 'empty-part'
  | 'missing-parts'
  | 'missing-hotfix'
  | 'too-many-parts'
  | 'leading-zero'
  | 'year-out-of-range'
  | 'release-zero'
  | 'too-large'
  | 'no-release-to-hotfix';

/** A version that is not CalVer `YYYY.R.H`; the message says what to type instead. */
export class CalVerError extends Error {
  override readonly name = 'CalVerError';
  constructor(
    readonly reason: CalVerErrorReason,
    message: string,
    readonly input: string,
  ) {
    super(message);
  }
}

export type CalVerResult = { ok: true; value: CalVer } | { ok: false; error: CalVerError };

export class CalVer {
  private constructor(
    readonly year: number,
    readonly release: number,
    readonly hotfix: number,
  ) {}

  /** Builds a version from its numbers; throws `CalVerError` when one is out of range. */
  static of(year: number, release: number, hotfix: number): CalVer {
    const text = `${year}.${release}.${hotfix}`;
    if (![year, release, hotfix].every(Number.isSafeInteger)) {
      throw new CalVerError(
        'invalid-characters',
        `${show(text)} is not made of whole numbers; ${LOOKS_LIKE}`,
        text,
      );
    }
    const problem = rangeProblem(year, release, hotfix, text);
    if (problem) throw problem;
    return new CalVer(year, release, hotfix);
  }

  /** Parses exactly `YYYY.R.H`: no surrounding whitespace, no `v`, no leading zeros. */
  static parse(text: string): CalVer {
    if (typeof text !== 'string') {
      throw new CalVerError('not-text', `expected a version as text; ${LOOKS_LIKE}`, String(text));
    }
    const [year, release, hotfix] = checkShape(text);
    const problem = rangeProblem(year, release, hotfix, text);
    if (problem) throw problem;
    return new CalVer(year, release, hotfix);
  }

  static tryParse(text: string): CalVerResult {
    try {
      return { ok: true, value: CalVer.parse(text) };
    } catch (error) {
      if (error instanceof CalVerError) return { ok: false, error };
      throw error;
    }
  }

  /** Parses the contents of a VERSION file: one trailing line ending (`\n` or `\r\n`) is allowed. */
  static fromVersionFile(text: string): CalVer {
    return CalVer.parse(typeof text === 'string' ? text.replace(/\r?\n$/, '') : text);
  }

  /** Ascending order, for `Array.prototype.sort`. */
  static compare(a: CalVer, b: CalVer): -1 | 0 | 1 {
    return a.compare(b);
  }

  compare(other: CalVer): -1 | 0 | 1 {
    const difference = this.year - other.year || this.release - other.release || this.hotfix - other.hotfix;
    return difference < 0 ? -1 : difference > 0 ? 1 : 0;
  }

  equals(other: CalVer): boolean {
    return this.compare(other) === 0;
  }

  /**
   * The next release: same year, release counter + 1, hotfix 0. When `today` (read in UTC) is in a later year
   * than this version, the counter restarts: `<that year>.1.0`. A `today` in an earlier year is ignored.
   */
  nextRelease(today?: Date): CalVer {
    const currentYear = today?.getUTCFullYear();
    if (currentYear !== undefined && currentYear > this.year) return CalVer.of(currentYear, 1, 0);
    return CalVer.of(this.year, this.release + 1, 0);
  }

  /** The next hotfix of this release: hotfix counter + 1. */
  nextHotfix(): CalVer {
    return CalVer.of(this.year, this.release, this.hotfix + 1);
  }

  format(): string {
    return `${this.year}.${this.release}.${this.hotfix}`;
  }

  toString(): string {
    return this.format();
  }

  toJSON(): string {
    return this.format();
  }
}

const LOOKS_LIKE = `a release version looks like ${EXAMPLE} (YEAR.RELEASE.HOTFIX)`;
const BRANCH_PREFIX =
  /^(?:refs\/heads\/|refs\/remotes\/origin\/|remotes\/origin\/|origin\/)?(?:release|upgrade)\//;

/** Quotes input for a message, cut short so a pasted command line cannot flood it. */
function show(text: string): string {
  const quoted = JSON.stringify(text);
  return quoted.length > 42 ? `${quoted.slice(0, 40)}…"` : quoted;
}

/** The valid version a careless input most likely meant, or null when there is no safe guess. */
function repair(text: string): string | null {
  const trimmed = text.trim().replace(/^[vV]/, '').replace(BRANCH_PREFIX, '');
  if (!/^\d+(\.\d+){1,2}$/.test(trimmed)) return null;
  const parts = trimmed.split('.').map((part) => part.replace(/^0+(?=\d)/, ''));
  if (parts.length === 2) parts.push('0');
  const candidate = parts.join('.');
  return shapeProblem(candidate) === null && rangeOf(candidate) === null ? candidate : null;
}

function fail(reason: CalVerErrorReason, text: string, problem: string): CalVerError {
  const fixed = repair(text);
  const advice = fixed !== null ? `: use ${fixed}` : `; ${LOOKS_LIKE}`;
  return new CalVerError(reason, `${problem}${advice}`, text);
}

/** Checks the characters and parts of `text`; returns the three numbers. */
function checkShape(text: string): [number, number, number] {
  const problem = shapeProblem(text);
  if (problem) throw fail(problem.reason, text, problem.message);
  const [year = NaN, release = NaN, hotfix = NaN] = text.split('.').map(Number);
  return [year, release, hotfix];
}

function shapeProblem(text: string): { reason: CalVerErrorReason; message: string } | null {
  const shown = show(text);
  if (text.trim() === '') return { reason: 'empty', message: 'the version is empty' };
  if (text !== text.trim()) return { reason: 'whitespace', message: `${shown} has whitespace around it` };
  if (/^[vV]\d/.test(text)) return { reason: 'leading-v', message: `drop the leading v from ${shown}` };
  if (BRANCH_PREFIX.test(text) && repair(text) !== null) {
    return { reason: 'branch-name', message: `${shown} is a branch name, not a version` };
  }
  if (/^-\d|\.-\d/.test(text)) return { reason: 'negative', message: `${shown} has a negative number` };
  if (!/^[0-9.]+$/.test(text)) {
    return { reason: 'invalid-characters', message: `${shown} may contain only digits and dots` };
  }
  const parts = text.split('.');
  if (parts.includes('')) return { reason: 'empty-part', message: `${shown} has an empty part` };
  if (parts.length === 1) {
    return { reason: 'missing-parts', message: `${text} is missing the release and hotfix counters` };
  }
  if (parts.length === 2)
    return { reason: 'missing-hotfix', message: `${text} is missing the hotfix counter` };
  if (parts.length > 3) {
    return {
      reason: 'too-many-parts',
      message: `${shown} has ${parts.length} parts, a release version has 3`,
    };
  }
  if (parts.some((part) => /^0\d/.test(part))) {
    return { reason: 'leading-zero', message: `${text} has a leading zero` };
  }
  if (parts.some((part) => part.length > 9))
    return { reason: 'too-large', message: `${shown} has a huge number` };
  return null;
}

function rangeOf(text: string): CalVerError | null {
  const [year = NaN, release = NaN, hotfix = NaN] = text.split('.').map(Number);
  return rangeProblem(year, release, hotfix, text);
}

function rangeProblem(year: number, release: number, hotfix: number, text: string): CalVerError | null {
  if (!(year >= MIN_YEAR && year <= MAX_YEAR)) {
    const message = `year ${year} in ${show(text)} is outside ${MIN_YEAR}–${MAX_YEAR}; the year is the four-digit calendar year, as in ${EXAMPLE}`;
    return new CalVerError('year-out-of-range', message, text);
  }
  if (release === 0) {
    const message = `the release counter in ${show(text)} is 0, but it starts at 1: use ${year}.1.${hotfix}`;
    return new CalVerError('release-zero', message, text);
  }
  if (!(release >= 1 && release <= MAX_COUNTER && hotfix >= 0 && hotfix <= MAX_COUNTER)) {
    const message = `${show(text)} has a counter outside 0–${MAX_COUNTER}; ${LOOKS_LIKE}`;
    return new CalVerError(release < 0 || hotfix < 0 ? 'negative' : 'too-large', message, text);
  }
  return null;
}

// ── Branches and the next version ───────────────────────────────────────────────────────────────────────

const REF_PREFIXES = ['refs/heads/', 'refs/remotes/origin/', 'remotes/origin/', 'origin/'];

/** The version in a `release/X` or `upgrade/X` branch name, optionally prefixed by `origin/`, `refs/heads/`… */
export function versionOfBranch(kind: 'release' | 'upgrade', name: string): CalVer | null {
  if (typeof name !== 'string') return null;
  const refPrefix = REF_PREFIXES.find((candidate) => name.startsWith(candidate)) ?? '';
  const branch = name.slice(refPrefix.length);
  if (!branch.startsWith(`${kind}/`)) return null;
  const parsed = CalVer.tryParse(branch.slice(kind.length + 1));
  return parsed.ok ? parsed.value : null;
}

export interface NextVersionInput {
  /** Branch names as git lists them, e.g. `release/2025.3.0`, `origin/release/2025.3.1`; others are ignored. */
  readonly branches: readonly string[];
  /** Contents of the VERSION file, if read. */
  readonly versionFile?: string;
  readonly today: Date;
  readonly kind: 'release' | 'hotfix';
}

/**
 * Suggests the version to release: the highest of VERSION and the release branches, then its next release
 * (restarting at `YYYY.1.0` in a new year) or its next hotfix (hotfixes keep their release's year).
 */
export function suggestNextVersion(input: NextVersionInput): { version: CalVer; reason: string } {
  const latest = latestKnownVersion(input.branches, input.versionFile);
  const year = input.today.getUTCFullYear();
  if (input.kind === 'hotfix') {
    if (!latest) {
      const message = 'there is no release branch or VERSION file to hotfix: cut a release first';
      throw new CalVerError('no-release-to-hotfix', message, '');
    }
    return {
      version: latest.version.nextHotfix(),
      reason: `next hotfix of ${latest.version} (${latest.source})`,
    };
  }
  if (!latest) {
    return {
      version: CalVer.of(year, 1, 0),
      reason: `no release branch or VERSION found: first release of ${year}`,
    };
  }
  const version = latest.version.nextRelease(input.today);
  const why = version.year > latest.version.year ? `first release of ${year}` : 'next release';
  return { version, reason: `${why} after ${latest.version} (${latest.source})` };
}

function latestKnownVersion(
  branches: readonly string[],
  versionFile: string | undefined,
): { version: CalVer; source: string } | null {
  const candidates: { version: CalVer; source: string }[] = [];
  if (versionFile !== undefined) {
    const parsed = CalVer.tryParse(versionFile.replace(/\r?\n$/, ''));
    if (parsed.ok) candidates.push({ version: parsed.value, source: 'from VERSION' });
  }
  for (const branch of branches) {
    const version = versionOfBranch('release', branch);
    if (version) candidates.push({ version, source: `from branch ${branch}` });
  }
  // Ties keep the first candidate, so VERSION is named before a branch of the same version.
  return candidates.reduce<{ version: CalVer; source: string } | null>(
    (latest, candidate) => (!latest || candidate.version.compare(latest.version) > 0 ? candidate : latest),
    null,
  );
}
