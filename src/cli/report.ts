/**
 * `lendos report`: the release's journal as its report — Markdown (default) or JSON, to stdout or a file, or with
 * `--post` as a comment on the release PR (one per release, replaced in place when posted again).
 */
import { UserError } from '../core/errors.js';
import { isDevFlow, NO_RELEASE_PR } from '../core/flows.js';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createStepPorts } from '../adapters/step-ports.js';
import { UsageError } from './args.js';
import { startedRelease } from './commands.js';
import type { CliContext } from './context.js';
import type { Output } from './output.js';

export async function reportCommand(ctx: CliContext, out: Output, opts: { release?: string; format?: string; out?: string; post?: boolean }): Promise<void> {
  const format = opts.format ?? 'md';
  if (format !== 'md' && format !== 'json') throw new UsageError(`--format is md or json, not "${format}"`);
  if (opts.post && format !== 'md') throw new UsageError('--post posts the Markdown report: leave out --format json');
  if (opts.post && opts.out) throw new UsageError('--post puts the report on the release PR, --out in a file: choose one');
  const version = await startedRelease(ctx, opts.release);
  const report = await ctx.service.report(version, format);
  if (opts.post && isDevFlow(version)) throw new UserError(NO_RELEASE_PR);
  if (opts.post) return postReport(ctx, out, version, report);
  if (!opts.out) {
    out.line(report.trimEnd());
    return;
  }
  const file = path.resolve(opts.out);
  await writeFile(file, report);
  out.line(`Wrote the report of release ${version} to ${file}`);
}

async function postReport(ctx: CliContext, out: Output, version: string, markdown: string): Promise<void> {
  const ports = createStepPorts(ctx.root, () => ctx.config, () => ctx.world, async () => '');
  const { reportComment } = await import('../steps/index.js');
  const { plan } = await ctx.service.view(version);
  const posted = await reportComment.postReleaseReport({
    gh: await ports.github((line) => out.warn(line)),
    repo: (await ports.repositories()).lendos,
    version,
    markdown,
    plan,
    warn: (line) => out.warn(line),
  });
  out.line(`${reportComment.reportPostSummary(version, posted)}: ${posted.url}`);
}
