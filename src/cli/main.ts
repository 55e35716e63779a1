/** `lendos`: the release engine in a terminal. Exit codes: 0 ok, 1 failure, 2 usage. */
import { UserError, messageOf } from '../core/errors.js';
import { formatProblems } from '../core/config/validate.js';
import { parseArgs, stringOption, UsageError } from './args.js';
import { planCommand, statusCommand } from './commands.js';
import { createContext } from './context.js';
import { processOutput, type Output } from './output.js';
import { rehearseCommand } from './rehearse.js';
import { runCommand } from './run.js';

export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

const HELP: Record<string, string> = {
  '': `Usage: lendos <command> [options]

Commands:
  plan     List the release's steps in runbook order
  status   Show the state of each step from the release's journal
  run      Run an automated step (lendos run prep.cut-release-branch)
  rehearse Start the rehearsal world alone (lendos rehearse --headless)

Options for every command:
  --workspace DIR   the lendos repository (default: the git root above the current directory)
  --world FILE      run against a rehearsal world (the world.json of lendos rehearse --headless)
  --help            help for a command, e.g. lendos plan --help

Exit codes: 0 ok, 1 failure, 2 usage error.`,
  plan: `Usage: lendos plan [--release YYYY.R.H] [--json] [--workspace DIR]

Lists every phase and step of the runbook for the release (default: the active release).
With --json: an array of steps {id, phase, environment, title, section, kind, optional, dependsOn} in runbook order.`,
  status: `Usage: lendos status [--release YYYY.R.H] [--json] [--workspace DIR]

Shows the state of each step, folded from .lendos/runs/<version>.jsonl (default: the active release).
With --json: {version, startedAt, startedBy, progress, current, warnings, steps[]}.`,
  run: `Usage: lendos run <step-id> [--release YYYY.R.H] [--yes] [--confirm-environment NAME] [--set FIELD=VALUE]...
                  [--workspace DIR] [--world FILE]

Runs an automated step (see "lendos plan" for ids and kinds) with its output streamed here, recorded in the same
journal the extension uses. It first re-observes the world: work already done is adopted, not repeated.
  --yes                       confirm without asking and accept proposed form values
  --confirm-environment NAME  production steps need the environment name typed or given here; --yes is not enough
  --set FIELD=VALUE           override a proposed form value (e.g. --set newVersion=0.1.93)
Exit code 0 when the step succeeded or was already done, 1 when it failed or was declined, 2 for usage errors.`,
};

export async function main(argv: readonly string[], out: Output = processOutput): Promise<number> {
  const [command = '', ...rest] = argv;
  if (command === 'rehearse') return rehearseCommand(rest, out);
  if (command === '--help' || command === 'help' || command === '') {
    (command === '' ? out.error : out.line)(HELP[''] as string);
    return command === '' ? EXIT.usage : EXIT.ok;
  }
  if (!(command in HELP)) {
    out.error(`unknown command "${command}"\n\n${HELP['']}`);
    return EXIT.usage;
  }
  try {
    const args = parseArgs(rest, {
      flags: ['json', 'help', 'yes'],
      values: ['release', 'workspace', 'world', 'confirm-environment'],
      lists: ['set'],
    });
    if (args.options.has('help')) {
      out.line(HELP[command] as string);
      return EXIT.ok;
    }
    const expected = command === 'run' ? 1 : 0;
    if (args.positionals.length < expected) throw new UsageError('name the step to run, e.g. lendos run prep.cut-release-branch');
    if (args.positionals.length > expected) throw new UsageError(`unexpected argument "${args.positionals[expected]}"`);
    const ctx = await createContext(stringOption(args, 'workspace'), stringOption(args, 'world'));
    if (ctx.problems.length > 0) {
      out.error(`the configuration has problems; fix them and run again:\n${formatProblems(ctx.problems)}`);
      return EXIT.failure;
    }
    const opts = { release: stringOption(args, 'release'), json: args.options.has('json') };
    if (command === 'run') {
      return await runCommand(ctx, out, {
        stepId: args.positionals[0] as string,
        release: opts.release,
        yes: args.options.has('yes'),
        confirmEnvironment: stringOption(args, 'confirm-environment'),
        set: args.lists.get('set') ?? [],
      });
    }
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
      processOutput.error(messageOf(error));
      process.exit(EXIT.failure);
    },
  );
}
