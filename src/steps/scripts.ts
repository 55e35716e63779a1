/** Runs a script of the DAML upgrade project with its output streamed to the step's log, and keeps its exit code. */
import path from 'node:path';
import type { Phase1Context } from './git-flow.js';
import { UPGRADE_PROJECT } from './layout.js';

export interface ScriptRun {
  readonly exitCode: number | null;
  readonly signal: string | null;
  /** The last part of what it printed (both streams), for reading tags and digests back. */
  readonly output: string;
}

const KEPT_OUTPUT = 1_000_000;

export async function runUpgradeScript(
  ctx: Phase1Context,
  script: string,
  args: readonly string[],
  env: Readonly<Record<string, string>>,
): Promise<ScriptRun> {
  const dir = path.join(ctx.ports.workspaceRoot, UPGRADE_PROJECT);
  ctx.log.info(`$ cd ${UPGRADE_PROJECT} && ./${script} ${args.join(' ')}`.trimEnd());
  await ctx.progress(`Running ${script}`);
  let output = '';
  const result = await ctx.ports.processes.run({
    command: path.join(dir, script),
    args,
    cwd: dir,
    env,
    signal: ctx.signal,
    onOutput: (chunk, stream) => {
      ctx.log.output(chunk, stream);
      output = (output + chunk).slice(-KEPT_OUTPUT);
    },
  });
  ctx.signal.throwIfAborted();
  const ended =
    result.exitCode === null
      ? `was ended by ${result.signal ?? 'a signal'}`
      : `exited with code ${result.exitCode}`;
  (result.exitCode === 0 ? ctx.log.info : ctx.log.error).call(ctx.log, `${script} ${ended}`);
  return { exitCode: result.exitCode, signal: result.signal, output };
}
