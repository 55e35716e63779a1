// e2e tests in a real VS Code: builds, starts a rehearsal world and code-server on its lendos workspace, opens the workbench in
// headless Chromium with VS Code's automation payload, and streams the extension-host mocha run to stdout.
// Env: E2E_GREP (mocha grep), E2E_TIMEOUT_MS (default 10 min), E2E_KEEP=1 (keep the temp run folder).
// What runs is what ships: the VSIX `npm run package` builds, installed into code-server with `--install-extension`
// and loaded from where code-server installed it (as the development extension, so the tests run in Test mode).
// `--no-build` uses the bundles as they are (e.g. while `npm run watch` runs); `--from-source` loads the extension
// from the project folder instead of the VSIX.
import { createWriteStream } from 'node:fs';
import { access, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import util from 'node:util';
import { ensureCodeServer, startCodeServer } from './code-server.mjs';
import { launchChromium } from './lib/browser.mjs';
import { prepareRehearsalWorkspace } from './lib/rehearsal-workspace.mjs';
import { projectRoot, secondsSince } from './lib/paths.mjs';
import { capture, onInterrupt, run } from './lib/processes.mjs';

// A closed pipe (the parent gone after Ctrl-C) must not crash the cleanup of code-server and Chromium.
process.stdout.on('error', () => {});
process.stderr.on('error', () => {});

const fromSource = process.argv.includes('--from-source');
const timeoutMs = Number(process.env.E2E_TIMEOUT_MS) || 10 * 60_000;
const artifactsDir = path.join(projectRoot, 'test-artifacts');
const screenshotsDir = path.join(artifactsDir, 'screenshots');
const testsIndex = path.join(projectRoot, 'out', 'test', 'e2e', 'index.js');

/** Per-test outcomes by full title; a window reload re-runs the suite, so a later "pending" never hides a result. */
class TestOutcomes {
  #byTitle = new Map();
  record({ outcome, title }) {
    const earlier = this.#byTitle.get(title);
    if (outcome === 'pending' && earlier && earlier !== 'pending') return;
    if (earlier === 'fail') return;
    this.#byTitle.set(title, outcome);
  }
  count(outcome) {
    return [...this.#byTitle.values()].filter((value) => value === outcome).length;
  }
}

async function main() {
  const startedAt = performance.now();
  if (!process.argv.includes('--no-build')) {
    // Bundles of deleted suites would otherwise still run.
    await rm(path.dirname(testsIndex), { recursive: true, force: true });
    await run('node', ['esbuild.mjs'], { cwd: projectRoot });
  }
  await ensureCodeServer();
  const session = {
    runDir: await mkdtemp(path.join(os.tmpdir(), 'lendos-e2e-')),
    outcomes: new TestOutcomes(),
  };
  const stopOnInterrupt = onInterrupt(() => tearDown(session));
  let exitCode = 1;
  try {
    exitCode = await Promise.race([runSuite(session), overallTimeout(session)]);
  } catch (error) {
    console.error(`e2e: ${error.stack ?? error.message}`);
  } finally {
    await tearDown(session);
    stopOnInterrupt();
  }
  const { outcomes } = session;
  const failed = outcomes.count('fail');
  if (failed > 0) exitCode = exitCode || 1;
  const pending = outcomes.count('pending');
  console.log(
    `e2e: ${outcomes.count('pass')} passed, ${failed} failed${pending ? ` (${pending} pending)` : ''} in ${secondsSince(startedAt)} s`,
  );
  return exitCode;
}

/** Resolves with the test run's exit code (0 all passed). */
async function runSuite(session) {
  await rm(screenshotsDir, { recursive: true, force: true });
  await mkdir(screenshotsDir, { recursive: true });
  session.serverLog = createWriteStream(path.join(artifactsDir, 'code-server.log'));
  session.browserLog = createWriteStream(path.join(artifactsDir, 'browser-console.log'));
  session.workbenchLog = createWriteStream(path.join(artifactsDir, 'workbench.log'));
  // The suites run on the rehearsal world's lendos clone: real git remotes, clusters, ECR, RDS and GitHub on loopback.
  session.world = await prepareRehearsalWorkspace({ dir: path.join(session.runDir, 'world'), scenario: 'e2e' });
  const { workspace } = session.world;
  const extensionsDir = path.join(session.runDir, 'extensions');
  const extension = fromSource ? projectRoot : await installPackage(session.runDir, extensionsDir);
  console.log(`e2e: the extension from ${extension === projectRoot ? 'the project folder' : extension}`);
  session.server = await startCodeServer({
    workspace,
    extensionsDir,
    runDir: path.join(session.runDir, 'code-server'),
    env: { LENDOS_E2E: '1', LENDOS_E2E_ARTIFACTS: screenshotsDir, LENDOS_E2E_WORLD: session.world.worldFile },
    // The workloads clone beside the workspace is not for VS Code's Git to offer (its toast would cover the pictures).
    settings: { 'git.openRepositoryInParentFolders': 'never' },
    extensionDevelopmentPath: extension,
    extensionTestsPath: testsIndex,
    log: (line) => session.serverLog.write(`${line}\n`),
  });
  console.log(`e2e: code-server ${session.server.url}, workspace ${workspace}`);
  session.browser = await launchChromium(session.runDir);
  session.page = session.browser.pages()[0] ?? (await session.browser.newPage());
  const { exit } = await wireAutomation(session);
  await session.page.goto(session.server.openUrl);
  return exit;
}

/** Builds the VSIX and installs it with code-server; returns the folder code-server installed it into. */
async function installPackage(runDir, extensionsDir) {
  const vsix = path.join(runDir, 'lendos-release.vsix');
  await run('node', ['scripts/package.mjs', '--out', vsix], { cwd: projectRoot });
  const binary = await ensureCodeServer();
  await capture(binary, ['--user-data-dir', path.join(runDir, 'install-user-data'), '--extensions-dir', extensionsDir, '--install-extension', vsix], {
    env: { ...process.env, EXTENSIONS_GALLERY: '{}', XDG_CONFIG_HOME: path.join(runDir, 'install-xdg'), XDG_DATA_HOME: path.join(runDir, 'install-xdg') },
  });
  const { publisher, name, version } = JSON.parse(await readFile(path.join(projectRoot, 'package.json'), 'utf8'));
  const installed = path.join(extensionsDir, `${publisher}.${name}-${version}`);
  await access(path.join(installed, 'dist', 'extension.js'));
  return installed;
}

/** Installs VS Code's automation hooks on the page; `exit` resolves with the exit code the workbench reports. */
async function wireAutomation(session) {
  const { page } = session;
  let reportExit;
  const exit = new Promise((resolve) => (reportExit = resolve));
  await page.exposeFunction('codeAutomationExit', (code) => {
    // In an extension development window VS Code ends the run when its extension host dies; after a kill the suite
    // asked for, the window is reloaded instead, as an engineer would, and the suite goes on in the new host.
    if (session.killedHost) {
      session.killedHost = false;
      console.log(`  ↻ VS Code reports the extension host gone (exit ${code}); the window reloads`);
      session.inRun = false;
      session.page.reload().catch((error) => console.error(`e2e: reload after the kill failed: ${error.message}`));
      return;
    }
    reportExit(Number(code));
  });
  await page.exposeFunction('codeAutomationLog', (type, args) => onAutomationLog(session, type, args));
  // A window reload ends the extension host mid-run; what the workbench logs while unloading is not the run's.
  await page.exposeFunction('lendosWindowUnloading', () => {
    if (session.inRun)
      console.log('  ↻ the window reloads: the extension host restarts and runs the suite again');
    session.inRun = false;
  });
  await page.addInitScript(() =>
    globalThis.addEventListener('beforeunload', () => globalThis.lendosWindowUnloading()),
  );
  page.on('console', (message) => session.browserLog.write(`[${message.type()}] ${message.text()}\n`));
  page.on('pageerror', (error) => session.browserLog.write(`[pageerror] ${error.stack ?? error.message}\n`));
  page.on('crash', () => {
    console.error('e2e: the browser page crashed');
    reportExit(1);
  });
  return { exit };
}

function overallTimeout(session) {
  return new Promise((resolve) => {
    session.timer = setTimeout(async () => {
      console.error(`e2e: no result after ${timeoutMs / 1000} s; see test-artifacts/screenshots/timeout.png`);
      if (session.page) await saveScreenshot(session, 'timeout').catch(() => {});
      resolve(1);
    }, timeoutMs);
  });
}

/**
 * Lines from the workbench. Between LENDOS_E2E_START and LENDOS_E2E_TOTALS they are the mocha run (to stdout);
 * the rest is the workbench's own logging (to test-artifacts/workbench.log). Screenshot requests are served.
 */
async function onAutomationLog(session, type, args) {
  const text = Array.isArray(args) ? util.format(...args) : String(args ?? '');
  for (const line of text.split('\n')) {
    const [marker, ...rest] = line.trim().split(' ');
    const payload = rest.join(' ');
    if (marker === 'LENDOS_SCREENSHOT') await screenshotOnRequest(session, payload);
    else if (marker === 'LENDOS_UI') await uiOnRequest(session, payload);
    else if (marker === 'LENDOS_KILL_EXTENSION_HOST') killExtensionHost(session, Number(payload));
    else if (marker === 'LENDOS_E2E_TEST') session.outcomes.record(parseOutcome(payload));
    else if (marker === 'LENDOS_E2E_START' || marker === 'LENDOS_E2E_TOTALS')
      session.inRun = marker === 'LENDOS_E2E_START';
    else if (!session.inRun) session.workbenchLog.write(`[${type}] ${line}\n`);
    else (type === 'error' ? process.stderr : process.stdout).write(`${line}\n`);
  }
}

/** SIGKILL to the extension host the suite runs in (a descendant of our code-server), as a crash would end it. */
function killExtensionHost(session, pid) {
  if (!Number.isInteger(pid) || pid <= 1) return console.error(`e2e: bad extension host pid "${pid}"`);
  console.log(`  ✖ killing the extension host (pid ${pid}, SIGKILL) mid-upgrade`);
  session.killedHost = true;
  // Should VS Code not report the loss, reload anyway after a while.
  setTimeout(() => {
    if (!session.killedHost || !session.page) return;
    session.killedHost = false;
    console.log('  ↻ no report of the extension host loss in 20 s; the window reloads');
    session.inRun = false;
    session.page.reload().catch(() => {});
  }, 20_000).unref();
  try {
    process.kill(pid, 'SIGKILL');
  } catch (error) {
    session.killedHost = false;
    console.error(`e2e: could not kill the extension host: ${error.message}`);
  }
}

function parseOutcome(payload) {
  try {
    return JSON.parse(payload);
  } catch {
    return { outcome: 'fail', title: `unreadable test result: ${payload}` };
  }
}

async function screenshotOnRequest(session, name) {
  try {
    const file = await saveScreenshot(session, name);
    console.log(`  📷 ${path.relative(projectRoot, file)}`);
  } catch (error) {
    console.error(`e2e: screenshot ${name} failed: ${error.message}`);
  }
}

/**
 * What a person does with the mouse and keyboard, asked for by a test (`ui()` in the harness): click an element (a
 * CSS selector, optionally the one with a text), press a key, or type. The answer goes to `<artifacts>/.ui/<id>.json`.
 */
async function uiOnRequest(session, payload) {
  let request;
  let answer = { ok: true };
  try {
    request = JSON.parse(payload);
    const { page } = session;
    if (request.action === 'click') {
      // `within`: the element (e.g. a tree row) to hover first, whose inline actions show only then.
      let scope = page;
      if (request.within) {
        scope = page.locator(request.within.selector, request.within.text ? { hasText: request.within.text } : {}).first();
        await scope.hover({ timeout: 10_000 });
      }
      const target = request.selector ? scope.locator(request.selector, request.text ? { hasText: request.text } : {}).first() : scope;
      const timeout = request.timeoutMs ?? 10_000;
      // `optional`: a click only if the element shows up in time (e.g. a picker that appears only sometimes).
      if (request.optional && !(await target.waitFor({ state: 'visible', timeout }).then(() => true, () => false))) {
        answer = { ok: true, clicked: false };
      } else {
        await target.click({ timeout, button: request.button === 'right' ? 'right' : 'left' });
        answer = { ok: true, clicked: true };
      }
    } else if (request.action === 'press') await page.keyboard.press(request.key);
    else if (request.action === 'type') await page.keyboard.type(request.text, { delay: 20 });
    else throw new Error(`unknown ui action ${request.action}`);
  } catch (error) {
    answer = { ok: false, error: error.message.split('\n')[0] };
    // What the page looked like when the action could not be done.
    await session.page?.screenshot({ path: path.join(artifactsDir, `ui-failed-${request?.id ?? 'unknown'}.png`) }).catch(() => {});
  }
  if (!/^[a-z0-9-]+$/.test(String(request?.id))) return console.error(`e2e: ui request without an id: ${payload}`);
  await mkdir(path.join(screenshotsDir, '.ui'), { recursive: true });
  await writeFile(path.join(screenshotsDir, '.ui', `${request.id}.json`), JSON.stringify(answer));
}

async function saveScreenshot(session, name) {
  if (!/^[a-z0-9][a-z0-9-]*$/i.test(name)) throw new Error(`bad screenshot name "${name}"`);
  const file = path.join(screenshotsDir, `${name}.png`);
  await session.page.screenshot({ path: file });
  await writeFile(path.join(screenshotsDir, `${name}.done`), '');
  return file;
}

/** Stops the browser and code-server's whole process group; safe to call twice (Ctrl-C during teardown). */
async function tearDown(session) {
  clearTimeout(session.timer);
  const { browser, server } = session;
  session.browser = undefined;
  session.server = undefined;
  let closeTimer;
  const closeTimeout = new Promise((resolve) => (closeTimer = setTimeout(resolve, 10_000)));
  await Promise.race([browser?.close().catch(() => {}), closeTimeout]);
  clearTimeout(closeTimer);
  await server?.stop();
  await session.world?.stop();
  session.world = undefined;
  for (const stream of [session.serverLog, session.browserLog, session.workbenchLog]) stream?.end();
  if (process.env.E2E_KEEP === '1') console.log(`e2e: kept ${session.runDir}`);
  else await rm(session.runDir, { recursive: true, force: true });
}

process.exitCode = await main();
