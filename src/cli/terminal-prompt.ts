/**
 * The engine's questions in a terminal. `--yes` answers confirmations and accepts proposed form values; production
 * needs `--confirm-environment NAME` as well (or the name typed at the prompt). Without a terminal and without those
 * flags, the answer is "no" and nothing changes.
 */
import { createInterface } from 'node:readline/promises';
import { NeutralisingStream, neutralise } from '../core/text.js';
import type { FormField, LogSink, Prompt } from '../engine/step-types.js';
import type { Output } from './output.js';

export interface TerminalAnswers {
  readonly yes: boolean;
  readonly confirmEnvironment?: string;
  /** `--set field=value` overrides for form fields. */
  readonly values: Readonly<Record<string, string>>;
  readonly interactive: boolean;
}

export function terminalPrompt(answers: TerminalAnswers, out: Output): Prompt {
  const ask = async (question: string): Promise<string | undefined> => {
    if (!answers.interactive) return undefined;
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    try {
      // The question may carry a Lease holder or other cluster text.
      return (await rl.question(neutralise(question))).trim();
    } finally {
      rl.close();
    }
  };
  return {
    async confirm(message, action, detail) {
      if (detail) out.line(detail);
      if (answers.yes) {
        out.line(`${message} → ${action} (--yes)`);
        return true;
      }
      const reply = await ask(`${message} [${action}? y/N] `);
      if (reply === undefined) out.warn(`${message} Not confirmed: pass --yes to confirm without a terminal.`);
      return reply !== undefined && /^y(es)?$/i.test(reply);
    },
    async confirmTyped(message, expected) {
      if (answers.confirmEnvironment !== undefined) {
        if (answers.confirmEnvironment === expected) return true;
        out.warn(`--confirm-environment ${answers.confirmEnvironment} does not match ${expected}; nothing was changed.`);
        return false;
      }
      const reply = await ask(`${message}\nType "${expected}" to confirm: `);
      if (reply === undefined) out.warn(`${message} Pass --confirm-environment ${expected} to confirm (--yes is not enough here).`);
      return reply === expected;
    },
    form: (title, fields) => terminalForm(title, fields, answers, out, ask),
  };
}

async function terminalForm(
  title: string,
  fields: readonly FormField[],
  answers: TerminalAnswers,
  out: Output,
  ask: (q: string) => Promise<string | undefined>,
): Promise<Record<string, string> | undefined> {
  out.line(title);
  const values: Record<string, string> = {};
  for (const field of fields) {
    let value = answers.values[field.id] ?? field.value;
    out.line(`  ${field.label}: ${value}${field.source ? `   (from ${field.source})` : ''}`);
    if (!answers.yes && answers.values[field.id] === undefined) {
      const reply = await ask(`  ${field.label} [${value}]: `);
      if (reply === undefined) {
        out.warn(`Not confirmed: pass --yes to accept the proposed values, or --set ${field.id}=VALUE.`);
        return undefined;
      }
      if (reply) value = reply;
    }
    const problem = field.validate?.(value);
    if (problem) {
      out.error(`${field.label}: ${problem}`);
      return undefined;
    }
    values[field.id] = value;
  }
  return values;
}

/**
 * Step output in a terminal: lines prefixed by the step, process output as it comes — neutralised, colours too (the
 * scripts print cluster data). A sequence split across chunks is held until it is whole; a line written in between
 * first lets out what was held, made inert.
 */
export function terminalLog(
  out: Output,
  write: (text: string) => void = (text) => process.stdout.write(text),
): LogSink {
  const streams = { stdout: new NeutralisingStream(), stderr: new NeutralisingStream() };
  const flushed = (then: () => void) => {
    const held = streams.stdout.flush() + streams.stderr.flush();
    if (held) write(held);
    then();
  };
  return {
    info: (line) => flushed(() => out.line(line)),
    warn: (line) => flushed(() => out.warn(line)),
    error: (line) => flushed(() => out.error(line)),
    output: (chunk, stream = 'stdout') => {
      const text = streams[stream].push(chunk);
      if (text) write(text);
    },
  };
}
