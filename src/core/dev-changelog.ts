/**
 * Section 4's "changelog of merged items since last sync": the PRs merged to `main` since dev was last synced, grouped
 * by their conventional-commit kind (feat, fix, …) as Markdown for Product. Pure; outside text made inert.
 */
import { escapeMarkdown, neutraliseLine } from './text.js';

export interface MergedPull {
  readonly number: number;
  readonly title: string;
  readonly author: string;
  readonly mergedAt: string;
  readonly url: string;
}

export interface DevChangelog {
  /** When dev was last synced (the values-tags commit that set its tags), ISO 8601. */
  readonly since: string;
  readonly groups: readonly { readonly title: string; readonly pulls: readonly MergedPull[] }[];
  readonly count: number;
}

const KINDS: readonly [RegExp, string][] = [
  [/^feat(\(.+\))?!?:/i, 'Features'],
  [/^fix(\(.+\))?!?:/i, 'Fixes'],
];

/** Pulls merged after `since`, oldest first, grouped: Features, Fixes, then everything else. */
export function devChangelog(pulls: readonly MergedPull[], since: string): DevChangelog {
  const after = pulls.filter((p) => p.mergedAt > since).sort((a, b) => a.mergedAt.localeCompare(b.mergedAt));
  const titles = [...KINDS.map(([, title]) => title), 'Other changes'];
  const kindOf = (p: MergedPull) => KINDS.find(([pattern]) => pattern.test(p.title))?.[1] ?? 'Other changes';
  const groups = titles.map((title) => ({ title, pulls: after.filter((p) => kindOf(p) === title) })).filter((g) => g.pulls.length > 0);
  return { since, groups, count: after.length };
}

/** The changelog's lines: `markdown` escapes outside text for a Markdown page; plain keeps it as text (a log). */
function changelogLines(changelog: DevChangelog, heading: string, escape: (text: string) => string, markdown: boolean): string[] {
  const lines = [markdown ? `## ${escape(heading)}` : `${heading}:`, ''];
  if (changelog.count === 0) return [...lines, `Nothing was merged to main since ${changelog.since.slice(0, 16).replace('T', ' ')} UTC.`];
  for (const group of changelog.groups) {
    lines.push(markdown ? `### ${group.title}` : `${group.title}:`, '');
    for (const p of group.pulls) {
      lines.push(`${markdown ? '-' : '  -'} #${p.number} ${escape(neutraliseLine(p.title))} (@${escape(neutraliseLine(p.author))}, merged ${p.mergedAt.slice(0, 10)})`);
    }
    lines.push('');
  }
  return lines;
}

export function devChangelogMarkdown(changelog: DevChangelog, heading: string): string[] {
  return changelogLines(changelog, heading, escapeMarkdown, true);
}

/** The same as plain text, for a step's log (a terminal shows no Markdown). */
export function devChangelogText(changelog: DevChangelog, heading: string): string[] {
  return changelogLines(changelog, neutraliseLine(heading), (text) => text, false);
}
