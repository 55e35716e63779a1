// code-server 4.100.3 (VS Code 1.100.3 on Node 20): installed on demand into a cache outside the clone, then
// started detached in its own process group. Each flag is explained where it is set.
// CLI: `node scripts/code-server.mjs install` | `node scripts/code-server.mjs version`
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { installCodeServerInto } from './lib/code-server-install.mjs';
import { cacheDir, secondsSince } from './lib/paths.mjs';
import { capture, spawnGroup, stopGroup } from './lib/processes.mjs';

export const codeServerVersion = '4.100.3';

/** The folder holding `bin/code-server` once installed. */
export function codeServerHome() {
  return path.join(cacheDir(), `code-server-${codeServerVersion}`);
}

/** Installs code-server unless a working copy is cached; returns the path of its binary. */
export async function ensureCodeServer() {
  const home = codeServerHome();
  const binary = path.join(home, 'bin', 'code-server');
  if (await reportsVersion(binary)) return binary;
  if (existsSync(home)) {
    console.log(`code-server: ${home} does not run; reinstalling`);
    await rm(home, { recursive: true, force: true });
  }
  await removeAbandonedInstalls(home);
  const startedAt = performance.now();
  // Install beside the final folder and rename at the end, so an interrupted install is never mistaken for a good one.
  const staging = `${home}.partial-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  try {
    await installCodeServerInto(staging, codeServerVersion);
    if (!(await reportsVersion(path.join(staging, 'bin', 'code-server')))) {
      throw new Error(
        `code-server: the fresh install in ${staging} does not report version ${codeServerVersion}`,
      );
    }
    await rename(staging, home);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    // Another process may have finished the same install first.
    if (await reportsVersion(binary)) return binary;
    throw error;
  }
  if (!(await reportsVersion(binary)))
    throw new Error(`code-server: ${binary} does not run after the install`);
  console.log(`code-server: ${codeServerVersion} installed in ${home} (${secondsSince(startedAt)} s)`);
  return binary;
}

/** Removes `<home>.partial-<pid>` folders whose installing process is gone (killed mid-install). */
async function removeAbandonedInstalls(home) {
  const prefix = `${path.basename(home)}.partial-`;
  const entries = existsSync(path.dirname(home)) ? await readdir(path.dirname(home)) : [];
  for (const entry of entries.filter((name) => name.startsWith(prefix))) {
    if (processAlive(Number(entry.slice(prefix.length)))) continue;
    console.log(`code-server: removing the abandoned install ${entry}`);
    await rm(path.join(path.dirname(home), entry), { recursive: true, force: true });
  }
}

function processAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

async function reportsVersion(binary) {
  if (!existsSync(binary)) return false;
  // code-server writes a default config.yaml (and logs that on stdout) on its first run: keep that out of ~.
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'lendos-code-server-version-'));
  const env = { ...process.env, XDG_CONFIG_HOME: scratch, XDG_DATA_HOME: scratch, XDG_CACHE_HOME: scratch };
  try {
    const output = await capture(binary, ['--version'], { timeout: 60_000, env });
    if (output.split('\n').some((line) => line.startsWith(`${codeServerVersion} `))) return true;
    console.log(`code-server: ${binary} --version printed ${JSON.stringify(output.trim())}`);
    return false;
  } catch (error) {
    console.log(`code-server: ${binary} --version failed: ${error.message}`);
    return false;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/**
 * Starts code-server on 127.0.0.1 with a fresh profile in `runDir` and waits for `/healthz`.
 * `env` is added to its environment; the extension host inherits it.
 * `settings` are merged into the fresh profile's user settings. `openUrl` opens the workspace, and loads the
 * extension at `extensionDevelopmentPath` (and runs `extensionTestsPath`) when given; `url` is the bare server.
 * @param {{workspace: string, runDir: string, port?: number, extensionsDir?: string, env?: Record<string,string>,
 *   settings?: Record<string, unknown>, extensionDevelopmentPath?: string, extensionTestsPath?: string,
 *   log?: (line: string) => void}} options
 * @returns {Promise<{url: string, openUrl: string, port: number, pid: number, exited: Promise<number|string>,
 *   stop: () => Promise<void>}>}
 */
export async function startCodeServer(options) {
  const binary = await ensureCodeServer();
  const port = options.port ?? (await freePort());
  const dirs = await runDirs(options.runDir, options.settings);
  const extensionsDir = options.extensionsDir ?? dirs.extensions;
  const args = [
    ...['--bind-addr', `127.0.0.1:${port}`, '--auth', 'none'],
    ...['--user-data-dir', dirs.userData, '--extensions-dir', extensionsDir],
    ...['--disable-telemetry', '--disable-update-check', '--disable-workspace-trust'],
    ...['--disable-getting-started-override', '--ignore-last-opened'],
    options.workspace,
  ];
  const env = {
    ...process.env,
    ...options.env,
    EXTENSIONS_GALLERY: '{}',
    TMPDIR: dirs.tmp,
    XDG_CONFIG_HOME: dirs.config,
    XDG_DATA_HOME: dirs.data,
    XDG_CACHE_HOME: dirs.cache,
  };
  const child = spawnGroup(binary, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = options.log ?? (() => {});
  for (const stream of [child.stdout, child.stderr]) {
    stream.setEncoding('utf8');
    stream.on('data', (text) =>
      text
        .split('\n')
        .filter(Boolean)
        .forEach((line) => log(line)),
    );
  }
  const stop = () => stopGroup(child);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHealthz(url, child, 60_000);
  } catch (error) {
    await stop();
    throw error;
  }
  const { workspace, extensionDevelopmentPath, extensionTestsPath } = options;
  const openUrl = workbenchUrl({ url, port, workspace, extensionDevelopmentPath, extensionTestsPath });
  return { url, openUrl, port, pid: child.pid, exited, stop };
}

async function runDirs(runDir, extraSettings = {}) {
  const dirs = {
    userData: path.join(runDir, 'user-data'),
    extensions: path.join(runDir, 'extensions'),
    tmp: path.join(runDir, 'tmp'),
    config: path.join(runDir, 'xdg', 'config'),
    data: path.join(runDir, 'xdg', 'data'),
    cache: path.join(runDir, 'xdg', 'cache'),
  };
  await Promise.all(Object.values(dirs).map((dir) => mkdir(dir, { recursive: true })));
  await writeUserSettings(path.join(dirs.userData, 'User', 'settings.json'), extraSettings);
  return dirs;
}

/** Merges our keys into the profile's settings.json; a file a person edited (comments) is left alone. */
async function writeUserSettings(file, extraSettings) {
  // Keeps the first start quiet: no welcome page, no trust prompt, no telemetry.
  const ours = {
    'workbench.startupEditor': 'none',
    'security.workspace.trust.enabled': false,
    'telemetry.telemetryLevel': 'off',
    ...extraSettings,
  };
  let existing = {};
  if (existsSync(file)) {
    try {
      existing = JSON.parse(await readFile(file, 'utf8'));
    } catch {
      return;
    }
  }
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify({ ...existing, ...ours }, null, 2) + '\n');
}

/** An ephemeral port that is free now (code-server takes a port number, not 0). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitForHealthz(url, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`code-server exited with ${child.exitCode} before it listened`);
    if (await answers(`${url}/healthz`)) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`code-server did not answer ${url}/healthz within ${timeoutMs / 1000} s`);
}

function answers(url) {
  return new Promise((resolve) => {
    const request = http.get(url, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.on('error', () => resolve(false));
    request.setTimeout(2000, () => request.destroy());
  });
}

/**
 * The workbench URL that opens `workspace` and, through VS Code's automation payload, loads the extension
 * from `extensionDevelopmentPath` and (optionally) runs the tests at `extensionTestsPath` in the remote host.
 */
export function workbenchUrl({ url, port, workspace, extensionDevelopmentPath, extensionTestsPath }) {
  const remote = (file) => `vscode-remote://127.0.0.1:${port}${file}`;
  const folder = `${url}/?folder=${encodeURIComponent(workspace)}`;
  if (!extensionDevelopmentPath && !extensionTestsPath) return folder;
  const payload = [['skipWelcome', 'true']];
  if (extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remote(extensionDevelopmentPath)]);
  if (extensionTestsPath) payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
  return `${folder}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

async function main(command) {
  if (command === 'install') {
    console.log(`code-server: ${await ensureCodeServer()} (${codeServerVersion})`);
  } else if (command === 'version') {
    const binary = path.join(codeServerHome(), 'bin', 'code-server');
    console.log((await reportsVersion(binary)) ? binary : 'not installed');
  } else {
    console.error('usage: node scripts/code-server.mjs install|version');
    process.exitCode = 2;
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main(process.argv[2]).catch((error) => {
    console.error(error.message);
    process.exitCode = 1;
  });
}
