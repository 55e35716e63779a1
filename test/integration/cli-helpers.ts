/** Running `lendos` in tests: `main()` with captured output, and the built CLI (`dist/cli.js`) as a process. */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Output } from '../../src/cli/output.js';

export function capture(): Output & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    line: (t) => out.push(t),
    json: (v) => out.push(JSON.stringify(v)),
    warn: (t) => err.push(t),
    error: (t) => err.push(t),
  };
}

export const CLI = path.resolve('dist/cli.js');

/** Builds dist/ when it is missing (`npm test` builds it first). */
export function ensureBuiltCli(): void {
  if (!existsSync(CLI)) execFileSync(process.execPath, ['esbuild.mjs'], { stdio: 'ignore' });
}

export function runBuiltCli(
  args: string[],
  cwd: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}
