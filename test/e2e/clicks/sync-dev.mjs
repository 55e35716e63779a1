// By hand: a dev sync (Section 4) in the window where a release is under way — from the command palette, the request
// marked done by its row's ✓, ▶ on each step, the tag form filled by clicks and typing, the values-tags change
// applied from its CodeLens, and the sync's real modal answered by a click. Nothing answers for the person.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { modal, runStep as runShared, waitDone as waitShared } from './lib.mjs';

const exec = promisify(execFile);
const DEV_BUILD = 'deploy/dev-2025.4.0.3405';

export const title = 'syncs dev from the welcome page or the command palette: the changelog, the signing portal on a dev build, both Argo CD apps synced after the modal';

const row = (page, stepTitle) => page.locator(`.monaco-list-row[aria-label^="${stepTitle} (dev),"]`);

/** @param {{page: import('playwright-core').Page, world: {description: {workspace: {workloads: string}}}, screenshot: (name: string) => Promise<string>}} context */
export async function run({ page, world, screenshot }) {
  // The LendOS icon opens the Release view (a click on it while the view shows would close it).
  const icon = page.locator('.activitybar .action-item', { has: page.locator('.action-label[aria-label^="LendOS"]') });
  await icon.waitFor({ timeout: 60_000 });
  if (!(await icon.evaluate((element) => element.classList.contains('checked')))) await icon.locator('.action-label').click();
  // With no release in the workspace the welcome page offers it; with one under way, the command palette does.
  const welcome = page.locator('.welcome-view-content a, .welcome-view-content .monaco-button', { hasText: 'Sync the dev environment' }).first();
  if (await welcome.waitFor({ timeout: 5_000 }).then(() => true, () => false)) {
    await welcome.click();
  } else {
    await page.keyboard.press('F1');
    await page.locator('.quick-input-widget .quick-input-box input').waitFor({ timeout: 10_000 });
    await page.keyboard.type('LendOS: Sync Dev Environment', { delay: 10 });
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Sync Dev Environment' }).first().click({ timeout: 30_000 });
  }
  await page.locator('.monaco-list-row', { hasText: 'Dev sync' }).first().waitFor({ timeout: 30_000 });

  // The request marked done by the row's inline ✓ (Mark Step Done), shown on hover like ▶.
  const request = row(page, 'Product requests a sync');
  await request.waitFor({ timeout: 30_000 });
  await page.waitForTimeout(1_000);
  await request.hover();
  await request.locator('.action-label[aria-label^="Mark Step Done"]').click({ timeout: 10_000 });
  const picker = page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Product requests a sync' }).first();
  if (await picker.waitFor({ timeout: 2_000 }).then(() => true, () => false)) await picker.click();
  await waitShared(page, request, 'Product requests a sync');

  await step(page, 'Generate the changelog since the last sync');
  await waitShared(page, row(page, 'Generate the changelog since the last sync'), 'the changelog');

  await step(page, "Set dev's image tags");
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'signing-portal:' }).click({ timeout: 60_000 });
  // The field's input box, with its proposed value selected: what is typed replaces it.
  await page.locator('.quick-input-widget .quick-input-title', { hasText: 'signing-portal' }).waitFor({ timeout: 10_000 });
  await page.waitForTimeout(300);
  await page.keyboard.type(DEV_BUILD, { delay: 10 });
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Confirm and run' }).click({ timeout: 30_000 });
  await page.locator('.codelens-decoration a', { hasText: 'Apply and open the PR' }).click({ timeout: 60_000 });
  await waitShared(page, row(page, "Set dev's image tags"), "dev's tags", 180_000);

  await step(page, 'Sync Argo CD applications');
  const dialog = await modal(page, 'Sync Argo CD applications', 60_000);
  await dialog.locator('.monaco-button', { hasText: 'Sync Dev' }).click();
  await waitShared(page, row(page, 'Sync Argo CD applications'), 'the sync', 120_000);
  await page.keyboard.press('Escape');
  await screenshot('dev-sync-by-hand');

  // What a person would check afterwards: main of lendos-eks-workloads holds the signing portal's dev build.
  const workloads = world.description.workspace.workloads;
  await exec('git', ['-C', workloads, 'fetch', '-q', 'origin']);
  const { stdout } = await exec('git', ['-C', workloads, 'show', 'origin/main:values-tags-dev.yaml']);
  assert.equal(stdout.match(/tag: dev-2025\.4\.0\.3405/g)?.length, 2, stdout);
}

function step(page, stepTitle) {
  return runShared(page, row(page, stepTitle), stepTitle);
}
