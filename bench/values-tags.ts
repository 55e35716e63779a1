/**
 * values-tags hover and diagnostics against a fresh `fast` world's ECR, through the real AWS adapter over HTTP, on a
 * repository grown to 2,000 images: the first hover (the tag at once; then the whole repository, paged, for "newest"
 * and "N builds newer"), the cached hover, and the diagnostics of a 50-tag file with a warm cache. Baselines in the same
 * process: one DescribeImages of the tag, one paged listing alone, the hover's Markdown alone, the file's parse alone.
 * Usage: node --import tsx bench/values-tags.ts [--runs N] [--warmup N]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { systemClock } from '../src/adapters/clock.js';
import { createEcr } from '../src/adapters/aws/index.js';
import { hoverMarkdown, locateTags } from '../src/core/values-tags/index.js';
import { checkValuesTags, EcrFacts } from '../src/steps/values-tags/index.js';
import { startWorld } from '../rehearsal/src/index.js';
import { emit, median, numberOptions, percentile, progress, round } from './lib/report.js';

const REPOSITORY = 'right-pedal/lendos-portal-backend';
const IMAGES = 2_000;
const FILE_TAGS = 50;

async function timed<T>(work: () => Promise<T> | T): Promise<number> {
  const began = performance.now();
  await work();
  return performance.now() - began;
}

/** A values-tags file of `count` services, each an image of the repository. */
function valuesTagsFile(tags: readonly string[], count: number): string {
  const lines: string[] = ['# bench: many services'];
  for (let i = 0; i < count; i++) {
    lines.push(`svc-${i}:`, '  backend:', '    image:', `      repository: 381492038457.dkr.ecr.us-east-1.amazonaws.com/${REPOSITORY}`, `      tag: ${tags[(i * 37) % tags.length]}`);
  }
  return `${lines.join('\n')}\n`;
}

async function main(): Promise<void> {
  const options = numberOptions({ runs: 15, warmup: 3 });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lendos-bench-values-tags-'));
  const world = await startWorld({ scenario: 'fast', dir, quiet: true });
  try {
    const seeded = world.ecr.images(REPOSITORY).length;
    const start = Date.now() - (IMAGES - seeded + 1) * 60_000;
    for (let i = 0; seeded + i < IMAGES; i++) world.ecr.putImage({ repository: REPOSITORY, tags: [`ci-${i}`], pushedAt: new Date(start + i * 60_000), sizeBytes: 200_000_000 + i });
    const tags = world.ecr.images(REPOSITORY).flatMap((i) => i.tags);
    const { aws } = world.description;
    const ecr = createEcr({ region: aws.region, profile: 'artifacts-prod/SREOperatorAccess', endpoint: aws.ecrEndpoint, configFile: aws.configFile, credentialsFile: aws.credentialsFile });
    const tag = 'v0.0.812';
    const text = valuesTagsFile(tags, FILE_TAGS);
    const samples: Record<string, number[]> = { firstTag: [], firstComplete: [], cached: [], diagnostics: [], describeOne: [], listOnly: [], markdownOnly: [], parseOnly: [] };
    for (let i = 0; i < options.warmup + options.runs; i++) {
      const facts = new EcrFacts(async () => ecr, systemClock);
      const began = performance.now();
      const first = await facts.facts(REPOSITORY, tag);
      const firstTag = performance.now() - began;
      await facts.listing(REPOSITORY);
      const firstComplete = performance.now() - began;
      let cachedFacts = first;
      const cached = await timed(async () => {
        cachedFacts = await facts.facts(REPOSITORY, tag);
        hoverMarkdown({ service: 'lendos-portal-backend', imageUri: `x/${REPOSITORY}:${tag}`, ...cachedFacts });
      });
      const found = await checkValuesTags({ text, facts, recorded: {}, configured: {} });
      const diagnostics = await timed(() => checkValuesTags({ text, facts, recorded: {}, configured: {} }));
      if (found.length !== 0 || !cachedFacts.facts.standing) throw new Error(`unexpected: ${JSON.stringify(found[0] ?? cachedFacts)}`);
      const describeOne = await timed(() => ecr.describeImages(REPOSITORY, [tag]));
      const listOnly = await timed(() => ecr.listImages(REPOSITORY));
      const markdownOnly = await timed(() => hoverMarkdown({ service: 'lendos-portal-backend', imageUri: `x/${REPOSITORY}:${tag}`, ...cachedFacts }));
      const parseOnly = await timed(() => locateTags(text));
      if (i < options.warmup) continue;
      Object.entries({ firstTag, firstComplete, cached, diagnostics, describeOne, listOnly, markdownOnly, parseOnly }).forEach(([k, v]) => samples[k]?.push(v));
      progress(`values-tags run ${i + 1 - options.warmup}/${options.runs}: first hover ${round(firstTag)} ms (complete ${round(firstComplete)} ms), cached ${round(cached, 2)} ms, 50-tag diagnostics ${round(diagnostics, 1)} ms`);
    }
    const m = (k: string) => round(median(samples[k] ?? []), 2);
    emit({
      name: 'values-tags',
      unit: 'ms',
      value: m('firstComplete'),
      baseline: { label: 'one paged listing of the repository alone', value: m('listOnly') },
      details: {
        images: world.ecr.images(REPOSITORY).length,
        runs: options.runs,
        firstTagMs: m('firstTag'),
        firstCompleteMs: m('firstComplete'),
        firstCompleteP95: round(percentile(samples['firstComplete'] ?? [], 0.95), 1),
        describeOneMs: m('describeOne'),
        cachedMs: m('cached'),
        markdownOnlyMs: m('markdownOnly'),
        diagnosticsMs: m('diagnostics'),
        parseOnlyMs: m('parseOnly'),
      },
    });
  } finally {
    await world.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
