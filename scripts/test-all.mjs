// `npm test`: every check in order, stopping at the first failure, then a summary of the mocha tiers.
// Order: system packages, typecheck, lint, build, tools (when scripts/tools.mjs exists), unit, integration, e2e.
// `npm test -- --from unit` starts at a later stage (the earlier ones are listed as not run).
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { projectRoot, secondsSince } from './lib/paths.mjs';

let interrupted = false;
// The tests build AWS SDK clients of their own: its Node 22 notice is not a test's concern.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const mochaBin = path.join(projectRoot, 'node_modules', 'mocha', 'bin', 'mocha.js');
const colour = process.stdout.isTTY ? ['--color'] : [];

/** Each stage: a command, and for test tiers how to read passed/failed counts from its output. */
const stages = [
  { name: 'system packages', command: ['node', 'scripts/system-packages.mjs', 'test'] },
  { name: 'typecheck', command: ['npm', 'run', '--silent', 'typecheck'] },
  { name: 'lint', command: ['npm', 'run', '--silent', 'lint'] },
  { name: 'build', command: ['node', 'esbuild.mjs'] },
  {
    name: 'tools',
    command: ['node', 'scripts/tools.mjs'],
    when: () => existsSync(path.join(projectRoot, 'scripts/tools.mjs')),
  },
  {
    name: 'unit',
    command: ['node', mochaBin, '--config', '.mocharc.unit.json', ...colour],
    counts: mochaCounts,
    when: () => hasTests('test/unit'),
  },
  {
    name: 'integration',
    command: ['node', mochaBin, '--config', '.mocharc.integration.json', ...colour],
    counts: mochaCounts,
    when: () => hasTests('test/integration'),
  },
  {
    name: 'e2e',
    command: ['node', 'scripts/e2e.mjs'],
    counts: e2eCounts,
    when: () => hasTests('test/e2e/suite'),
  },
];

function hasTests(dir) {
  const root = path.join(projectRoot, dir);
  return (
    existsSync(root) &&
    readdirSync(root, { recursive: true }).some((file) => String(file).endsWith('.test.ts'))
  );
}

const withoutAnsi = (text) => text.replace(/\x1b\[[0-9;]*m/g, ''); // eslint-disable-line no-control-regex

/** The spec reporter's epilogue: "  12 passing (3s)", "  2 failing". */
function mochaCounts(output) {
  const plain = withoutAnsi(output);
  const passed = Number(/^\s*(\d+) passing/m.exec(plain)?.[1] ?? 0);
  const failed = Number(/^\s*(\d+) failing/m.exec(plain)?.[1] ?? 0);
  return { passed, failed };
}

/** scripts/e2e.mjs ends with "e2e: N passed, N failed …". */
function e2eCounts(output) {
  const match = /^e2e: (\d+) passed, (\d+) failed/m.exec(withoutAnsi(output));
  return { passed: Number(match?.[1] ?? 0), failed: Number(match?.[2] ?? 0) };
}

/** Runs a stage with its output shown live and kept for counting. Ctrl-C goes to the stage, which cleans up. */
function runStage(stage) {
  return new Promise((resolve) => {
    const [command, ...args] = stage.command;
    const child = spawn(command, args, { cwd: projectRoot, stdio: ['inherit', 'pipe', 'pipe'] });
    const forward = (signal) => {
      interrupted = true;
      child.kill(signal);
    };
    process.on('SIGINT', forward).on('SIGTERM', forward);
    child.on('exit', () => process.off('SIGINT', forward).off('SIGTERM', forward));
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
      process.stdout.write(chunk);
    });
    child.stderr.on('data', (chunk) => process.stderr.write(chunk));
    child.on('error', (error) => resolve({ code: 1, output: `${error.message}\n` }));
    child.on('exit', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output }));
  });
}

function stagesToRun() {
  const from = process.argv.indexOf('--from');
  if (from === -1) return stages;
  const start = stages.findIndex((stage) => stage.name === process.argv[from + 1]);
  if (start === -1) throw new Error(`--from takes one of: ${stages.map((stage) => stage.name).join(', ')}`);
  return stages.slice(start);
}

async function main() {
  const results = [];
  for (const stage of stagesToRun()) {
    if (stage.when && !stage.when()) {
      results.push({ name: stage.name, status: 'skipped', seconds: '0.0' });
      continue;
    }
    console.log(`\n━━ ${stage.name}: ${stage.command.join(' ').replace(mochaBin, 'mocha')}`);
    const startedAt = performance.now();
    const { code, output } = await runStage(stage);
    const counts = stage.counts?.(output);
    results.push({
      name: stage.name,
      status: code === 0 ? 'ok' : `failed (exit ${code})`,
      seconds: secondsSince(startedAt),
      counts,
    });
    if (code !== 0 || interrupted) break;
  }
  return summarise(results);
}

function summarise(results) {
  console.log('\n━━ summary');
  for (const { name, status, seconds, counts } of results) {
    const tally = counts ? `  ${counts.passed} passed, ${counts.failed} failed` : '';
    console.log(`  ${name.padEnd(12)} ${status.padEnd(18)} ${seconds.padStart(6)} s${tally}`);
  }
  const ran = new Set(results.map((result) => result.name));
  const notRun = stages.filter((stage) => !ran.has(stage.name)).map((stage) => stage.name);
  if (notRun.length > 0) console.log(`  not run: ${notRun.join(', ')}`);
  const passed = results.reduce((sum, result) => sum + (result.counts?.passed ?? 0), 0);
  const failed = results.reduce((sum, result) => sum + (result.counts?.failed ?? 0), 0);
  console.log(`${passed} passed, ${failed} failed`);
  return results.every((result) => result.status === 'ok' || result.status === 'skipped') ? 0 : 1;
}

process.exitCode = await main();
