/** `lendos`: the release engine in a terminal. Exit codes: 0 ok, 1 failure, 2 usage. */
import { UserError, messageOf } from '../core/errors.js';
import { formatProblems } from '../core/config/validate.js';
import { parseArgs, stringOption, UsageError } from './args.js';
import { planCommand, statusCommand } from './commands.js';
import { createContext } from './context.js';
import { processOutput, type Output } from './output.js';

export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

const HELP: Record<string, string> = {
  '': `Usage: lendos <command> [options]

Commands:
  plan     List the release's steps in runbook order
  status   Show the state of each step from the release's journal

Options for every command:
  --workspace DIR   the lendos repository (default: the git root above the current directory)
  --help            help for a command, e.g. lendos plan --help

Exit codes: 0 ok, 1 failure, 2 usage error.`,
  plan: `Usage: lendos plan [--release YYYY.R.H] [--json] [--workspace DIR]

Lists every phase and step of the runbook for the release (default: the active release).
With --json: an array of steps {id, phase, environment, title, section, kind, optional, dependsOn} in runbook order.`,
  status: `Usage: lendos status [--release YYYY.R.H] [--json] [--workspace DIR]

Shows the state of each step, folded from .lendos/runs/<version>.jsonl (default: the active release).
With --json: {version, startedAt, startedBy, progress, current, warnings, steps[]}.`,
};

export async function main(argv: readonly string[], out: Output = processOutput): Promise<number> {
  const [command = '', ...rest] = argv;
  if (command === '--help' || command === 'help' || command === '') {
    (command === '' ? out.error : out.line)(HELP[''] as string);
    return command === '' ? EXIT.usage : EXIT.ok;
  }
  if (!(command in HELP)) {
    out.error(`unknown command "${command}"\n\n${HELP['']}`);
    return EXIT.usage;
  }
  try {
    const args = parseArgs(rest, { flags: ['json', 'help'], values: ['release', 'workspace'] });
    if (args.options.has('help')) {
      out.line(HELP[command] as string);
      return EXIT.ok;
    }
    if (args.positionals.length > 0) throw new UsageError(`unexpected argument "${args.positionals[0]}"`);
    const ctx = await createContext(stringOption(args, 'workspace'));
    if (ctx.problems.length > 0) {
      out.error(`the configuration has problems; fix them and run again:\n${formatProblems(ctx.problems)}`);
      return EXIT.failure;
    }
    const opts = { release: stringOption(args, 'release'), json: args.options.has('json') };
    await (command === 'plan' ? planCommand : statusCommand)(ctx, out, opts);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof UsageError) {
      out.error(`${error.message}\n\n${HELP[command]}`);
      return EXIT.usage;
    }
    out.error(error instanceof UserError ? error.message : `unexpected failure: ${messageOf(error)}`);
    return EXIT.failure;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`error: ${messageOf(error)}\n`);
      process.exit(EXIT.failure);
    },
  );
}
