/** `lendos run <step-id>`: an automated step in a terminal, on the same engine and journal as the editor. */
import { scriptedPrompt } from '../engine/scripted-prompt.js';
import type { CliContext } from './context.js';
import { startedRelease } from './commands.js';
import type { Output } from './output.js';
import { checkedSetValues } from './set-values.js';
import { terminalLog, terminalPrompt } from './terminal-prompt.js';

export interface RunOptions {
  readonly stepId: string;
  readonly release?: string;
  readonly yes: boolean;
  readonly confirmEnvironment?: string;
  readonly set: readonly string[];
}

/** Runs the step; the exit code is 0 when it succeeded (or was already done), else 1. */
export async function runCommand(ctx: CliContext, out: Output, opts: RunOptions): Promise<number> {
  const version = await startedRelease(ctx, opts.release, opts.stepId);
  // Before anything runs: a --set field the step's form does not ask for is refused (exit 2), never ignored.
  const values = await checkedSetValues(ctx, version, opts.stepId, opts.set);
  const abort = new AbortController();
  const onSignal = () => {
    out.warn('Cancelling… (the step stops its processes; what is already done stays done)');
    abort.abort();
  };
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
  try {
    const prompt = terminalPrompt(
      { yes: opts.yes, confirmEnvironment: opts.confirmEnvironment, values, interactive: Boolean(process.stdin.isTTY) },
      out,
    );
    if (ctx.world) out.line(`Rehearsal world: ${ctx.root}`);
    const log = terminalLog(out);
    // A run killed before it could end its steps (SIGKILL, a lost terminal) is recorded as interrupted first.
    const reconciled = await ctx.runner.reconcile(version, { prompt: scriptedPrompt({ yes: false }, log), log, signal: abort.signal });
    if (reconciled.length > 0) out.warn(`Recorded as interrupted (their runs are gone): ${reconciled.join(', ')}`);
    const result = await ctx.runner.run(version, opts.stepId, { prompt, log, signal: abort.signal });
    out.line(`${opts.stepId}: ${result.status}${'adopted' in result && result.adopted ? ' (already done)' : ''} — ${result.summary}`);
    return result.status === 'succeeded' ? 0 : 1;
  } finally {
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
  }
}
