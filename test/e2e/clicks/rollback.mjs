// By hand, in a window that is not a test run (scripts/lib/click-flows.mjs), on a world whose production upgrade fails
// for good (`production-upgrade-fails`): the upgrade is run to its failure first (rollback-setup.ts, through the
// engine), then production is rolled back by RDS restore from the Release view — ▶ on each of the eight steps, bxci
// typed into every confirmation, the snapshot form confirmed, the values-tags revert applied from its CodeLens.
// Nothing answers for the person here. Production ends on the previous version, validated, the old cluster kept.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../../../scripts/lib/paths.mjs';
import { runStep as runShared, waitDone as waitShared } from './lib.mjs';

const exec = promisify(execFile);
const KEPT = 'canton-20241104-0324-failed-2025-4-0';

export const title = 'rolls production back by RDS restore after its upgrade failed for good: ▶ on each step, bxci typed, the snapshot and the revert confirmed by clicks';
export const scenario = 'production-upgrade-fails';

/** @param {{page: import('playwright-core').Page, world: {workspace: string, worldFile: string, env: Record<string,string>}, screenshot: (name: string) => Promise<string>}} context */
export async function run({ page, world, screenshot }) {
  const tsx = path.join(projectRoot, 'node_modules', '.bin', 'tsx');
  const setup = await exec(tsx, [path.join(projectRoot, 'test', 'e2e', 'clicks', 'rollback-setup.ts'), world.worldFile], { cwd: projectRoot, env: { ...process.env, ...world.env } });
  assert.match(setup.stdout, /cleanup-upgraders/, 'production failed at cleanup-upgraders');

  await page.locator('.activitybar .action-item .action-label[aria-label^="LendOS"]').click({ timeout: 60_000 });
  await page.locator('.monaco-list-row', { hasText: 'Release 2025.4.0' }).first().waitFor({ timeout: 60_000 });
  // Production's failed phase folded away, the production rollback unfolded: the eight steps in sight.
  await toggle(page, 'Phase 3 · Production deployment');
  await toggle(page, 'Recovery');
  await toggle(page, 'Roll back production by RDS restore');

  await runStep(page, 'Stop all services');
  await typeBxci(page, 'Stop everything for the rollback');
  await waitDone(page, 'Stop all services');

  await runStep(page, 'Choose the snapshot');
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Confirm and run' }).click({ timeout: 30_000 });
  await waitDone(page, 'Choose the snapshot');

  await runStep(page, 'Rename the cluster away');
  await typeBxci(page, 'Rename the Canton cluster canton-20241104-0324');
  await waitDone(page, 'Rename the cluster away');

  await runStep(page, 'Restore the snapshot');
  await typeBxci(page, 'Restore canton-upgrade-2025-4-0-');
  await page.locator(`${rowSelector('Restore the snapshot')} .label-description`, { hasText: 'restoring' }).waitFor({ timeout: 60_000 });
  await screenshot('rollback-restoring');
  await waitDone(page, 'Restore the snapshot', 180_000);

  await runStep(page, 'Revert the values-tags PR');
  await page.locator('.codelens-decoration a', { hasText: 'Apply and open the revert PR' }).click({ timeout: 60_000 });
  await waitDone(page, 'Revert the values-tags PR', 120_000);

  for (const [step, question] of [
    ['Sync Argo CD to the previous tags', 'Sync Argo CD applications'],
    ['Scale services back up', 'Scale the services back up'],
  ]) {
    await runStep(page, step);
    await typeBxci(page, question);
    await waitDone(page, step, 120_000);
  }
  await runStep(page, 'Validate the previous version');
  await waitDone(page, 'Validate the previous version', 120_000);
  await page.keyboard.press('Escape');
  await screenshot('rollback-done');

  // What a person would check afterwards: the report says so.
  const report = await exec(process.execPath, [path.join(projectRoot, 'dist', 'cli.js'), 'report', '--world', world.worldFile], { cwd: world.workspace, env: { ...process.env, ...world.env } });
  assert.ok(report.stdout.includes(`old cluster kept as ${KEPT.replace(/-/g, '\\-')}`), report.stdout);
  assert.match(report.stdout, /\| 3\.4 \| Validate the previous version \| succeeded \|/);
}

function rowSelector(stepTitle) {
  return `.monaco-list-row[aria-label^="${stepTitle} (production),"]`;
}

/** Clicks a phase's or group's row to fold or unfold it. */
async function toggle(page, label) {
  const row = page.locator('.monaco-list-row', { hasText: label }).first();
  await row.waitFor({ timeout: 30_000 });
  await row.click();
  await page.waitForTimeout(500);
}

/** ▶ on production's step. */
function runStep(page, stepTitle) {
  return runShared(page, page.locator(rowSelector(stepTitle)), stepTitle);
}

/** Production's confirmation: the input box asking `question`, answered by typing bxci. */
async function typeBxci(page, question) {
  await page.locator('.quick-input-widget .quick-input-title', { hasText: question }).waitFor({ timeout: 60_000 });
  await page.keyboard.type('bxci', { delay: 20 });
  await page.keyboard.press('Enter');
}

/** Waits until production's step reads "done". */
function waitDone(page, stepTitle, timeout = 60_000) {
  return waitShared(page, page.locator(rowSelector(stepTitle)), stepTitle, timeout);
}
