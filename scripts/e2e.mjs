// e2e tests in a real VS Code: builds, starts a rehearsal world and code-server on its lendos workspace, opens the workbench in
// headless Chromium with VS Code's automation payload, and streams the extension-host mocha run to stdout.
// Env: E2E_GREP (mocha grep), E2E_TIMEOUT_MS (default 10 min), E2E_KEEP=1 (keep the temp run folder).
// What runs is what ships: the VSIX `npm run package` builds, installed into code-server with `--install-extension`
// and loaded from where code-server installed it (as the development extension, so the tests run in Test mode).
// `--no-build` uses the bundles as they are (e.g. while `npm run watch` runs); `--from-source` loads the extension
// from the project folder instead of the VSIX.
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ensureCodeServer, startCodeServer } from './code-server.mjs';
import { launchChromium } from './lib/browser.mjs';
import { clickFlows, runClickFlows } from './lib/click-flows.mjs';
import { installVsix } from './lib/vsix.mjs';
import { TestOutcomes, artifactsDir, onAutomationLog, saveScreenshot, screenshotsDir } from './lib/e2e-driver.mjs';
import { prepareRehearsalWorkspace } from './lib/rehearsal-workspace.mjs';
import { projectRoot, secondsSince } from './lib/paths.mjs';
import { onInterrupt, run } from './lib/processes.mjs';

// A closed pipe (the parent gone after Ctrl-C) must not crash the cleanup of code-server and Chromium.
process.stdout.on('error', () => {});
process.stderr.on('error', () => {});

const fromSource = process.argv.includes('--from-source');
const timeoutMs = Number(process.env.E2E_TIMEOUT_MS) || 10 * 60_000;
const testsIndex = path.join(projectRoot, 'out', 'test', 'e2e', 'index.js');

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
    await stopSuiteServer(session);
    if ((await Promise.race([runByHand(session), overallTimeout(session)])) === 1) exitCode = 1;
  } catch (error) {
    console.error(`e2e: ${error.stack ?? error.message}`);
    exitCode = 1;
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
  const extensionsDir = (session.extensionsDir = path.join(session.runDir, 'extensions'));
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

/** The flows done by hand in a window that is not a test run (scripts/lib/click-flows.mjs), on the same VSIX install. */
async function runByHand(session) {
  const flows = await clickFlows(process.env.E2E_GREP);
  if (!session.browser || flows.length === 0) return 0;
  if (fromSource) {
    console.log('e2e: the by-hand flows need the installed VSIX; not run with --from-source');
    return 0;
  }
  await runClickFlows({
    flows,
    browser: session.browser,
    runDir: session.runDir,
    extensionsDir: session.extensionsDir,
    outcomes: session.outcomes,
    screenshot: async (page, name) => {
      const file = await saveScreenshot({ page }, name);
      console.log(`      📷 ${path.relative(projectRoot, file)}`);
      return file;
    },
    log: (line) => session.serverLog?.write(`[by hand] ${line}\n`),
  });
  return 0;
}

/**
 * Stops the suite's page, code-server and world (once the suite reported: the by-hand flows start their own); safe to
 * call twice.
 */
async function stopSuiteServer(session) {
  clearTimeout(session.timer);
  const { page, server, world } = session;
  session.page = undefined;
  session.server = undefined;
  session.world = undefined;
  await page?.close().catch(() => {});
  await server?.stop();
  await world?.stop();
}

/** Builds the VSIX and installs it with code-server; returns the folder code-server installed it into. */
async function installPackage(runDir, extensionsDir) {
  const xdg = path.join(runDir, 'install-xdg');
  return installVsix({
    runDir,
    extensionsDir,
    installer: await ensureCodeServer(),
    args: ['--user-data-dir', path.join(runDir, 'install-user-data')],
    env: { ...process.env, EXTENSIONS_GALLERY: '{}', XDG_CONFIG_HOME: xdg, XDG_DATA_HOME: xdg },
  });
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
  // The workbench's own window only: webviews are frames of the page too, and close on their own.
  await page.addInitScript(() => {
    if (globalThis.top === globalThis) globalThis.addEventListener('beforeunload', () => globalThis.lendosWindowUnloading());
  });
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

/** Stops the browser, then code-server's whole process group and the world; safe to call twice (Ctrl-C during teardown). */
async function tearDown(session) {
  clearTimeout(session.timer);
  const { browser } = session;
  session.browser = undefined;
  let closeTimer;
  const closeTimeout = new Promise((resolve) => (closeTimer = setTimeout(resolve, 10_000)));
  await Promise.race([browser?.close().catch(() => {}), closeTimeout]);
  clearTimeout(closeTimer);
  await stopSuiteServer(session);
  for (const stream of [session.serverLog, session.browserLog, session.workbenchLog]) stream?.end();
  if (process.env.E2E_KEEP === '1') console.log(`e2e: kept ${session.runDir}`);
  else await rm(session.runDir, { recursive: true, force: true });
}

process.exitCode = await main();
