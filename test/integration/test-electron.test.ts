/**
 * `npm run test:electron` where desktop VS Code cannot be had: it says so in one line with what to do, exits 2 (could not
 * run, which is neither passed nor failed), and builds, installs and starts nothing.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'mocha';

const root = path.resolve(__dirname, '../..');

function testElectron(env: Record<string, string>): { status: number | null; stderr: string; stdout: string } {
  const result = spawnSync(process.execPath, ['scripts/test-electron.mjs'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 30_000,
  });
  return { status: result.status, stderr: result.stderr, stdout: result.stdout };
}

describe('npm run test:electron without a desktop VS Code', () => {
  it('a LENDOS_VSCODE_EXECUTABLE that is not there: one line saying what to do, exit 2, nothing started', () => {
    const cache = mkdtempSync(path.join(os.tmpdir(), 'lendos-electron-test-'));
    try {
      const { status, stderr, stdout } = testElectron({ LENDOS_VSCODE_EXECUTABLE: path.join(cache, 'no-code'), LENDOS_CACHE_DIR: cache });
      assert.equal(status, 2, stderr);
      assert.equal(stdout, '');
      assert.match(stderr, /^test:electron: cannot run here: LENDOS_VSCODE_EXECUTABLE=\S+ is not an executable: point it at desktop VS Code's `code`, or unset it/);
      assert.equal(stderr.trim().split('\n').length, 1);
      assert.equal(existsSync(path.join(cache, 'vscode-test')), false, 'nothing downloaded');
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });

  it('a file that cannot be executed is refused the same way', () => {
    const cache = mkdtempSync(path.join(os.tmpdir(), 'lendos-electron-test-'));
    try {
      const notExecutable = path.join(cache, 'code');
      writeFileSync(notExecutable, 'not a program', { mode: 0o644 });
      const { status, stderr } = testElectron({ LENDOS_VSCODE_EXECUTABLE: notExecutable, LENDOS_CACHE_DIR: cache });
      assert.equal(status, 2, stderr);
      assert.match(stderr, /is not an executable/);
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });
});
