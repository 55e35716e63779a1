// Layer rules (docs/architecture.md "Layers"): arrows only point down; only src/vscode and src/extension.ts import vscode;
// only src/adapters imports the client libraries.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const clientLibraries = [
  '@kubernetes/client-node',
  '@aws-sdk/*',
  '@octokit/*',
  'pg',
  'child_process',
  'node:child_process',
];
const vscodeImport = { name: 'vscode', message: 'Only src/vscode/** and src/extension.ts import vscode.' };
const clientPattern = {
  group: clientLibraries,
  message: 'Only src/adapters/** imports client libraries; depend on a port from src/ports.ts.',
};
const upward = (folders) => ({
  group: folders.flatMap((f) => [`**/${f}`, `**/${f}/**`]),
  message: 'Layers point down only (docs/architecture.md, "Layers").',
});
const restrict = (paths, patterns) => ['error', { paths, patterns }];
// Steps and the engine read the time and wait through the Clock port, so tests fake it and a cancel ends a wait.
const useClock = 'Use ctx.clock (the Clock port): ctx.clock.now() for the time, await ctx.clock.sleep(ms, ctx.signal) to wait.';
const clockRules = {
  'no-restricted-properties': ['error', { object: 'Date', property: 'now', message: useClock }],
  'no-restricted-globals': ['error', ...['setTimeout', 'setInterval'].map((name) => ({ name, message: useClock }))],
  'no-restricted-syntax': ['error', { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: useClock }],
};

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', '.tools/**', 'webview-ui/dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', URL: 'readonly', Buffer: 'readonly', AbortController: 'readonly', fetch: 'readonly', __dirname: 'readonly', require: 'readonly', module: 'writable', performance: 'readonly', setImmediate: 'readonly', structuredClone: 'readonly', TextDecoder: 'readonly', TextEncoder: 'readonly', AbortSignal: 'readonly', queueMicrotask: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'max-lines': ['warn', { max: 320, skipBlankLines: true, skipComments: true }],
      'max-lines-per-function': ['warn', { max: 60, skipBlankLines: true, skipComments: true }],
    },
  },
  { files: ['src/core/**/*.ts'], rules: { 'no-restricted-imports': restrict([vscodeImport, 'fs', 'node:fs', 'fs/promises', 'node:fs/promises'], [clientPattern, upward(['engine', 'steps', 'adapters', 'vscode', 'cli', 'ports', 'ports.js'])]) } },
  { files: ['src/engine/**/*.ts'], rules: { 'no-restricted-imports': restrict([vscodeImport], [clientPattern, upward(['steps', 'adapters', 'vscode', 'cli'])]) } },
  { files: ['src/steps/**/*.ts'], rules: { 'no-restricted-imports': restrict([vscodeImport], [clientPattern, upward(['adapters', 'vscode', 'cli'])]) } },
  {
    files: ['src/steps/**/*.ts', 'src/engine/**/*.ts'],
    // batched-log.ts: its 50 ms timer flushes a buffer, not a wait.
    ignores: ['src/steps/upgrade/batched-log.ts'],
    rules: clockRules,
  },
  { files: ['src/ports.ts', 'src/ports-*.ts'], rules: { 'no-restricted-imports': restrict([vscodeImport], [clientPattern, upward(['adapters', 'vscode', 'cli', 'steps', 'engine'])]) } },
  { files: ['src/adapters/**/*.ts'], rules: { 'no-restricted-imports': restrict([vscodeImport], [upward(['vscode', 'cli'])]) } },
  { files: ['src/cli/**/*.ts'], rules: { 'no-restricted-imports': restrict([vscodeImport], [clientPattern, upward(['vscode'])]) } },
  { files: ['src/vscode/**/*.ts'], rules: { 'no-restricted-imports': restrict([], [clientPattern, upward(['cli'])]) } },
  { files: ['rehearsal/**/*.ts', 'test/**/*.ts', 'scripts/**/*.mjs', 'bench/**/*.ts'], rules: { 'no-restricted-imports': 'off', 'max-lines-per-function': 'off' } },
  { files: ['test/**/*.ts'], rules: { '@typescript-eslint/no-unused-expressions': 'off' } },
);
