// `npm run bench`: the main bundle's minified size and the VSIX's size and the extension's activation time in a real VS Code
// (code-server), against a baseline extension that does nothing, activated in the same run; then the upgrade
// procedure's budgets, each a program under bench/ run as a child process that prints one JSON result line (log
// streaming, event → tree, hands-off staging), each against a baseline it measures in the same process.
// Medians, not asserts. Usage: npm run bench -- [--only bundle,activation,logs,tree,staging,preflight,values-tags,values-tags-edit,checklist] [--runs N]
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ensureCodeServer, startCodeServer } from './code-server.mjs';
import { launchChromium } from './lib/browser.mjs';
import { createDemoWorkspace } from './lib/demo-workspace.mjs';
import { projectRoot } from './lib/paths.mjs';
import { capture, run, sleep } from './lib/processes.mjs';

const BUDGET = { activationMs: 50, bundleKb: 150, logLinesPerSecond: 200_000, treeMs: 100, stagingSeconds: 120, preflightMs: 1500, firstHoverMs: 500, cachedHoverMs: 10, valuesTagsDiagnosticsMs: 300, valuesTagsEditMs: 100, checklistFirstPaintMs: 150, checklistUpdateMs: 100, webviewKb: 200 };
const BENCHES = ['bundle', 'activation', 'logs', 'tree', 'staging', 'preflight', 'values-tags', 'values-tags-edit', 'checklist'];
/** Samples per bench unless --runs says otherwise: window loads for activation, child processes for the rest. */
const DEFAULT_RUNS = { activation: 7, logs: 3, tree: 3, staging: 3, preflight: 1, 'values-tags': 1, 'values-tags-edit': 3, checklist: 3 };
const { values: options } = parseArgs({ options: { runs: { type: 'string' }, only: { type: 'string' } } });
const only = options.only ? options.only.split(',').map((name) => name.trim()).filter(Boolean) : BENCHES;
const unknown = only.filter((name) => !BENCHES.includes(name));
if (unknown.length > 0) {
  console.error(`unknown bench ${unknown.join(', ')}: choose from ${BENCHES.join(', ')}`);
  process.exit(2);
}
const selected = (name) => only.includes(name);
const runsOf = (name) => (options.runs ? Math.max(1, Number(options.runs)) : DEFAULT_RUNS[name]);
const runs = Math.max(3, runsOf('activation'));

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const verdict = (ok) => (ok ? 'within' : 'OVER');
const number = (value, digits = 0) => value.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** The VSIX `npm run package` builds (in a temporary folder): its size and file count. */
async function packageSize() {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lendos-bench-vsix-'));
  try {
    const out = path.join(dir, 'lendos-release.vsix');
    const stdout = await capture('node', ['scripts/package.mjs', '--out', out], { cwd: projectRoot });
    const files = Number(/\((\d+) files/.exec(stdout)?.[1] ?? 0);
    return { kb: (await stat(out)).size / 1024, files };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

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
    JSON.stringify({ name: 'bench-baseline', publisher: 'lendos', version: '0.0.1', engines: { vscode: '^1.100.0' }, main: './extension.js', activationEvents: ['workspaceContains:services/portal-daml-upgrade/**'] }),
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

/** One bench program as a child process (its progress on our stderr); resolves with its JSON result line. */
function benchProgram(name, args = []) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', `bench/${name}.ts`, ...args], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = stdout.split('\n').filter((l) => l.startsWith('{')).pop();
      if (code === 0 && line) return resolve(JSON.parse(line));
      reject(new Error(`bench/${name}.ts exited with ${code}${line ? '' : ' without a result line'}`));
    });
  });
}

async function samples(name, count, args) {
  const results = [];
  for (let i = 0; i < count; i++) {
    console.error(`${name} ${i + 1}/${count}${args.length ? ` (${args.join(' ')})` : ''}`);
    results.push(await benchProgram(name, args));
  }
  return results;
}

const summary = [];
const failures = [];

/** Runs a bench's samples and adds its lines to the summary; a bench that fails is reported, the others still run. */
async function measure(name, collect, report) {
  try {
    summary.push(...report(await collect()));
  } catch (error) {
    failures.push(name);
    summary.push(`  ${name}: FAILED — ${error.message}`);
  }
}

function logSummary({ results, large }) {
  const value = median(results.map((r) => r.value));
  const plain = median(results.map((r) => r.baseline.value));
  const ceiling = median(results.map((r) => r.details.ceiling.linesPerSecond));
  const busy = (key) => median(results.map((r) => r.details.product.busy[key]));
  const memory = (result) => {
    const m = result.details.product.memory;
    return `    memory at ${number(result.details.lines)} lines: heap +${m.heapPeakGrowthMb} MB at peak, +${m.heapRetainedMb} MB retained; peak RSS ${m.peakRssMb} MB (whole process, API server thread included)`;
  };
  return [
    `  log streaming, rehearsal API server → followPodLogs → BatchedLog → counting sink (stands in for the LogOutputChannel)`,
    `    median of ${results.length} × ${number(results[0].details.lines)} lines   ${number(value)} lines/s   budget ≥ ${number(BUDGET.logLinesPerSecond)} lines/s   ${verdict(value >= BUDGET.logLinesPerSecond)}`,
    `    plain request on the same stream (same process)   ${number(plain)} lines/s   ratio ${(value / plain).toFixed(2)}×`,
    `    busy: API server thread ${Math.round(busy('server') * 100)}%, reader thread ${Math.round(busy('reader') * 100)}%${busy('server') >= 0.95 ? ' — the server is the limit of this measure' : ''}`,
    `    product ceiling (bulk HTTPS source, not the rehearsal server)   ${number(ceiling)} lines/s   ${verdict(ceiling >= BUDGET.logLinesPerSecond)}`,
    memory(results[0]),
    memory(large),
    `    samples: ${results.map((r) => number(r.value)).join(', ')} lines/s`,
  ];
}

function treeSummary(results) {
  const value = median(results.map((r) => r.value));
  const p95 = median(results.map((r) => r.details.p95));
  const watch = median(results.map((r) => r.baseline.value));
  const pick = (key, field) => median(results.map((r) => r.details[key][field]));
  const changes = results.map((r) => `${r.details.measured}/${r.details.changes}`).join(', ');
  return [
    `  Job change → tree view (store of the API server → watch → StageTracker → journal → ReleaseService.view(); no TreeView)`,
    `    median ${value} ms, p95 ${p95} ms (medians of ${results.length} runs; changes timed ${changes})   budget ≤ ${BUDGET.treeMs} ms at p95   ${verdict(p95 <= BUDGET.treeMs)}`,
    `    the product's Job watch callback (same changes, same process)   median ${watch} ms, p95 ${median(results.map((r) => r.details.baselineP95))} ms   ratio ${(value / watch).toFixed(1)}×`,
    `    journal append (write + fsync) median ${pick('journalAppendMs', 'median')} ms, p95 ${pick('journalAppendMs', 'p95')} ms; view read median ${pick('viewReadMs', 'median')} ms, p95 ${pick('viewReadMs', 'p95')} ms`,
    `    samples: ${results.map((r) => `${r.value}/${r.details.p95}`).join(', ')} ms (median/p95)`,
  ];
}

function preflightSummary(results) {
  const value = median(results.map((r) => r.value));
  const sequential = median(results.map((r) => r.baseline.value));
  const parts = Object.entries(results[0].details.partsMedianMs).map(([id, ms]) => `${id} ${ms}`).join(', ');
  return [
    `  preflight, warm, fast world: getPull + the four checks concurrently (real GitHub adapter over HTTP), median of ${results.map((r) => r.details.runs).join(' + ')} runs`,
    `    median ${value} ms, p95 ${median(results.map((r) => r.details.p95))} ms   budget ≤ ${BUDGET.preflightMs} ms   ${verdict(value <= BUDGET.preflightMs)}`,
    `    the four checks one after another (same process, interleaved)   median ${sequential} ms   ratio ${(value / sequential).toFixed(2)}×`,
    `    one after another, by part (median ms): ${parts}`,
  ];
}

function valuesTagsSummary(results) {
  const pick = (key) => median(results.map((r) => r.details[key]));
  const first = pick('firstCompleteMs');
  const cached = pick('cachedMs');
  const diagnostics = pick('diagnosticsMs');
  const d = results[0].details;
  return [
    `  values-tags against a fast world's ECR (real AWS adapter over HTTP), ${d.images} images in the repository, median of ${d.runs} runs`,
    `    first hover, complete (the tag, then every page for newest/newer)   ${first} ms (p95 ${pick('firstCompleteP95')} ms; the tag alone ${pick('firstTagMs')} ms)   budget ≤ ${BUDGET.firstHoverMs} ms   ${verdict(first <= BUDGET.firstHoverMs)}`,
    `      one DescribeImages of the tag   ${pick('describeOneMs')} ms; one paged listing alone   ${median(results.map((r) => r.baseline.value))} ms   ratio ${(first / median(results.map((r) => r.baseline.value))).toFixed(2)}×`,
    `    cached hover (facts + Markdown)   ${cached} ms   budget ≤ ${BUDGET.cachedHoverMs} ms   ${verdict(cached <= BUDGET.cachedHoverMs)}   (Markdown alone ${pick('markdownOnlyMs')} ms)`,
    `    diagnostics of a 50-tag file, warm   ${diagnostics} ms   budget ≤ ${BUDGET.valuesTagsDiagnosticsMs} ms   ${verdict(diagnostics <= BUDGET.valuesTagsDiagnosticsMs)}   (its parse alone ${pick('parseOnlyMs')} ms, ratio ${(diagnostics / pick('parseOnlyMs')).toFixed(1)}×)`,
  ];
}

function valuesTagsEditSummary(results) {
  const value = median(results.map((r) => r.value));
  const parse = median(results.map((r) => r.baseline.value));
  const d = results[0].details;
  const besides = Math.max(...results.map((r) => r.details.changedBesidesTags));
  return [
    `  values-tags edit + diff, warm: ${d.lines} lines, ${d.tagSites} tag sites, the four service tags (locate, edit, unified diff), median of ${results.length} × ${d.runs} runs`,
    `    median ${value} ms, p95 ${median(results.map((r) => r.details.p95))} ms   budget ≤ ${BUDGET.valuesTagsEditMs} ms   ${verdict(value <= BUDGET.valuesTagsEditMs)}`,
    `    the yaml parse alone (same process, interleaved)   median ${parse} ms   ratio ${(value / parse).toFixed(2)}×`,
    `    lines changed: ${d.changedLines}, besides the tags: ${besides}   ${verdict(besides === 0)}`,
  ];
}

function checklistSummary(results) {
  const value = median(results.map((r) => r.value));
  const update = median(results.map((r) => r.details.updateMs));
  const baseline = median(results.map((r) => r.baseline.value));
  const d = results[0].details;
  return [
    `  release checklist, ${d.events} journal events, every phase open (${d.steps} steps): fold + plan + model, then dist/webview/checklist.js in Chromium to the painted frame, median of ${results.length} × ${d.runs}`,
    `    first paint   ${value} ms (p95 ${median(results.map((r) => r.details.p95))} ms; the host's model ${median(results.map((r) => r.details.hostMs))} ms, ${d.modelKb} kB)   budget ≤ ${BUDGET.checklistFirstPaintMs} ms   ${verdict(value <= BUDGET.checklistFirstPaintMs)}`,
    `    one more event → painted   ${update} ms (p95 ${median(results.map((r) => r.details.updateP95))} ms)   budget ≤ ${BUDGET.checklistUpdateMs} ms   ${verdict(update <= BUDGET.checklistUpdateMs)}`,
    `    a fresh page rendering a release with no phases (same process)   ${baseline} ms   ratio ${(value / baseline).toFixed(1)}×`,
  ];
}

function stagingSummary(results) {
  const value = median(results.map((r) => r.value));
  const world = median(results.map((r) => r.baseline.value));
  const steps = Object.keys(results[0].details.steps);
  return [
    `  hands-off staging on a fresh fast world, built CLI (lendos run … --world … --yes), prerequisites → validate`,
    `    median of ${results.length} runs   ${value.toFixed(1)} s   budget < ${BUDGET.stagingSeconds} s   ${verdict(value < BUDGET.stagingSeconds)}`,
    `    world start (same process)   ${world.toFixed(1)} s   ratio ${(value / world).toFixed(1)}×`,
    ...steps.map((id) => `    ${id.padEnd(32)} ${median(results.map((r) => r.details.steps[id])).toFixed(2)} s`),
    `    stages succeeded: ${results.map((r) => r.details.stagesSucceeded).join(', ')}; validation: ${results[0].details.validation.split('\n')[0]}`,
    `    samples: ${results.map((r) => r.value.toFixed(1)).join(', ')} s`,
  ];
}

function activationSummary(times) {
  const lendos = median(times.LendOS.slice(0, runs));
  const baseline = median(times.Baseline.slice(0, runs));
  return [
    `  activation, median of ${times.LendOS.length} window loads   ${lendos.toFixed(1)} ms   budget ≤ ${BUDGET.activationMs} ms   ${verdict(lendos <= BUDGET.activationMs)}`,
    `    baseline extension (same host, same loads)   ${baseline.toFixed(1)} ms   ratio ${(lendos / baseline).toFixed(1)}×`,
    `    samples: ${times.LendOS.map((t) => t.toFixed(1)).join(', ')}`,
    ...times.lines.map((line) => `    ${line}`),
  ];
}

function bundleSummary(sizes) {
  const mainKb = sizes['extension.js'];
  const webviewKb = sizes['checklist.js'];
  return [
    `  main bundle (minified)   ${mainKb.toFixed(1)} kB   budget ≤ ${BUDGET.bundleKb} kB   ${verdict(mainKb <= BUDGET.bundleKb)}`,
    `  checklist webview bundle (minified, loaded only by the panel)   ${webviewKb.toFixed(1)} kB   budget ≤ ${BUDGET.webviewKb} kB   ${verdict(webviewKb <= BUDGET.webviewKb)}`,
    ...Object.entries(sizes)
      .filter(([file]) => file !== 'extension.js' && file !== 'checklist.js')
      .map(([file, kb]) => `    ${file === 'cli.js' ? 'cli     ' : 'lazy    '}${file.padEnd(18)} ${kb.toFixed(1)} kB`),
  ];
}

if (selected('bundle') || selected('activation')) {
  const sizes = await bundleSize();
  if (selected('bundle')) {
    const vsix = await packageSize();
    summary.push(...bundleSummary(sizes), `  package (VSIX)           ${vsix.kb.toFixed(0)} kB, ${vsix.files} files`);
  }
  if (selected('activation')) await measure('activation', activation, activationSummary);
}
// The CLI the staging bench runs, and the development build everyone else expects after a production one.
if (selected('bundle') || selected('activation') || selected('staging')) await run('node', ['esbuild.mjs'], { cwd: projectRoot });
if (selected('logs')) {
  await measure('logs', async () => ({ results: await samples('logs', runsOf('logs'), ['--lines', '1000000']), large: (await samples('logs', 1, ['--lines', '2000000']))[0] }), logSummary);
}
if (selected('tree')) await measure('tree', () => samples('tree', runsOf('tree'), []), treeSummary);
if (selected('staging')) await measure('staging', () => samples('staging', runsOf('staging'), []), stagingSummary);
if (selected('preflight')) await measure('preflight', () => samples('preflight', runsOf('preflight'), []), preflightSummary);
if (selected('values-tags')) await measure('values-tags', () => samples('values-tags', runsOf('values-tags'), []), valuesTagsSummary);
if (selected('checklist')) {
  await run('node', ['esbuild.mjs'], { cwd: projectRoot });
  await measure('checklist', () => samples('checklist', runsOf('checklist'), []), checklistSummary);
}
if (selected('values-tags-edit')) await measure('values-tags-edit', () => samples('values-tags-edit', runsOf('values-tags-edit'), []), valuesTagsEditSummary);

console.log('\nLendOS Release benchmarks');
for (const line of summary) console.log(line);
if (failures.length > 0) process.exitCode = 1;
