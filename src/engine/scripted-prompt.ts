/** Answers for a step run by a script rather than a person (`lendos.runStep` with options, like `lendos run --yes`). */
import type { LogSink, Prompt } from './step-types.js';

export interface ScriptedAnswers {
  /** Confirm every question and accept proposed form values. */
  readonly yes: boolean;
  /** The environment name, for production's typed confirmation (`yes` alone is not enough there). */
  readonly confirmEnvironment?: string;
  /** Overrides of proposed form values, by field id. */
  readonly values?: Readonly<Record<string, string>>;
}

export function scriptedPrompt(answers: ScriptedAnswers, log: LogSink): Prompt {
  return {
    async confirm(message, action) {
      log.info(`${message} → ${answers.yes ? action : 'declined'} (scripted)`);
      return answers.yes;
    },
    async confirmTyped(message, expected) {
      const ok = answers.confirmEnvironment === expected;
      log.info(`${message} → ${ok ? `confirmed as ${expected}` : `not confirmed: the environment name "${expected}" was not given`} (scripted)`);
      return ok;
    },
    async form(title, fields) {
      if (!answers.yes && !answers.values) return undefined;
      const values: Record<string, string> = {};
      for (const field of fields) {
        const value = answers.values?.[field.id] ?? field.value;
        const problem = field.validate?.(value);
        if (problem) {
          log.error(`${title}: ${field.label}: ${problem}`);
          return undefined;
        }
        values[field.id] = value;
        log.info(`${title}: ${field.label} = ${value}${field.source ? ` (from ${field.source})` : ''}`);
      }
      return values;
    },
  };
}

/**
 * Scripted answers (yes, the typed production name) are taken only from the test harness: from any other caller of
 * the editor's commands they are ignored — and said so — so that a person is asked.
 */
export function answersFrom(answers: ScriptedAnswers | undefined, fromTestHarness: boolean, log: Pick<LogSink, 'warn'>): ScriptedAnswers | undefined {
  if (!answers || fromTestHarness) return answers;
  log.warn('Scripted answers are taken only from the test harness; you are asked instead.');
  return undefined;
}
