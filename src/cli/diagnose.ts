/** `lendos diagnose <step-id>`: Section 3.4's troubleshooting of a failed upgrade step, read-only, as Markdown. */
import { createStepPorts } from '../adapters/step-ports.js';
import { diagnosisMarkdown } from '../core/diagnosis.js';
import { startedRelease } from './commands.js';
import type { CliContext } from './context.js';
import type { Output } from './output.js';

export async function diagnoseCommand(ctx: CliContext, out: Output, opts: { stepId: string; release?: string }): Promise<number> {
  const version = await startedRelease(ctx, opts.release);
  const { plan } = await ctx.service.view(version);
  const ports = createStepPorts(ctx.root, () => ctx.config, () => ctx.world, async () => '');
  const { troubleshoot } = await import('../steps/index.js');
  const diagnosis = await troubleshoot.diagnose({ version, config: ctx.config, plan, ports }, opts.stepId);
  out.line(diagnosisMarkdown(diagnosis).trimEnd());
  return 0;
}
