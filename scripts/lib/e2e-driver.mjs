// The driver's half of the e2e protocol (test/e2e/suite/harness.ts has the other): lines the extension host prints
// ask for screenshots, clicks, key presses and a kill of the extension host, and report each test's outcome. Shared by
// scripts/e2e.mjs (code-server in Chromium) and scripts/test-electron.mjs (desktop VS Code).
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import util from 'node:util';
import { projectRoot } from './paths.mjs';

export const artifactsDir = path.join(projectRoot, 'test-artifacts');
export const screenshotsDir = path.join(artifactsDir, 'screenshots');

/** Per-test outcomes by full title; a window reload re-runs the suite, so a later "pending" never hides a result. */
export class TestOutcomes {
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


/**
 * Lines from the workbench. Between LENDOS_E2E_START and LENDOS_E2E_TOTALS they are the mocha run (to stdout);
 * the rest is the workbench's own logging (to test-artifacts/workbench.log). Screenshot requests are served.
 */
/** The workbench's own lines that reach the console during a run: not the run's, so they go to workbench.log. */
const WORKBENCH_NOISE = /^(Ignoring fetching additional builtin extensions|Updating additional builtin extensions cache)/;

export async function onAutomationLog(session, type, args) {
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
    else if (!session.inRun || WORKBENCH_NOISE.test(line)) session.workbenchLog.write(`[${type}] ${line}\n`);
    else (type === 'error' ? process.stderr : process.stdout).write(`${line}\n`);
  }
}

/**
 * SIGKILL to the extension host the suite runs in (a descendant of the editor we started), as a crash would end it.
 * Should the editor not report the loss, `session.recover` (else a page reload) brings a new host after 20 s.
 */
function killExtensionHost(session, pid) {
  if (!Number.isInteger(pid) || pid <= 1) return console.error(`e2e: bad extension host pid "${pid}"`);
  console.log(`  ↯ killing the extension host (pid ${pid}, SIGKILL) mid-upgrade, as the crash test asks`);
  session.killedHost = true;
  // What the workbench says about the lost host until the reload is its own business (workbench.log), not the run's.
  session.inRun = false;
  // Should VS Code not report the loss, reload anyway after a while.
  setTimeout(() => {
    if (!session.killedHost || !session.page) return;
    session.killedHost = false;
    console.log('  ↻ no report of the extension host loss in 20 s; the window reloads');
    session.inRun = false;
    (session.recover ?? (() => session.page.reload()))().catch(() => {});
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
      // `frame: 'checklist'`: inside the release checklist's webview (two iframes down, as VS Code nests them).
      let scope = request.frame === 'checklist' ? checklistFrame(page) : page;
      if (request.within) {
        scope = scope.locator(request.within.selector, request.within.text ? { hasText: request.within.text } : {}).first();
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
    else if (request.action === 'focused') {
      // What has the keyboard focus (inside the checklist's webview with `frame`), by the name a screen reader says.
      const scope = request.frame === 'checklist' ? checklistFrame(page) : page;
      const focused = await scope.locator('body').evaluate((body) => {
        const element = body.ownerDocument.activeElement;
        if (!element || element === body) return undefined;
        return { tag: element.tagName.toLowerCase(), name: element.getAttribute('aria-label') || element.getAttribute('title') || (element.textContent ?? '').trim().slice(0, 120) };
      });
      answer = { ok: true, focused };
    }
    else if (request.action === 'type') await page.keyboard.type(request.text, { delay: 20 });
    else throw new Error(`unknown ui action ${request.action}`);
  } catch (error) {
    answer = { ok: false, error: error.message.split('\n')[0] };
    // What the page looked like when the action could not be done.
    await session.page?.screenshot({ path: path.join(artifactsDir, `ui-failed-${request?.id ?? 'unknown'}.png`) }).catch(() => {});
  }
  if (!/^[a-z0-9-]+$/.test(String(request?.id))) return console.error(`e2e: ui request without an id: ${payload}`);
  await mkdir(path.join(screenshotsDir, '.ui'), { recursive: true });
  // Written whole, then renamed: the test polls for the file and must never read half of it.
  const file = path.join(screenshotsDir, '.ui', `${request.id}.json`);
  await writeFile(`${file}.partial`, JSON.stringify(answer));
  await rename(`${file}.partial`, file);
}

function checklistFrame(page) {
  return page.frameLocator('iframe.webview[src*="extensionId=lendos.lendos-release"]').frameLocator('iframe#active-frame');
}

export async function saveScreenshot(session, name) {
  if (!/^[a-z0-9][a-z0-9-]*$/i.test(name)) throw new Error(`bad screenshot name "${name}"`);
  const file = path.join(screenshotsDir, `${name}.png`);
  await session.page.screenshot({ path: file });
  await writeFile(path.join(screenshotsDir, `${name}.done`), '');
  return file;
}
