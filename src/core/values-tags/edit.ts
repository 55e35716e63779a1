/**
 * The exact edit of a values-tags file: only the tag scalars change, each replaced in its own source range and in its
 * own quoting, so comments, key order, indentation, blank lines, flow sequences, line endings, a BOM and values such
 * as `0755` keep every byte.
 */
import { UserError } from '../errors.js';
import { locateTags, type LocatedTags, type Quote, type TagSite } from './locate.js';

/** An image tag as registries accept it: up to 128 letters, digits, `_`, `.` and `-`, not starting with `.` or `-`. */
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

export function tagProblem(tag: string): string | undefined {
  return TAG.test(tag) ? undefined : `"${tag}" is not an image tag: up to 128 letters, digits, "_", "." and "-", not starting with "." or "-"`;
}

export interface TagChange {
  readonly service: string;
  readonly from: string;
  readonly to: string;
  readonly line: number;
}

function quoted(tag: string, quote: Quote): string {
  if (quote === 'single') return `'${tag}'`;
  if (quote === 'double') return `"${tag}"`;
  // A plain scalar that YAML would read as a number or a boolean keeps its meaning only in quotes.
  return /^[0-9.+-]|^(true|false|null|yes|no|on|off|~)$/i.test(tag) ? `"${tag}"` : tag;
}

/** Refuses a malformed file, an unknown service or a bad tag with what to do; nothing is changed then. */
function check(file: string, sites: readonly TagSite[], problems: readonly { message: string; line: number; column: number }[], tags: Readonly<Record<string, string>>): void {
  const [problem] = problems;
  if (problem) {
    throw new UserError(`${file} is not valid YAML at line ${problem.line}, column ${problem.column}: ${problem.message}. Fix it first; nothing was changed.`, 'values-tags-yaml');
  }
  for (const [service, tag] of Object.entries(tags)) {
    const found = sites.filter((s) => s.service === service);
    if (found.length === 0) {
      const known = sites.map((s) => s.service).join(', ') || 'none';
      throw new UserError(`${file} has no image tag for ${service} (it has: ${known}). Add it, or map the service's path in the configuration; nothing was changed.`, 'values-tags-service');
    }
    const bad = tagProblem(tag);
    if (bad) throw new UserError(`${service}: ${bad}. Nothing was changed.`, 'values-tags-tag');
  }
}

/** The file with `tags` (service → new tag) written in; every site of a service changes. `located`: `locateTags(text)` when the caller has it. */
export function applyTagEdits(file: string, text: string, tags: Readonly<Record<string, string>>, located: LocatedTags = locateTags(text)): { text: string; changes: TagChange[] } {
  const { sites, problems } = located;
  check(file, sites, problems, tags);
  const edits = sites.filter((site) => tags[site.service] !== undefined && tags[site.service] !== site.tag).sort((a, b) => b.start - a.start);
  let next = text;
  for (const site of edits) next = next.slice(0, site.start) + quoted(tags[site.service] as string, site.quote) + next.slice(site.end);
  const changes = [...edits].reverse().map((site) => ({ service: site.service, from: site.tag, to: tags[site.service] as string, line: site.line }));
  return { text: next, changes };
}

export interface Replacement {
  /** Offsets of the tag's source text in the file before the edit. */
  readonly start: number;
  readonly end: number;
  /** The tag's new source text, in its quoting. */
  readonly text: string;
}

/** `applyTagEdits` for one service as replacements of the tag scalars alone (what an editor applies as a text edit). */
export function tagReplacements(file: string, text: string, service: string, tag: string): Replacement[] {
  const before = locateTags(text).sites;
  const edited = applyTagEdits(file, text, { [service]: tag }).text;
  const after = locateTags(edited).sites;
  return before.flatMap((site, i) => {
    const next = after[i];
    if (site.service !== service || !next) return [];
    const replacement = edited.slice(next.start, next.end);
    return replacement === text.slice(site.start, site.end) ? [] : [{ start: site.start, end: site.end, text: replacement }];
  });
}
