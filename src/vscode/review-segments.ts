/**
 * What changes between two versions of a file that keep their lines (an exact values-tags edit): per changed line, the
 * old span (0-based line, start and end columns) widened to whole words, and its new text. Undefined when lines were
 * added or removed — the change is then shown as a diff instead. No `vscode` import: unit-tested.
 */
export interface Segment {
  readonly line: number;
  readonly start: number;
  readonly end: number;
  readonly after: string;
}

const WORD = /[A-Za-z0-9_.-]/;

function segmentOf(index: number, line: string, other: string): Segment {
  let prefix = 0;
  while (prefix < line.length && prefix < other.length && line[prefix] === other[prefix]) prefix += 1;
  let suffix = 0;
  while (suffix < line.length - prefix && suffix < other.length - prefix && line[line.length - 1 - suffix] === other[other.length - 1 - suffix]) suffix += 1;
  // Widen to whole words (a tag is read whole): the characters taken in are common to both versions.
  while (prefix > 0 && WORD.test(line[prefix - 1] ?? '')) prefix -= 1;
  while (suffix > 0 && WORD.test(line[line.length - suffix] ?? '')) suffix -= 1;
  return { line: index, start: prefix, end: line.length - suffix, after: other.slice(prefix, other.length - suffix) };
}

export function changedSegments(before: string, after: string): Segment[] | undefined {
  const old = before.split('\n');
  const next = after.split('\n');
  if (old.length !== next.length) return undefined;
  const segments: Segment[] = [];
  old.forEach((line, index) => {
    const other = next[index] ?? '';
    if (line !== other) segments.push(segmentOf(index, line, other));
  });
  return segments;
}
