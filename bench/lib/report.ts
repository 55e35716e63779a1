/**
 * What every bench program shares: its one JSON result line on stdout (scripts/bench.mjs parses it), progress on
 * stderr, order statistics, and memory samples of this thread's heap and the process's RSS.
 */
import { parseArgs } from 'node:util';

type Json = string | number | boolean | null | readonly Json[] | { readonly [key: string]: Json };

export interface BenchResult {
  readonly name: string;
  /** What `value` and `baseline.value` measure, e.g. `lines/s` or `ms`. */
  readonly unit: string;
  readonly value: number;
  /** The same kind of measure, of a simpler thing, taken in the same process, so a noisy machine cancels out. */
  readonly baseline: { readonly label: string; readonly value: number };
  readonly details: { readonly [key: string]: Json };
}

/** The one line scripts/bench.mjs reads: the last stdout line that starts with `{`. */
export function emit(result: BenchResult): void {
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

export function progress(line: string): void {
  process.stderr.write(`  ${line}\n`);
}

/** `--name value` options of a bench program, as numbers. */
export function numberOptions<K extends string>(defaults: Record<K, number>): Record<K, number> {
  const options = Object.fromEntries(Object.keys(defaults).map((k) => [k, { type: 'string' as const }]));
  const { values } = parseArgs({ options, strict: true });
  const parsed = { ...defaults };
  for (const key of Object.keys(defaults) as K[]) {
    const given = (values as Record<string, string | undefined>)[key];
    if (given === undefined) continue;
    const value = Number(given);
    if (!Number.isFinite(value) || value <= 0)
      throw new Error(`--${key} takes a positive number, not "${given}"`);
    parsed[key] = value;
  }
  return parsed;
}

export function percentile(values: readonly number[], fraction: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? Number.NaN) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

export const round = (value: number, digits = 1): number => Number(value.toFixed(digits));

const MB = 1024 * 1024;

/** Runs a full collection when the program was started with --expose-gc; memory figures are steadier then. */
export function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

export interface MemoryFigures {
  /** Highest resident set size of the whole process (all threads) while sampling. */
  readonly peakRssMb: number;
  /** Highest heap use of this thread above its use when sampling started (after a collection). */
  readonly heapPeakGrowthMb: number;
  /** Heap use of this thread after sampling and a collection, above its use when sampling started. */
  readonly heapRetainedMb: number;
}

/** Samples memory every few milliseconds between `start` and `stop`. */
export class MemorySampler {
  private timer: NodeJS.Timeout | undefined;
  private heapStart = 0;
  private heapPeak = 0;
  private rssPeak = 0;

  start(): void {
    collectGarbage();
    this.heapStart = process.memoryUsage().heapUsed;
    this.heapPeak = this.heapStart;
    this.rssPeak = process.memoryUsage.rss();
    this.timer = setInterval(() => this.sample(), 10);
  }

  private sample(): void {
    const { heapUsed, rss } = process.memoryUsage();
    this.heapPeak = Math.max(this.heapPeak, heapUsed);
    this.rssPeak = Math.max(this.rssPeak, rss);
  }

  stop(): MemoryFigures {
    this.sample();
    clearInterval(this.timer);
    collectGarbage();
    return {
      peakRssMb: round(this.rssPeak / MB),
      heapPeakGrowthMb: round((this.heapPeak - this.heapStart) / MB),
      heapRetainedMb: round((process.memoryUsage().heapUsed - this.heapStart) / MB),
    };
  }
}
