// The e2e flows a person does by hand in a normal VS Code window, driven from here through the browser alone.
// The mocha suites run in an extension test window, where VS Code refuses modal dialogs (its DialogService answers
// "cancel"); these flows open the installed extension in a window that is not a test run, so its modals show and are
// clicked, and nothing answers for the person. Each flow is a module of test/e2e/clicks/ exporting `title` and `run`.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { startCodeServer } from '../code-server.mjs';
import { projectRoot, secondsSince } from './paths.mjs';
import { prepareRehearsalWorkspace } from './rehearsal-workspace.mjs';

const flowsDir = path.join(projectRoot, 'test', 'e2e', 'clicks');

/** The flows whose title matches `grep` (all without one), in file-name order. */
export async function clickFlows(grep) {
  const files = (await readdir(flowsDir)).filter((file) => file.endsWith('.mjs')).sort();
  const flows = [];
  for (const file of files) {
    const flow = await import(pathToFileURL(path.join(flowsDir, file)).href);
    // A module without `run` (lib.mjs) holds what the flows share.
    if (typeof flow.run !== 'function') continue;
    const title = `By hand (${file.replace(/\.mjs$/, '')}) ${flow.title}`;
    if (!grep || new RegExp(grep).test(title)) flows.push({ title, run: flow.run, scenario: flow.scenario ?? 'e2e' });
  }
  return flows;
}

/**
 * Runs `flows` on worlds and code-servers of their own (the VSIX installed in `extensionsDir`), one per scenario the
 * flows name (`export const scenario`, default `e2e`), each in a new page of `browser`; each outcome is recorded in
 * `outcomes` and printed as mocha would.
 * @param {{flows: {title: string, run: Function}[], browser: import('playwright-core').BrowserContext,
 *   runDir: string, extensionsDir: string, outcomes: {record: Function}, screenshot: (page: unknown, name: string) => Promise<string>,
 *   log: (line: string) => void}} options
 */
export async function runClickFlows({ flows, browser, runDir, extensionsDir, outcomes, screenshot, log }) {
  if (flows.length === 0) return;
  console.log('\n  By hand, in a window that is not a test run');
  const scenarios = [...new Set(flows.map((flow) => flow.scenario))];
  for (const scenario of scenarios) {
    const group = flows.filter((flow) => flow.scenario === scenario);
    await runOnWorld(scenario, group, { browser, runDir, extensionsDir, outcomes, screenshot, log });
  }
}

async function runOnWorld(scenario, flows, { browser, runDir, extensionsDir, outcomes, screenshot, log }) {
  const name = scenario === 'e2e' ? 'clicks' : `clicks-${scenario}`;
  const world = await prepareRehearsalWorkspace({ dir: path.join(runDir, `${name}-world`), scenario });
  let server;
  let page;
  try {
    server = await startCodeServer({
      workspace: world.workspace,
      extensionsDir,
      runDir: path.join(runDir, `${name}-code-server`),
      settings: { 'git.openRepositoryInParentFolders': 'never' },
      log,
    });
    page = await browser.newPage();
    page.on('console', (message) => log(`[browser ${message.type()}] ${message.text()}`));
    await page.goto(server.openUrl);
    for (const flow of flows) await runOne(flow, { page, world, screenshot: (shot) => screenshot(page, shot) }, outcomes);
  } finally {
    await page?.close().catch(() => {});
    await server?.stop();
    await world.stop();
  }
}

async function runOne(flow, context, outcomes) {
  const startedAt = performance.now();
  try {
    await flow.run(context);
    outcomes.record({ outcome: 'pass', title: flow.title });
    console.log(`    ✔ ${flow.title} (${secondsSince(startedAt)} s)`);
  } catch (error) {
    outcomes.record({ outcome: 'fail', title: flow.title });
    console.log(`    ✖ ${flow.title}\n      ${String(error.stack ?? error.message).replace(/\n/g, '\n      ')}`);
    await context.screenshot(`failed-${flow.title.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}`).catch(() => {});
  }
}
