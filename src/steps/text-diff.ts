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
