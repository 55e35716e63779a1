// `npm run test:electron`: the e2e suites in desktop VS Code (Electron), where it can be downloaded — the runner the
// design names. code-server (`npm run test:e2e`) stays the default and is what `npm test` and CI run.
// Same as scripts/e2e.mjs: the VSIX `npm run package` builds, installed with VS Code's own CLI; the rehearsal world; the
// driver protocol of scripts/lib/e2e-driver.mjs. Playwright drives the Electron window (screenshots, clicks); the
// extension host's lines reach the driver through a file (LENDOS_E2E_LINES). When the suite kills the extension host
// and VS Code closes with it, VS Code is started again on the same profile, as an engineer would.
// Exit: 0 passed, 1 failed, 2 could not run here (no download, no display, no packages), said in one line with what to do.
// Env: LENDOS_VSCODE_EXECUTABLE (a desktop VS Code to use instead of downloading one), E2E_GREP, E2E_TIMEOUT_MS.
import { spawnSync } from 'node:child_process';
import { access, constants, mkdir, mkdtemp, open, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { _electron as electron } from 'playwright-core';
import { downloadAndUnzipVSCode, resolveCliPathFromVSCodeExecutablePath, SilentReporter } from '@vscode/test-electron';
import { TestOutcomes, onAutomationLog, screenshotsDir } from './lib/e2e-driver.mjs';
import { cacheDir, projectRoot, secondsSince } from './lib/paths.mjs';
import { run, sleep } from './lib/processes.mjs';
import { installVsix } from './lib/vsix.mjs';
import { prepareRehearsalWorkspace } from './lib/rehearsal-workspace.mjs';
import { ensureSystemPackages } from './lib/system-packages.mjs';

/** The VS Code inside code-server 4.100.3, so both runners show the same workbench. */
const VSCODE_VERSION = '1.100.3';
const timeoutMs = Number(process.env.E2E_TIMEOUT_MS) || 15 * 60_000;
const testsIndex = path.join(projectRoot, 'out', 'test', 'e2e', 'index.js');

class CannotRun extends Error {}

/** A desktop VS Code: LENDOS_VSCODE_EXECUTABLE, else the pinned version downloaded once into the cache. */
async function desktopVSCode() {
  const given = process.env.LENDOS_VSCODE_EXECUTABLE;
  if (given) {
    await access(given, constants.X_OK).catch(() => {
      throw new CannotRun(`LENDOS_VSCODE_EXECUTABLE=${given} is not an executable: point it at desktop VS Code's \`code\`, or unset it to download VS Code ${VSCODE_VERSION}.`);
    });
    return given;
  }
  try {
    return await downloadAndUnzipVSCode({ version: VSCODE_VERSION, cachePath: path.join(cacheDir(), 'vscode-test'), reporter: new SilentReporter(), timeout: 30_000 });
  } catch (error) {
    throw new CannotRun(
      `desktop VS Code ${VSCODE_VERSION} could not be downloaded from update.code.visualstudio.com (${String(error.message ?? error).split('\n')[0]}). ` +
        'Run the same suites in code-server instead: npm run test:e2e (needs no download), or set LENDOS_VSCODE_EXECUTABLE to an installed VS Code.',
    );
  }
}

/** Electron needs a display: DISPLAY, else this script again under xvfb-run (installed with the packages). */
function needsDisplay() {
  if (process.env.DISPLAY) return false;
  if (spawnSync('sh', ['-c', 'command -v xvfb-run']).status !== 0) throw new CannotRun('desktop VS Code needs a display: set DISPLAY, or install xvfb (apt-get install xvfb).');
  return true;
}

/** The VSIX installed with the downloaded VS Code's CLI, into this run's own profile folders. */
async function installPackage(vscode, runDir) {
  const dirs = { userData: path.join(runDir, 'user-data'), extensions: path.join(runDir, 'extensions') };
  // The CLI alone: its Args sibling would add .vscode-test's own profile folders before ours.
  const installer = resolveCliPathFromVSCodeExecutablePath(vscode);
  const installed = await installVsix({ runDir, extensionsDir: dirs.extensions, installer, args: ['--user-data-dir', dirs.userData] });
  return { ...dirs, installed };
}

/** Feeds the driver every new line of the extension host's line file (JSON: {type, line}) until `stop()`. */
function followLines(file, session) {
  let stopped = false;
  const done = (async () => {
    let offset = 0;
    let partial = '';
    while (!stopped) {
      const handle = await open(file, 'r').catch(() => undefined);
      if (handle) {
        const { bytesRead, buffer } = await handle.read({ buffer: Buffer.alloc(1 << 16), position: offset });
        await handle.close();
        offset += bytesRead;
        const lines = (partial + buffer.subarray(0, bytesRead).toString('utf8')).split('\n');
        partial = lines.pop() ?? '';
        for (const text of lines.filter(Boolean)) {
          const { type, line } = JSON.parse(text);
          await onAutomationLog(session, type, [line]);
        }
        if (bytesRead > 0) continue;
      }
      await sleep(100);
    }
  })();
  return async () => {
    stopped = true;
    await done;
  };
}

/** One start of VS Code on the suite; resolves with its exit code when it closes. */
async function launch(session, vscode, dirs, world) {
  const app = await electron.launch({
    executablePath: vscode,
    args: [
      world.workspace,
      `--extensionDevelopmentPath=${dirs.installed}`,
      `--extensionTestsPath=${testsIndex}`,
      `--user-data-dir=${dirs.userData}`,
      `--extensions-dir=${dirs.extensions}`,
      ...['--disable-workspace-trust', '--skip-welcome', '--skip-release-notes', '--disable-updates', '--disable-telemetry', '--no-sandbox'],
    ],
    env: { ...process.env, LENDOS_E2E: '1', LENDOS_E2E_ARTIFACTS: screenshotsDir, LENDOS_E2E_WORLD: world.worldFile, LENDOS_E2E_LINES: session.linesFile },
    timeout: 120_000,
  });
  const exited = new Promise((resolve) => app.process().once('exit', (code) => resolve(code ?? 1)));
  session.app = app;
  session.page = await app.firstWindow();
  return exited;
}

async function runSuite(session, vscode) {
  await rm(screenshotsDir, { recursive: true, force: true });
  await mkdir(screenshotsDir, { recursive: true });
  const dirs = await installPackage(vscode, session.runDir);
  session.world = await prepareRehearsalWorkspace({ dir: path.join(session.runDir, 'world'), scenario: 'e2e' });
  session.linesFile = path.join(session.runDir, 'extension-host-lines.jsonl');
  session.workbenchLog = { write: () => {} };
  const stopFollowing = followLines(session.linesFile, session);
  try {
    for (;;) {
      const code = await launch(session, vscode, dirs, session.world);
      // The suite killed the extension host and VS Code closed with it: start it again, as an engineer would.
      if (!session.killedHost) return code;
      session.killedHost = false;
      session.inRun = false;
      console.log('  ↻ VS Code closed with its extension host; it starts again on the same profile');
    }
  } finally {
    await stopFollowing();
  }
}

async function main() {
  const startedAt = performance.now();
  try {
    const vscode = await desktopVSCode();
    await ensureSystemPackages('electron').catch((error) => {
      throw new CannotRun(error.message);
    });
    if (needsDisplay()) {
      const again = spawnSync('xvfb-run', ['-a', process.execPath, ...process.argv.slice(1)], { stdio: 'inherit' });
      return again.status ?? 1;
    }
    if (!process.argv.includes('--no-build')) await run('node', ['esbuild.mjs'], { cwd: projectRoot });
    const session = { runDir: await mkdtemp(path.join(os.tmpdir(), 'lendos-electron-')), outcomes: new TestOutcomes() };
    session.recover = () => session.page.reload();
    let code = 1;
    try {
      code = await Promise.race([runSuite(session, vscode), sleep(timeoutMs).then(() => 1)]);
    } finally {
      await session.app?.close().catch(() => {});
      await session.world?.stop();
      await rm(session.runDir, { recursive: true, force: true });
    }
    const failed = session.outcomes.count('fail');
    console.log(`test:electron: ${session.outcomes.count('pass')} passed, ${failed} failed in ${secondsSince(startedAt)} s`);
    return failed > 0 ? code || 1 : code;
  } catch (error) {
    if (!(error instanceof CannotRun)) throw error;
    console.error(`test:electron: cannot run here: ${error.message}`);
    return 2;
  }
}

process.exitCode = await main();
