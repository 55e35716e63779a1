/**
 * Entry point VS Code calls in the extension host (`extensionTestsPath`): runs every `*.test.js` beside it.
 * Output goes through console, which the workbench forwards to the driver's `codeAutomationLog`.
 * Lines starting with `LENDOS_E2E_` are a small protocol with scripts/e2e.mjs (per-test results, totals).
 */
import Mocha from 'mocha';
import { appendFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';

type Outcome = 'pass' | 'fail' | 'pending';

/** The suites build on each other's release: the foundation, Phase 1, Phase 2 on GitHub, values-tags, staging, production, then the dev sync. Others run last. */
const ORDER = ['activation', 'rehearsal', 'release', 'github', 'checklist', 'values-tags', 'upgrade', 'production', 'checklist-finished', 'dev'];
const rank = (file: string): number => {
  const index = ORDER.indexOf(file.replace(/\.test\.js$/, ''));
  return index === -1 ? ORDER.length : index;
};

function report(outcome: Outcome, test: Mocha.Runnable): void {
  console.log(`LENDOS_E2E_TEST ${JSON.stringify({ outcome, title: test.fullTitle() })}`);
}

/**
 * In desktop VS Code (scripts/test-electron.mjs) the extension host's console does not reach the driver as it does in
 * code-server: every line is also appended to `LENDOS_E2E_LINES`, which the driver follows.
 */
function mirrorConsoleTo(file: string | undefined): void {
  if (!file) return;
  for (const type of ['log', 'warn', 'error'] as const) {
    const original = console[type].bind(console);
    console[type] = (...args: unknown[]) => {
      original(...args);
      appendFileSync(file, `${JSON.stringify({ type, line: format(...args) })}\n`);
    };
  }
}

export function run(): Promise<void> {
  mirrorConsoleTo(process.env.LENDOS_E2E_LINES);
  const grep = process.env.E2E_GREP;
  const mocha = new Mocha({
    ui: 'bdd',
    timeout: 60_000,
    color: false,
    reporter: 'spec',
    ...(grep ? { grep } : {}),
  });
  const files = readdirSync(__dirname)
    .filter((file) => file.endsWith('.test.js'))
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  for (const file of files) mocha.addFile(path.join(__dirname, file));
  console.log('LENDOS_E2E_START');
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const { passes = 0, pending = 0 } = runner.stats ?? {};
      console.log(`LENDOS_E2E_TOTALS ${JSON.stringify({ passes, failures, pending })}`);
      if (failures > 0) reject(new Error(`${failures} e2e test(s) failed`));
      else resolve();
    });
    runner.on('pass', (test) => report('pass', test));
    // Said at once: a window reload or a crash later in the run would take mocha's summary with it.
    runner.on('fail', (test, error: Error) => {
      report('fail', test);
      console.log(`  ✖ ${test.fullTitle()}: ${error.message.split('\n').slice(0, 6).join('\n    ')}`);
    });
    runner.on('pending', (test) => report('pending', test));
  });
}
