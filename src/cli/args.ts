/**
 * Command-line arguments on Node's `util.parseArgs` (strict): `--flag`, `--key value`, `--key=value`, positionals
 * (anything after `--` is positional). Mistakes become a `UsageError` that names the option and what to write.
 */
import { parseArgs as nodeParseArgs, type ParseArgsConfig } from 'node:util';

/** The command line is not right; `help: false` when the message says all there is to say (no help text after it). */
export class UsageError extends Error {
  readonly help: boolean;
  constructor(message: string, options: { help?: boolean } = {}) {
    super(message);
    this.help = options.help ?? true;
  }
}

export interface ParsedArgs {
  readonly positionals: string[];
  readonly options: Map<string, string | true>;
  /** Options that may be given several times (`--set a=1 --set b=2`). */
  readonly lists: Map<string, string[]>;
}

export interface ArgSpec {
  /** Options without a value (`--json`). */
  readonly flags: readonly string[];
  /** Options with one value (`--release 2025.4.0`); given twice is a mistake. */
  readonly values: readonly string[];
  /** Options with a value that may be given several times (`--set a=1 --set b=2`). */
  readonly lists?: readonly string[];
  /** One-letter aliases, e.g. `{ h: 'help' }`. */
  readonly short?: Readonly<Record<string, string>>;
}

type Options = NonNullable<ParseArgsConfig['options']>;
type Token =
  | { kind: 'option'; name: string; rawName: string; value?: string; inlineValue?: boolean }
  | { kind: 'positional' | 'option-terminator' };

function optionsOf(spec: ArgSpec): Options {
  const options: Options = {};
  for (const name of spec.flags) options[name] = { type: 'boolean' };
  for (const name of spec.values) options[name] = { type: 'string' };
  for (const name of spec.lists ?? []) options[name] = { type: 'string', multiple: true };
  for (const [letter, name] of Object.entries(spec.short ?? {})) {
    const option = options[name];
    if (option) option.short = letter;
  }
  return options;
}

/** The first mistake among the tokens, in our words; undefined when there is none. */
function mistakeOf(tokens: readonly Token[], options: Options): string | undefined {
  const seen = new Set<string>();
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const option = options[token.name];
    const display = token.rawName.startsWith('--') ? token.rawName : `${token.rawName} (--${token.name})`;
    if (!option) return `unknown option ${token.rawName}`;
    if (option.type === 'boolean') {
      if (token.inlineValue) return `${display} takes no value`;
      continue;
    }
    const value = token.value;
    if (value === undefined || value === '') return `${display} needs a value`;
    if (!token.inlineValue && value.startsWith('-')) {
      return `${display} needs a value (to give one that starts with "-", write --${token.name}=${value})`;
    }
    if (!option.multiple && seen.has(token.name)) return `--${token.name} is given more than once`;
    seen.add(token.name);
  }
  return undefined;
}

export function parseArgs(argv: readonly string[], spec: ArgSpec): ParsedArgs {
  const options = optionsOf(spec);
  const args = [...argv];
  // Read leniently first so a mistake is explained in our words, then parse strictly.
  const lenient = nodeParseArgs({ args, options, strict: false, allowPositionals: true, tokens: true });
  const mistake = mistakeOf(lenient.tokens as Token[], options);
  if (mistake) throw new UsageError(mistake);
  let parsed: ReturnType<typeof nodeParseArgs>;
  try {
    parsed = nodeParseArgs({ args, options, strict: true, allowPositionals: true });
  } catch (error) {
    throw new UsageError(
      error instanceof Error ? (error.message.split('\n')[0] ?? error.message) : String(error),
    );
  }
  const result: ParsedArgs = { positionals: parsed.positionals, options: new Map(), lists: new Map() };
  for (const [name, value] of Object.entries(parsed.values)) {
    if (Array.isArray(value)) result.lists.set(name, value.map(String));
    else if (value === true || typeof value === 'string') result.options.set(name, value);
  }
  return result;
}

export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const value = args.options.get(name);
  return typeof value === 'string' ? value : undefined;
}
