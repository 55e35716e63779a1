/**
 * The values-tags edit (2.3 / 3.1) of a generated 5,000-line values file, warm: `locateTags` + `applyTagEdits` of the
 * four service tags + the unified diff shown before writing — what `prepare` computes — timed over N runs after a few
 * warm-up runs, with the lines that changed counted (only the four tag lines may). Baseline, in the same process, on
 * the same text, interleaved run by run: the `yaml` parse alone (`parseDocument`), which the edit cannot do without.
 * Usage: node --import tsx bench/values-tags.ts [--runs N] [--warmup N] [--lines N]
 */
import { parseDocument } from 'yaml';
import { applyTagEdits, locateTags } from '../src/core/values-tags/index.js';
import { inPlaceDiff } from '../src/steps/text-diff.js';
import { emit, median, numberOptions, percentile, progress, round } from './lib/report.js';

const RELEASE = {
  'lendos-portal-backend': 'v0.0.830',
  'lendos-portal-frontend': 'v0.0.568',
  'signing-portal-backend': 'v0.0.815',
  'signing-portal-frontend': 'v0.0.553',
};

/** One service's block: a comment, its image, a quoted tag, an octal mode, a flow list and a trailing comment. */
function block(group: string, part: string, tag: string, n: number): string[] {
  return [
    `  # ${part} of ${group}, generated block ${n}`,
    `  ${part}:`,
    '    image:',
    `      repository: 381492038457.dkr.ecr.us-east-1.amazonaws.com/right-pedal/${group}-${part}`,
    `      tag: ${n % 3 === 0 ? `"${tag}"` : tag}   # pinned ${n}`,
    '    startScriptMode: 0755',
    `    allowedOrigins: [https://a${n}.stg.lendos.io, https://b${n}.stg.lendos.io]`,
    '    resources: { limits: { cpu: 500m, memory: 512Mi } }',
    '',
  ];
}

/** A values file of about `lines` lines: the four release services first, then filler groups like them. */
function generate(lines: number): string {
  const out = ['# Image tags deployed to STAGING by Argo CD (generated for the bench).', ''];
  const groups = ['lendos-portal', 'signing-portal'];
  let n = 0;
  for (let g = 0; out.length < lines; g++) {
    const group = groups[g] ?? `filler-${g}`;
    out.push(`${group}:`);
    for (const part of ['backend', 'frontend']) out.push(...block(group, part, `v0.0.${100 + n}`, n++));
  }
  return `${out.join('\n')}\n`;
}

function timed<T>(work: () => T): { ms: number; value: T } {
  const began = performance.now();
  const value = work();
  return { ms: performance.now() - began, value };
}

/** Lines that differ, and whether each differs only in its tag scalar. */
function changedLines(before: string, after: string): { changed: number; notTags: number } {
  const a = before.split('\n');
  const b = after.split('\n');
  if (a.length !== b.length) return { changed: Math.abs(a.length - b.length), notTags: Math.abs(a.length - b.length) };
  const changed = a.flatMap((line, i) => (line === b[i] ? [] : [[line, b[i] ?? ''] as const]));
  const notTags = changed.filter(([x, y]) => x.replace(/tag: \S+/, '') !== y.replace(/tag: \S+/, '')).length;
  return { changed: changed.length, notTags };
}

function main(): void {
  const options = numberOptions({ runs: 30, warmup: 5, lines: 5000 });
  const text = generate(options.lines);
  const lineCount = text.split('\n').length - 1;
  // What the step's `prepare` does: one parse, the edit of the sites it found, the diff.
  const edit = () => {
    const located = locateTags(text);
    const { text: after, changes } = applyTagEdits('values-tags-staging.yaml', text, RELEASE, located);
    return { after, changes, sites: located.sites.length, diff: inPlaceDiff('values-tags-staging.yaml', text, after) };
  };
  const parse = () => parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  for (let i = 0; i < options.warmup; i++) {
    edit();
    parse();
  }
  const edits: number[] = [];
  const parses: number[] = [];
  let last = edit();
  for (let i = 0; i < options.runs; i++) {
    const run = timed(edit);
    last = run.value;
    edits.push(run.ms);
    parses.push(timed(parse).ms);
  }
  progress(`values-tags: ${round(median(edits))} ms edit + diff, ${round(median(parses))} ms parse alone (${lineCount} lines)`);
  const lines = changedLines(text, last.after);
  emit({
    name: 'values-tags',
    unit: 'ms',
    value: round(median(edits), 2),
    baseline: { label: 'the yaml parse alone (parseDocument)', value: round(median(parses), 2) },
    details: {
      lines: lineCount,
      tagSites: last.sites,
      changes: last.changes.length,
      changedLines: lines.changed,
      changedBesidesTags: lines.notTags,
      diffLines: last.diff.split('\n').length,
      runs: options.runs,
      warmup: options.warmup,
      p95: round(percentile(edits, 0.95), 2),
      samples: edits.map((v) => round(v, 2)),
    },
  });
}

main();
