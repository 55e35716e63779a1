/**
 * PQS contract counts per template: taken by the prerequisites (before the upgrade, evidence `pqsCounts` and
 * `pqsCountsAt`), taken again by validation, and compared as a table of differences.
 */
import type { EventData, JsonValue } from '../../core/journal/types.js';
import type { Pqs } from '../../ports.js';

/** Evidence keys on `<env>.upgrade.prerequisites`. */
export const PQS_COUNTS = 'pqsCounts';
export const PQS_COUNTS_AT = 'pqsCountsAt';

export type ContractCounts = Record<string, number>;

/** Counts every template PQS knows, then closes the connection. */
export async function countContracts(open: () => Promise<Pqs>, templates?: readonly string[]): Promise<ContractCounts> {
  const pqs = await open();
  try {
    return await pqs.contractCounts(templates);
  } finally {
    await pqs.close();
  }
}

function isCounts(value: JsonValue | undefined): value is Record<string, number> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((count) => typeof count === 'number' && Number.isInteger(count) && count >= 0)
  );
}

/** The counts a step recorded, or undefined when it recorded none (or something else under the key). */
export function recordedCounts(evidence: EventData): { counts: ContractCounts; at?: string } | undefined {
  const counts = evidence[PQS_COUNTS];
  if (!isCounts(counts)) return undefined;
  const at = evidence[PQS_COUNTS_AT];
  return { counts, ...(typeof at === 'string' ? { at } : {}) };
}

export interface CountDifference {
  readonly template: string;
  /** Null when the template was not there before (or after). */
  readonly before: number | null;
  readonly after: number | null;
  /** `after - before`; null when either side is missing. */
  readonly delta: number | null;
}

/** One row per template seen before or after, sorted by name. */
export function compareCounts(before: ContractCounts, after: ContractCounts): CountDifference[] {
  const templates = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return templates.map((template) => {
    const b = before[template] ?? null;
    const a = after[template] ?? null;
    return { template, before: b, after: a, delta: a !== null && b !== null ? a - b : null };
  });
}

export function totalOf(counts: ContractCounts): number {
  return Object.values(counts).reduce((sum, count) => sum + count, 0);
}

/** `template  count` lines, aligned, for a step's log. */
export function countLines(counts: ContractCounts): string[] {
  const width = Math.max(0, ...Object.keys(counts).map((name) => name.length));
  return Object.entries(counts)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([template, count]) => `${template.padEnd(width)}  ${String(count).padStart(7)}`);
}
