import assert from 'node:assert/strict';
import { ESLint } from 'eslint';

/** The layer rules of docs/architecture.md are enforced by lint: a wrong arrow fails CI. */
describe('layer rules (lint)', function () {
  this.timeout(60_000);
  const eslint = new ESLint();
  const errorsFor = async (filePath: string, code: string) => {
    const [result] = await eslint.lintText(code, { filePath });
    return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
  };

  const forbidden: [string, string, RegExp][] = [
    ['src/core/x.ts', "import * as vscode from 'vscode';\nexport const a = vscode;", /Only src\/vscode/],
    ['src/core/x.ts', "import { promises } from 'node:fs';\nexport const a = promises;", /fs/],
    ['src/core/x.ts', "import { ReleaseService } from '../engine/release-service.js';\nexport const a = ReleaseService;", /Layers point down/],
    ['src/steps/x.ts', "import * as k8s from '@kubernetes/client-node';\nexport const a = k8s;", /Only src\/adapters/],
    ['src/steps/x.ts', "import { FileJournalStore } from '../adapters/journal-file.js';\nexport const a = FileJournalStore;", /Layers point down/],
    ['src/engine/x.ts', "import { execFile } from 'node:child_process';\nexport const a = execFile;", /Only src\/adapters/],
    ['src/adapters/x.ts', "import * as vscode from 'vscode';\nexport const a = vscode;", /Only src\/vscode/],
    ['src/vscode/x.ts', "import { Octokit } from '@octokit/rest';\nexport const a = Octokit;", /Only src\/adapters/],
    ['src/cli/x.ts', "import * as vscode from 'vscode';\nexport const a = vscode;", /Only src\/vscode/],
  ];
  for (const [file, code, expected] of forbidden) {
    it(`refuses ${code.split('\n')[0]} in ${file}`, async () => {
      const errors = await errorsFor(file, code);
      assert.ok(errors.some((m) => expected.test(m)), `got: ${errors.join('; ') || 'no error'}`);
    });
  }

  const allowed: [string, string][] = [
    ['src/vscode/x.ts', "import * as vscode from 'vscode';\nexport const a = vscode;"],
    ['src/adapters/x.ts', "import * as k8s from '@kubernetes/client-node';\nexport const a = k8s;"],
    ['src/steps/x.ts', "import { CalVer } from '../core/calver.js';\nexport const a = CalVer;"],
  ];
  for (const [file, code] of allowed) {
    it(`allows ${code.split('\n')[0]} in ${file}`, async () => {
      assert.deepEqual(await errorsFor(file, code), []);
    });
  }

  const clockErrorsFor = async (filePath: string, code: string) => {
    const [result] = await eslint.lintText(code, { filePath });
    return (result?.messages ?? []).filter((m) => /ctx\.clock/.test(m.message)).map((m) => m.message);
  };
  const readsTheTime: [string, string][] = [
    ['src/steps/x.ts', 'export const a = Date.now();'],
    ['src/steps/upgrade/x.ts', 'export const a = new Date().toISOString();'],
    ['src/engine/x.ts', 'export const a = setTimeout(() => undefined, 10);'],
    ['src/steps/upgrade/x.ts', 'export const a = setInterval(() => undefined, 10);'],
    ['src/engine/x.ts', 'export const wait = () => new Promise((resolve) => setTimeout(resolve, 2_000));'],
  ];
  for (const [file, code] of readsTheTime) {
    it(`refuses ${code} in ${file}, pointing at ctx.clock`, async () => {
      const errors = await clockErrorsFor(file, code);
      assert.equal(errors.length, 1, `got: ${errors.join('; ') || 'no error'}`);
    });
  }

  const clockAllowed: [string, string][] = [
    ['src/steps/x.ts', "export const a = new Date('2025-11-10T14:32:00Z').getTime();"],
    ['src/adapters/x.ts', 'export const a = [Date.now(), new Date(), setTimeout(() => undefined, 10)];'],
    ['src/core/x.ts', 'export const a = (ms: number) => new Date(ms);'],
  ];
  for (const [file, code] of clockAllowed) {
    it(`allows ${code} in ${file}`, async () => {
      assert.deepEqual(await clockErrorsFor(file, code), []);
    });
  }
});
