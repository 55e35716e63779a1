/**
 * `lendos preflight [--pr N] [--json] [--release V]`: the preflight checks of runbook 2.1, without a started release
 * (it is what GitHub Actions runs on a release PR). Read-only: nothing is journalled. Exit 0 when no check fails.
 */
import { createStepPorts } from '../adapters/step-ports.js';
import type { LendosConfig } from '../core/config/types.js';
import { UsageError } from './args.js';
import type { CliContext } from './context.js';
import type { Output } from './output.js';

export interface PreflightOptions {
  readonly pr?: string;
  readonly json: boolean;
  readonly release?: string;
}

function prNumber(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^[1-9]\d{0,9}$/.test(text.trim()))
    throw new UsageError(`--pr takes a pull request number, e.g. --pr 5830 (not "${text}")`);
  return Number(text.trim());
}

/** In GitHub Actions, GITHUB_API_URL names the API of the server the workflow runs on; a rehearsal world names its own. */
function configFor(ctx: CliContext): LendosConfig {
  const apiUrl = process.env['GITHUB_API_URL']?.trim();
  if (ctx.world || !apiUrl) return ctx.config;
  return { ...ctx.config, github: { ...ctx.config.github, apiUrl: apiUrl.replace(/\/+$/, '') } };
}

export async function preflightCommand(
  ctx: CliContext,
  out: Output,
  opts: PreflightOptions,
): Promise<number> {
  const pr = prNumber(opts.pr);
  const config = configFor(ctx);
  const ports = createStepPorts(
    ctx.root,
    () => config,
    () => ctx.world,
    async () => '',
  );
  const { preflight } = await import('../steps/index.js');
  const report = await preflight.preflightFor(
    { ports, config, onWait: (line) => out.warn(line) },
    { pr, ...(opts.release ? { release: opts.release } : {}) },
  );
  if (opts.json) out.json(preflight.reportData(report));
  else for (const line of preflight.reportLines(report)) out.line(line);
  return report.passed ? 0 : 1;
}
