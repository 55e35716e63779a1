/**
 * One row of the bad-input table and how it is checked: set up, fingerprint, run the built CLI, match exit code and
 * message, fingerprint again and compare, tear down. A failure names the case, the command, its exit code and output.
 */
import assert from 'node:assert/strict';
import type { ProcessResult } from './rehearsal/world-helpers.js';
import { differences, type BadInputWorld } from './bad-input-world.js';

export type Theme =
  | 'version'
  | 'set'
  | 'usage'
  | 'config'
  | 'world.json'
  | 'journal'
  | 'identity'
  | 'confirmation'
  | 'concurrency'
  | 'hostile';

/** A command and what it must answer: its exit code, and patterns its output (stdout + stderr) must match. */
export interface Expectation {
  readonly argv: readonly string[];
  readonly exit: 0 | 1 | 2;
  readonly output: readonly RegExp[];
}

/** What a case's setup made: another world.json (null: no --world), patterns known only now, how to undo it. */
export interface Prepared {
  readonly worldFile?: string | null;
  readonly output?: readonly RegExp[];
  readonly teardown?: () => Promise<void> | void;
  /** Checks beyond the fingerprint (e.g. a folder outside the workspace stayed empty). */
  readonly verify?: () => void;
}

export interface BadInput extends Expectation {
  readonly name: string;
  readonly theme: Theme;
  readonly setup?: (h: BadInputWorld) => Promise<Prepared | void> | Prepared | void;
  /** Commands run after the first one, on the same setup (e.g. `status` warns, then `run` still refuses). */
  readonly then?: readonly Expectation[];
  /** The output must carry no escape sequence, C1 control, lone carriage return or bidi control. */
  readonly inert?: boolean;
}

/** ESC, C1 controls, other C0 controls but \n and \t, DEL, bidi overrides and isolates. */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

function report(
  name: string,
  argv: readonly string[],
  worldFile: string | null,
  result: ProcessResult,
): string {
  const world = worldFile === null ? '' : ` --world ${worldFile}`;
  const [command, ...rest] = argv;
  return (
    `case: ${name}\ncommand: lendos ${[command, world.trim(), ...rest].filter(Boolean).join(' ')}\nexit code: ${result.code}\n` +
    `stdout:\n${result.stdout}\nstderr:\n${result.stderr}`
  );
}

function assertInert(result: ProcessResult, context: string): void {
  for (const [stream, text] of [
    ['stdout', result.stdout],
    ['stderr', result.stderr],
  ] as const) {
    const found = UNSAFE.exec(text);
    const code = found?.[0].charCodeAt(0).toString(16).padStart(4, '0');
    assert.equal(found, null, `${context}\n→ ${stream} carries U+${code}: ${JSON.stringify(text)}`);
    assert.doesNotMatch(text, /\r/, `${context}\n→ ${stream} carries a carriage return`);
  }
}

export async function runCase(h: BadInputWorld, c: BadInput): Promise<void> {
  const prepared = (await c.setup?.(h)) ?? {};
  try {
    const before = await h.fingerprint();
    const commands: Expectation[] = [
      { ...c, output: [...c.output, ...(prepared.output ?? [])] },
      ...(c.then ?? []),
    ];
    const reports: string[] = [];
    const worldFile = prepared.worldFile === undefined ? h.world.worldFile : prepared.worldFile;
    for (const expected of commands) {
      const result = await h.lendos(expected.argv, worldFile);
      const context = report(c.name, expected.argv, worldFile, result);
      reports.push(context);
      const output = result.stdout + result.stderr;
      assert.equal(result.code, expected.exit, `${context}\n→ expected exit code ${expected.exit}`);
      for (const pattern of expected.output) {
        assert.match(output, pattern, `${context}\n→ expected the output to match ${pattern}`);
      }
      assert.doesNotMatch(output, /unexpected failure/, `${context}\n→ a bad input is an expected failure`);
      if (c.inert) assertInert(result, context);
    }
    const after = await h.fingerprint();
    const context = reports.join('\n');
    const changed = differences(before, after);
    assert.deepEqual(
      changed,
      [],
      `${context}\n→ the bad input changed the world:\n  ${changed.join('\n  ')}`,
    );
    prepared.verify?.();
  } finally {
    await prepared.teardown?.();
    h.restore();
  }
}
