// Debian's Chromium driven by playwright-core (never `npx playwright install`: it downloads a browser).
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium } from 'playwright-core';

export const chromiumPath = process.env.LENDOS_CHROMIUM || '/usr/bin/chromium';
export const viewport = { width: 1400, height: 900 };

const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Starts headless Chromium with a fresh profile in `<runDir>/chromium` and HOME/XDG pointed there too,
 * so nothing lands in the user's home. Returns the persistent context (close it to stop the browser).
 */
export async function launchChromium(runDir) {
  const home = path.join(runDir, 'chromium');
  const dirs = {
    profile: path.join(home, 'profile'),
    config: path.join(home, 'config'),
    cache: path.join(home, 'cache'),
  };
  await Promise.all(Object.values(dirs).map((dir) => mkdir(dir, { recursive: true })));
  const env = {
    ...process.env,
    HOME: home,
    XDG_CONFIG_HOME: dirs.config,
    XDG_CACHE_HOME: dirs.cache,
    XDG_DATA_HOME: home,
  };
  return chromium.launchPersistentContext(dirs.profile, {
    executablePath: chromiumPath,
    headless: true,
    args: chromiumArgs,
    env,
    viewport,
    // The calling script owns Ctrl-C: it closes the browser itself before stopping code-server.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
}
