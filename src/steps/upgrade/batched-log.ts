/**
 * Log lines into a LogSink in batches — flushed every 50 ms or at 64 KiB, whichever comes first — so a fast stream
 * costs a few sink writes a second and memory stays bounded; the last lines are kept for failure messages.
 */
import type { LogSink } from '../../engine/step-types.js';

const FLUSH_MS = 50;
const FLUSH_BYTES = 64 * 1024;
const KEPT_LINES = 20;

export class BatchedLog {
  private buffer = '';
  private timer: NodeJS.Timeout | undefined;
  private readonly tail: string[] = [];

  constructor(private readonly sink: LogSink) {}

  /** Appends whole lines (without newlines), each with `prefix`. */
  append(lines: readonly string[], prefix = ''): void {
    for (const line of lines) this.buffer += `${prefix}${line}\n`;
    this.tail.push(...lines.slice(-KEPT_LINES).map((line) => `${prefix}${line}`));
    if (this.tail.length > KEPT_LINES) this.tail.splice(0, this.tail.length - KEPT_LINES);
    if (this.buffer.length >= FLUSH_BYTES) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), FLUSH_MS);
  }

  /** The last lines appended, oldest first. */
  lastLines(count = KEPT_LINES): string[] {
    return this.tail.slice(-count);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.buffer === '') return;
    const chunk = this.buffer;
    this.buffer = '';
    this.sink.output(chunk);
  }
}

/** A step's log with a `[stage] ` prefix on every line: where stage logs go when the shell has no sink per stage. */
export function prefixedSink(log: LogSink, prefix: string): LogSink {
  const each = (chunk: string) =>
    chunk
      .split('\n')
      .map((line, i, all) => (i === all.length - 1 && line === '' ? line : `${prefix}${line}`))
      .join('\n');
  return {
    info: (line) => log.info(`${prefix}${line}`),
    warn: (line) => log.warn(`${prefix}${line}`),
    error: (line) => log.error(`${prefix}${line}`),
    output: (chunk, stream) => log.output(each(chunk), stream),
  };
}
