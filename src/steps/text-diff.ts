/** A unified diff of a small file replaced as a whole (VERSION), to show before anything is written. */

function lines(text: string): string[] {
  const parts = text.split('\n');
  if (parts[parts.length - 1] === '') parts.pop();
  return parts;
}

function range(start: number, count: number): string {
  return count === 1 ? `${start}` : `${count === 0 ? 0 : start},${count}`;
}

/** `before` undefined: the file is new. Marks a missing final newline the way git does. */
export function replacementDiff(path: string, before: string | undefined, after: string): string {
  const old = before === undefined ? [] : lines(before);
  const next = lines(after);
  const noNewline = (text: string | undefined) =>
    text !== undefined && text !== '' && !text.endsWith('\n') ? ['\\ No newline at end of file'] : [];
  return [
    before === undefined ? '--- /dev/null' : `--- a/${path}`,
    `+++ b/${path}`,
    `@@ -${range(1, old.length)} +${range(1, next.length)} @@`,
    ...old.map((l) => `-${l}`),
    ...noNewline(before),
    ...next.map((l) => `+${l}`),
    ...noNewline(after),
  ].join('\n');
}

/** Lines of `text`, each with its line ending kept apart so a CRLF file diffs like an LF one. */
function splitKeepingEnds(text: string): string[] {
  return lines(text).map((line) => line.replace(/\r$/, ''));
}

/**
 * A unified diff with `context` lines around each change, for an edit that replaces lines in place (the values-tags
 * edit changes scalars, never the number of lines); any other edit is shown as a whole replacement.
 */
export function inPlaceDiff(path: string, before: string, after: string, context = 3): string {
  const old = splitKeepingEnds(before);
  const next = splitKeepingEnds(after);
  if (old.length !== next.length) return replacementDiff(path, before, after);
  const changed = old.flatMap((line, i) => (line === next[i] ? [] : [i]));
  if (changed.length === 0) return '';
  const hunks: string[] = [];
  let i = 0;
  while (i < changed.length) {
    const first = changed[i] as number;
    let last = first;
    while (i + 1 < changed.length && (changed[i + 1] as number) - last <= 2 * context) last = changed[++i] as number;
    i += 1;
    const start = Math.max(0, first - context);
    const end = Math.min(old.length - 1, last + context);
    hunks.push(`@@ -${range(start + 1, end - start + 1)} +${range(start + 1, end - start + 1)} @@`);
    for (let n = start; n <= end; n++) {
      hunks.push(...(old[n] === next[n] ? [` ${old[n]}`] : [`-${old[n]}`, `+${next[n]}`]));
    }
  }
  return [`--- a/${path}`, `+++ b/${path}`, ...hunks].join('\n');
}
