/** `lendos`: the release engine in a terminal. Exit codes: 0 ok, 1 failure, 2 usage. */
import { reportCommand } from './report.js';
import { diagnoseCommand } from './diagnose.js';
import { UserError, messageOf } from '../core/errors.js';
import { formatProblems } from '../core/config/validate.js';
import { parseArgs, stringOption, UsageError, type ParsedArgs } from './args.js';
import { planCommand, statusCommand } from './commands.js';
import { createContext, type CliContext } from './context.js';
import { HELP } from './help.js';
import { processOutput, type Output } from './output.js';
import { preflightCommand } from './preflight.js';
import { doneCommand, resetCommand, skipCommand, startCommand } from './record.js';
import { rehearseCommand } from './rehearse.js';
import { runCommand } from './run.js';
import { valuesTagsCommand } from './values-tags.js';

export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

/** A command: its own options (besides --help, --workspace, --world), its one argument if any, and what it does. */
interface Command {
  readonly flags?: readonly string[];
  readonly values?: readonly string[];
  readonly lists?: readonly string[];
  /** What to say when its one positional argument is missing; commands without one take none. */
  readonly argument?: string;
  readonly run: (ctx: CliContext, out: Output, args: ParsedArgs) => Promise<number>;
}

const release = (args: ParsedArgs) => stringOption(args, 'release');
const first = (args: ParsedArgs) => args.positionals[0] as string;

const COMMANDS: Readonly<Record<string, Command>> = {
  plan: {
    flags: ['json'],
    values: ['release'],
    run: async (ctx, out, args) => (
      await planCommand(ctx, out, { release: release(args), json: args.options.has('json') }),
      EXIT.ok
    ),
  },
  status: {
    flags: ['json'],
    values: ['release'],
    run: async (ctx, out, args) => (
      await statusCommand(ctx, out, { release: release(args), json: args.options.has('json') }),
      EXIT.ok
    ),
  },
  run: {
    flags: ['yes'],
    values: ['release', 'confirm-environment'],
    lists: ['set'],
    argument: 'name the step to run, e.g. lendos run prep.cut-release-branch',
    run: (ctx, out, args) =>
      runCommand(ctx, out, {
        stepId: first(args),
        release: release(args),
        yes: args.options.has('yes'),
        confirmEnvironment: stringOption(args, 'confirm-environment'),
        set: args.lists.get('set') ?? [],
      }),
  },
  start: {
    values: ['hotfix-of'],
    argument: 'name the release to start, e.g. lendos start 2025.4.0',
    run: (ctx, out, args) => startCommand(ctx, out, first(args), stringOption(args, 'hotfix-of')),
  },
  diagnose: {
    values: ['release'],
    argument: 'name the failed step to diagnose, e.g. lendos diagnose production.upgrade.run',
    run: (ctx, out, args) => diagnoseCommand(ctx, out, { stepId: first(args), release: release(args) }),
  },
  done: {
    flags: ['force'],
    values: ['release', 'note'],
    argument: 'name the step to mark done, e.g. lendos done staging.preflight --note "ran lendos preflight"',
    run: (ctx, out, args) =>
      doneCommand(ctx, out, {
        stepId: first(args),
        release: release(args),
        note: stringOption(args, 'note'),
        force: args.options.has('force'),
      }),
  },
  skip: {
    values: ['release', 'reason'],
    argument: 'name the optional step to skip, e.g. lendos skip staging.upgrade.canton-restart --reason "…"',
    run: (ctx, out, args) =>
      skipCommand(ctx, out, {
        stepId: first(args),
        release: release(args),
        reason: stringOption(args, 'reason') ?? '',
      }),
  },
  preflight: {
    flags: ['json'],
    values: ['pr', 'release'],
    run: (ctx, out, args) => preflightCommand(ctx, out, { pr: stringOption(args, 'pr'), json: args.options.has('json'), release: release(args) }),
  },
  report: {
    flags: ['post'],
    values: ['release', 'format', 'out'],
    run: async (ctx, out, args) => (
      await reportCommand(ctx, out, { release: release(args), format: stringOption(args, 'format'), out: stringOption(args, 'out'), post: args.options.has('post') }),
      EXIT.ok
    ),
  },
  'values-tags': {
    flags: ['json'],
    values: ['env'],
    argument: 'name what to do, e.g. lendos values-tags check --env staging',
    run: (ctx, out, args) => valuesTagsCommand(ctx, out, { action: first(args), env: stringOption(args, 'env'), json: args.options.has('json') }),
  },
  reset: {
    values: ['release'],
    argument: 'name the step to reset, e.g. lendos reset prep.bump-version',
    run: (ctx, out, args) => resetCommand(ctx, out, { stepId: first(args), release: release(args) }),
  },
};

function parseCommandArgs(command: Command, rest: readonly string[]): ParsedArgs {
  const args = parseArgs(rest, {
    flags: ['help', ...(command.flags ?? [])],
    values: ['workspace', 'world', ...(command.values ?? [])],
    lists: command.lists,
    short: { h: 'help' },
  });
  if (args.options.has('help')) return args;
  const expected = command.argument ? 1 : 0;
  if (args.positionals.length < expected) throw new UsageError(command.argument as string);
  if (args.positionals.length > expected)
    throw new UsageError(`unexpected argument "${args.positionals[expected]}"`);
  return args;
}

async function runCommandLine(
  name: string,
  command: Command,
  rest: readonly string[],
  out: Output,
): Promise<number> {
  const args = parseCommandArgs(command, rest);
  if (args.options.has('help')) {
    out.line(HELP[name] as string);
    return EXIT.ok;
  }
  const ctx = await createContext(stringOption(args, 'workspace'), stringOption(args, 'world'));
  if (ctx.problems.length > 0) {
    out.error(`the configuration has problems; fix them and run again:\n${formatProblems(ctx.problems)}`);
    return EXIT.failure;
  }
  return command.run(ctx, out, args);
}

export async function main(argv: readonly string[], out: Output = processOutput): Promise<number> {
  const [name = '', ...rest] = argv;
  if (name === 'rehearse') return rehearseCommand(rest, out);
  if (name === '--help' || name === '-h' || name === 'help' || name === '') {
    (name === '' ? out.error : out.line)(HELP[''] as string);
    return name === '' ? EXIT.usage : EXIT.ok;
  }
  const command = COMMANDS[name];
  if (!command || !Object.hasOwn(COMMANDS, name)) {
    out.error(`unknown command "${name}"\n\n${HELP['']}`);
    return EXIT.usage;
  }
  try {
    return await runCommandLine(name, command, rest, out);
  } catch (error) {
    if (error instanceof UsageError) {
      out.error(error.help ? `${error.message}\n\n${HELP[name]}` : error.message);
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
