/** `lendos report`: the release's journal as its report — Markdown (default) or JSON, to stdout or a file. */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from './args.js';
import { startedRelease } from './commands.js';
import type { CliContext } from './context.js';
import type { Output } from './output.js';

export async function reportCommand(ctx: CliContext, out: Output, opts: { release?: string; format?: string; out?: string }): Promise<void> {
  const format = opts.format ?? 'md';
  if (format !== 'md' && format !== 'json') throw new UsageError(`--format is md or json, not "${format}"`);
  const version = await startedRelease(ctx, opts.release);
  const report = await ctx.service.report(version, format);
  if (!opts.out) {
    out.line(report.trimEnd());
    return;
  }
  const file = path.resolve(opts.out);
  await writeFile(file, report);
  out.line(`Wrote the report of release ${version} to ${file}`);
}
