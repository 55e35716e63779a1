import { neutralise } from '../core/text.js';

/**
 * Where the CLI writes: stdout for results, stderr for warnings and errors. Text carries cluster, log and GitHub
 * data, so it is neutralised: no escape sequence from outside reaches the terminal (JSON is escaped by JSON itself).
 */
export interface Output {
  line(text: string): void;
  json(value: unknown): void;
  warn(text: string): void;
  error(text: string): void;
}

export const processOutput: Output = {
  line: (text) => process.stdout.write(neutralise(text) + '\n'),
  json: (value) => process.stdout.write(JSON.stringify(value, null, 2) + '\n'),
  warn: (text) => process.stderr.write(`warning: ${neutralise(text)}\n`),
  error: (text) => process.stderr.write(`error: ${neutralise(text)}\n`),
};
