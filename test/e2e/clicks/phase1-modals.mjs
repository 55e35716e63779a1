// By hand, in a window that is not a test run (scripts/lib/click-flows.mjs): start a release from the Release view's
// welcome button, type its version into the input box, then ▶ on 1.1 and 1.2 and answer their modal dialogs — the
// cut-and-push question, and VERSION's diff — by clicking their buttons. Nothing answers for the person here.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { modal, runStep as runShared, waitDone as waitDoneShared } from './lib.mjs';

const VERSION = '2025.4.0';
const BRANCH = `release/${VERSION}`;

export const title = 'starts a release from the welcome button, then 1.1 and 1.2 by ▶, their modal dialogs answered by clicks';

/** @param {{page: import('playwright-core').Page, world: {workspace: string}, screenshot: (name: string) => Promise<string>}} context */
export async function run({ page, world, screenshot }) {
  // The activity bar's LendOS icon opens the Release view, whose welcome offers the first step.
  await page.locator('.activitybar .action-item .action-label[aria-label^="LendOS"]').click({ timeout: 60_000 });
  await page.locator('.welcome-view-content .monaco-button', { hasText: 'Start a release' }).click({ timeout: 30_000 });
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type(VERSION, { delay: 20 });
  await page.keyboard.press('Enter');

  await runStep(page, 'Cut release branch');
  const cut = await modal(page, `Cut ${BRANCH} from`);
  await cut.locator('.monaco-button', { hasText: 'Cut and Push' }).click();
  await waitDone(page, 'Cut release branch');

  await runStep(page, 'Update VERSION file');
  const bump = await modal(page, `Write ${VERSION} to VERSION on ${BRANCH}`);
  // The dialog's detail is the change itself: the line that goes and the line that comes.
  assert.match(await bump.innerText(), new RegExp(`\\+${VERSION.replace(/\./g, '\\.')}`));
  await screenshot('version-modal');
  await bump.locator('.monaco-button', { hasText: 'Commit and Push' }).click();
  await waitDone(page, 'Update VERSION file');
  await page.keyboard.press('Escape');
  await screenshot('phase1-by-hand');

  // What a person would check afterwards: origin has the branch, and VERSION on it says the release.
  const git = (...args) => promisify(execFile)('git', ['-C', world.workspace, ...args]).then(({ stdout }) => stdout.trim());
  const [remote] = (await git('ls-remote', 'origin', `refs/heads/${BRANCH}`)).split('\t');
  assert.match(remote, /^[0-9a-f]{40}$/, `origin has ${BRANCH}`);
  assert.equal(await git('show', `${remote}:VERSION`), VERSION);
}

/** The step's row in the Release view. */
function row(page, stepTitle) {
  return page.locator('.monaco-list-row', { hasText: stepTitle }).first();
}

/** ▶ on the step. */
function runStep(page, stepTitle) {
  return runShared(page, row(page, stepTitle), stepTitle);
}

/** Waits until the step reads "done". */
function waitDone(page, stepTitle) {
  return waitDoneShared(page, row(page, stepTitle), stepTitle);
}
