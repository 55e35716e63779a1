/** Where the CLI writes: stdout for results, stderr for warnings and errors. */
export interface Output {
  line(text: string): void;
  json(value: unknown): void;
  warn(text: string): void;
  error(text: string): void;
}

export const processOutput: Output = {
  line: (text) => process.stdout.write(text + '\n'),
  json: (value) => process.stdout.write(JSON.stringify(value, null, 2) + '\n'),
  warn: (text) => process.stderr.write(`warning: ${text}\n`),
  error: (text) => process.stderr.write(`error: ${text}\n`),
};
