// `npm run bench`: the main bundle's minified size and the extension's activation time in a real VS Code
// (code-server), against a baseline extension that does nothing, activated in the same run. Medians, not asserts.
// Usage: npm run bench -- [--runs N]
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ensureCodeServer, startCodeServer } from './code-server.mjs';
import { launchChromium } from './lib/browser.mjs';
import { createDemoWorkspace } from './lib/demo-workspace.mjs';
import { projectRoot } from './lib/paths.mjs';
import { run, sleep } from './lib/processes.mjs';

const BUDGET = { activationMs: 50, bundleKb: 150 };
const { values: options } = parseArgs({ options: { runs: { type: 'string', default: '7' } } });
const runs = Math.max(3, Number(options.runs));

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

async function bundleSize() {
  await run('node', ['esbuild.mjs', '--production'], { cwd: projectRoot });
  const report = JSON.parse(await readFile(path.join(projectRoot, 'dist', 'size-report.json'), 'utf8'));
  return Object.fromEntries(report.map((r) => [path.basename(r.file), r.bytes / 1024]));
}

/** A do-nothing extension with the same activation event, timing itself the same way, as the baseline. */
async function writeBaseline(extensionsDir) {
  const dir = path.join(extensionsDir, 'lendos.bench-baseline-0.0.1');
  await mkdir(dir, { recursive: true });
  await writeFile(
    path.join(dir, 'package.json'),
    JSON.stringify({ name: 'bench-baseline', publisher: 'lendos', version: '0.0.1', engines: { vscode: '^1.100.0' }, main: './extension.js', activationEvents: ['workspaceContains:VERSION'] }),
  );
  await writeFile(
    path.join(dir, 'extension.js'),
    [
      'const t0 = performance.now();',
      "const vscode = require('vscode');",
      'const loaded = performance.now();',
      'exports.activate = () => {',
      '  const t1 = performance.now();',
      "  const log = vscode.window.createOutputChannel('Baseline', { log: true });",
      '  log.info(`Activated in ${(loaded - t0 + performance.now() - t1).toFixed(1)} ms`);',
      '};',
      '',
    ].join('\n'),
  );
}

/** Every "Activated in X ms" line the two extensions logged, by channel. */
async function activationLines(userDataDir) {
  const found = { LendOS: [], Baseline: [], lines: [] };
  const walk = async (dir) => {
    for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (/(LendOS|Baseline)\.log$/.test(entry.name)) {
        const channel = entry.name.includes('LendOS') ? 'LendOS' : 'Baseline';
        for (const m of (await readFile(full, 'utf8')).matchAll(/Activated in ([\d.]+) ms.*|log=.*/g)) {
          if (m[1]) found[channel].push(Number(m[1]));
          if (channel === 'LendOS') found.lines.push(m[0]);
        }
      }
    }
  };
  await walk(userDataDir);
  return found;
}

async function activation() {
  await ensureCodeServer();
  const runDir = await mkdtemp(path.join(os.tmpdir(), 'lendos-bench-'));
  const extensionsDir = path.join(runDir, 'extensions');
  await mkdir(extensionsDir, { recursive: true });
  const manifest = JSON.parse(await readFile(path.join(projectRoot, 'package.json'), 'utf8'));
  await symlink(projectRoot, path.join(extensionsDir, `${manifest.publisher}.${manifest.name}-${manifest.version}`));
  await writeBaseline(extensionsDir);
  const { workspace } = await createDemoWorkspace(path.join(runDir, 'demo'));
  const server = await startCodeServer({ workspace, runDir: path.join(runDir, 'code-server'), extensionsDir });
  const browser = await launchChromium(runDir);
  try {
    const page = browser.pages()[0] ?? (await browser.newPage());
    const userData = path.join(runDir, 'code-server', 'user-data');
    for (let i = 0; i < runs; i++) {
      await (i === 0 ? page.goto(server.openUrl) : page.reload());
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline) {
        const lines = await activationLines(userData);
        if (lines.LendOS.length > i && lines.Baseline.length > i) break;
        await sleep(250);
      }
    }
    return await activationLines(userData);
  } finally {
    await browser.close().catch(() => {});
    await server.stop();
    await rm(runDir, { recursive: true, force: true });
  }
}

const sizes = await bundleSize();
const times = await activation();
await run('node', ['esbuild.mjs'], { cwd: projectRoot });
const lendos = median(times.LendOS.slice(0, runs));
const baseline = median(times.Baseline.slice(0, runs));
const mainKb = sizes['extension.js'];
console.log('\nLendOS Release benchmarks');
console.log(`  main bundle (minified)   ${mainKb.toFixed(1)} kB   budget ≤ ${BUDGET.bundleKb} kB   ${mainKb <= BUDGET.bundleKb ? 'within' : 'OVER'}`);
for (const [file, kb] of Object.entries(sizes)) if (file !== 'extension.js') console.log(`    ${file === 'cli.js' ? 'cli     ' : 'lazy    '}${file.padEnd(18)} ${kb.toFixed(1)} kB`);
console.log(`  activation, median of ${times.LendOS.length} window loads   ${lendos.toFixed(1)} ms   budget ≤ ${BUDGET.activationMs} ms   ${lendos <= BUDGET.activationMs ? 'within' : 'OVER'}`);
console.log(`    baseline extension (same host, same loads)   ${baseline.toFixed(1)} ms   ratio ${(lendos / baseline).toFixed(1)}×`);
console.log(`    samples: ${times.LendOS.map((t) => t.toFixed(1)).join(', ')}`);
for (const line of times.lines) console.log(`    ${line}`);
