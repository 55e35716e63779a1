// `npm start`: the rehearsal world (local Kubernetes, ECR, RDS, GitHub, git remotes) and the extension in a real
// VS Code (code-server) on the world's `lendos` workspace, for a person to practise a release.
// Usage: npm start -- [--scenario <name>] [--dir <folder>] [--port <n>] [--demo] [--check]
//   --scenario  rehearsal scenario (rehearsal/scenarios/<name>.yaml; default happy-path)
//   --dir       the world's folder (default: <cache>/rehearsal-<timestamp>)
//   --demo      a plain demo repository instead of the rehearsal world (no clusters, no AWS)
//   --port   port for code-server (default: 8080 when free, else any free port)
//   --check  open the URL in headless Chromium, confirm the LendOS activity bar item appears, then stop
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, symlink } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ensureCodeServer, freePort, startCodeServer } from './code-server.mjs';
import { launchChromium } from './lib/browser.mjs';
import { createDemoWorkspace } from './lib/demo-workspace.mjs';
import { prepareRehearsalWorkspace } from './lib/rehearsal-workspace.mjs';
import { ensureSystemPackages } from './lib/system-packages.mjs';
import { cacheDir, projectRoot } from './lib/paths.mjs';
import { capture, onInterrupt } from './lib/processes.mjs';

// A closed pipe (the parent gone after Ctrl-C) must not crash the cleanup of code-server and Chromium.
process.stdout.on('error', () => {});
process.stderr.on('error', () => {});

const USAGE = `usage: npm start -- [--scenario <name>] [--dir <folder>] [--port <n>] [--demo] [--check]

Starts the rehearsal world and the extension in code-server on the world's lendos workspace; prints the URL.
  --scenario <name>  rehearsal scenario (rehearsal/scenarios/<name>.yaml; default happy-path)
  --dir <folder>     the world's folder (default: <cache>/rehearsal-<timestamp>)
  --port <n>         port for code-server (default: 8080 when free, else any free port)
  --demo             a plain demo repository instead of the rehearsal world (no clusters, no AWS)
  --check            open the URL in headless Chromium, confirm the LendOS view appears, then stop
  -h, --help         this help`;

function parseOptions() {
  try {
    return parseArgs({
      options: {
        dir: { type: 'string' },
        port: { type: 'string' },
        scenario: { type: 'string', default: 'happy-path' },
        demo: { type: 'boolean', default: false },
        check: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }).values;
  } catch (error) {
    console.error(`start: ${error.message}\n\n${USAGE}`);
    process.exit(2);
  }
}

const options = parseOptions();
if (options.help) {
  console.log(USAGE);
  process.exit(0);
}

/**
 * The world the editor opens: the rehearsal world (its lendos clone carries the `lendos.rehearsal.world` setting),
 * or with --demo a plain demo repository. `stop` runs on Ctrl-C.
 * @returns {Promise<{workspace: string, env: Record<string,string>, settings: Record<string,unknown>, stop: () => Promise<void>}>}
 */
export async function prepareWorkspace(dir) {
  if (!options.demo) {
    console.log(`start: starting the rehearsal world (scenario ${options.scenario}) in ${dir}`);
    const world = await prepareRehearsalWorkspace({ dir: path.join(dir, 'world'), scenario: options.scenario });
    console.log(`start: world ready: ${world.worldFile} (source ${path.join(dir, 'world', 'world.env')} for kubectl and aws)`);
    return { workspace: world.workspace, env: world.env, settings: {}, stop: world.stop };
  }
  const existing = path.join(dir, 'lendos');
  const workspace = existsSync(path.join(existing, '.git'))
    ? existing
    : (await createDemoWorkspace(dir)).workspace;
  return { workspace, env: {}, settings: {}, stop: async () => {} };
}

/** Installs the project as an extension of the profile: a symlink named `<publisher>.<name>-<version>`. */
async function linkExtension(extensionsDir) {
  const manifest = JSON.parse(await readFile(path.join(projectRoot, 'package.json'), 'utf8'));
  // A fresh folder each start: code-server then scans it instead of trusting a stale extensions.json.
  await rm(extensionsDir, { recursive: true, force: true });
  await mkdir(extensionsDir, { recursive: true });
  await symlink(
    projectRoot,
    path.join(extensionsDir, `${manifest.publisher}.${manifest.name}-${manifest.version}`),
  );
  return `${manifest.publisher}.${manifest.name}`;
}

async function choosePort() {
  if (options.port) return Number(options.port);
  const free = await new Promise((resolve) => {
    const probe = net.createServer().once('error', () => resolve(false));
    probe.listen(8080, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
  return free ? 8080 : freePort();
}

/**
 * Headless Chromium opens the URL as a person would and looks for the LendOS activity bar item. Once it passed,
 * `onPassed` runs before the browser closes (code-server's complaints about the closing page are not news).
 */
async function checkInBrowser(openUrl, runDir, onPassed) {
  const browser = await launchChromium(runDir);
  try {
    const page = browser.pages()[0] ?? (await browser.newPage());
    await page.goto(openUrl);
    await page.locator('.activitybar [aria-label^="LendOS"]').first().waitFor({ timeout: 60_000 });
    console.log('start: check passed: the LendOS activity bar item is shown');
    onPassed();
  } finally {
    await browser.close();
  }
}

/** Default world folders (`<cache>/<prefix>-<timestamp>`) beyond the newest `keep`, whose world is not running, are removed. */
async function pruneOldWorlds(prefix, keep) {
  const names = (await readdir(cacheDir()).catch(() => []))
    .filter((name) => new RegExp(`^${prefix}-\\d{8}-\\d{6}$`).test(name))
    .sort()
    .reverse();
  const removed = [];
  for (const name of names.slice(keep)) {
    const dir = path.join(cacheDir(), name);
    if (await worldRunning(dir)) continue;
    await rm(dir, { recursive: true, force: true });
    removed.push(name);
  }
  if (removed.length > 0) console.log(`start: removed ${removed.length} older ${prefix} folder(s) from ${cacheDir()} (the newest ${keep} stay)`);
}

async function worldRunning(dir) {
  try {
    const { pid } = JSON.parse(await readFile(path.join(dir, 'world.json'), 'utf8'));
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function main() {
  const prefix = options.demo ? 'demo-workspace' : 'rehearsal';
  const dir = path.resolve(options.dir ?? path.join(cacheDir(), `${prefix}-${timestamp()}`));
  if (!options.dir) await pruneOldWorlds(prefix, 4);
  await ensureSystemPackages('start');
  console.log('start: building the extension…');
  await capture('node', ['esbuild.mjs'], { cwd: projectRoot });
  await ensureCodeServer();
  await mkdir(dir, { recursive: true });
  const world = await prepareWorkspace(dir);
  const runDir = path.join(dir, 'code-server');
  const extensionsDir = path.join(runDir, 'extensions');
  const extensionId = await linkExtension(extensionsDir);
  const started = { world, stopping: false };
  const stopAll = async () => {
    started.stopping = true;
    const server = started.server;
    started.server = undefined;
    await server?.stop();
    await world.stop();
  };
  const stopOnInterrupt = onInterrupt(stopAll);
  started.server = await startCodeServer({
    workspace: world.workspace,
    runDir,
    port: await choosePort(),
    extensionsDir,
    env: world.env,
    settings: world.settings,
    log: (line) => started.quiet || console.log(`  code-server | ${line}`),
  });
  console.log(
    `\nstart: ${extensionId} on ${world.workspace}\n\n    ${started.server.openUrl}\n\nCtrl-C stops it.`,
  );
  if (options.check) {
    try {
      await checkInBrowser(started.server.openUrl, runDir, () => (started.quiet = true));
    } finally {
      stopOnInterrupt();
      await stopAll();
    }
    return;
  }
  const exit = await started.server.exited;
  // Ctrl-C: the interrupt handler is stopping everything and exits on its own.
  if (started.stopping) return;
  stopOnInterrupt();
  await world.stop();
  throw new Error(`code-server exited (${exit})`);
}

function timestamp() {
  return new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(`start: ${error.message}`);
    process.exitCode = 1;
  });
}
