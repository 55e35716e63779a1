/** A small argument parser: `--flag`, `--key value`, `--key=value`, positionals. No dependencies. */
export class UsageError extends Error {}

export interface ParsedArgs {
  readonly positionals: string[];
  readonly options: Map<string, string | true>;
  /** Options that may be given several times (`--set a=1 --set b=2`). */
  readonly lists: Map<string, string[]>;
}

export function parseArgs(
  argv: readonly string[],
  spec: { flags: readonly string[]; values: readonly string[]; lists?: readonly string[] },
): ParsedArgs {
  const positionals: string[] = [];
  const options = new Map<string, string | true>();
  const lists = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith('--')) {
      positionals.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    if (spec.flags.includes(name)) {
      if (inline !== undefined) throw new UsageError(`--${name} takes no value`);
      options.set(name, true);
    } else if (spec.values.includes(name) || spec.lists?.includes(name)) {
      const value = inline ?? argv[++i];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`--${name} needs a value`);
      if (spec.lists?.includes(name)) lists.set(name, [...(lists.get(name) ?? []), value]);
      else options.set(name, value);
    } else {
      throw new UsageError(`unknown option --${name}`);
    }
  }
  return { positionals, options, lists };
}

export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const value = args.options.get(name);
  return typeof value === 'string' ? value : undefined;
}
