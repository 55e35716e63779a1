/**
 * The DAML upgrade in production (BXCI), from the tree, on the rehearsal world's `e2e` scenario — after staging passed
 * in upgrade.test.ts. Every mutating step asks for the typed environment name. Mid-upgrade the extension host is
 * killed (SIGKILL, by the driver); the reloaded window resumes from the cluster without re-running a finished stage.
 * Then the `upgrade` stage fails once (the scenario's fault) and is recovered with LendOS: Run Upgrade Stage.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { PlannedStep } from '../../../src/core/plan';
import type { LendosApi } from '../../../src/extension';
import { crashExtensionHost, e2ePass, getExtension, markerPath, reportPassedAcrossRestart, screenshot, ui, waitFor } from './harness';
import { commentAsApprover } from './world';

type Result = { ok: boolean; message?: string; value?: unknown };
const CONFIRM = { yes: true, confirmEnvironment: 'bxci' };
/** The e2e scenario makes this stage slow enough to crash in the middle of it. */
const SLOW_STAGE = 'production.upgrade.stage.upgrade-consent';
const FINISHED_BEFORE_CRASH = ['upload-dars', 'init-upgrade-coordinator', 'initialize-upgraders'];

async function api(): Promise<{ lendos: LendosApi; status: (id: string) => PlannedStep | undefined }> {
  const lendos = (await getExtension()).exports as LendosApi;
  return { lendos, status: (id) => lendos.session.view?.plan.find((p) => p.step.id === id) };
}

async function run(lendos: LendosApi, id: string, answers: object = CONFIRM, command = 'lendos.runStep'): Promise<Result> {
  const result = (await vscode.commands.executeCommand(command, id, answers)) as Result;
  await lendos.session.refresh();
  return result;
}

async function expectSucceeded(lendos: LendosApi, id: string, command?: string): Promise<void> {
  const result = await run(lendos, id, CONFIRM, command);
  const message = lendos.session.view?.plan.find((p) => p.step.id === id)?.state.message;
  assert.deepEqual(result, { ok: true, value: 'succeeded' }, `${id}: ${result.message ?? message ?? ''}`);
}

const jobUid = (planned: PlannedStep | undefined) => String(planned?.state.evidence.uid ?? '');

/** Answers production's typed confirmation as a person does: waits for the input box titled `question`, types bxci, Enter. */
async function typeEnvironmentName(question: string, timeoutMs = 60_000): Promise<void> {
  await ui({ action: 'click', selector: '.quick-input-widget .quick-input-title', text: question, timeoutMs });
  await ui({ action: 'type', text: 'bxci' });
  await ui({ action: 'press', key: 'Enter' });
}

/**
 * Brings the step's row into sight and clicks its inline action `action`; the row is found by what a screen reader
 * hears (`rowLabel`: its title with its environment). A redraw just then asks which step, and the person picks it.
 */
async function clickInline(lendos: LendosApi, stepId: string, rowLabel: string, action: string, pickerText: string): Promise<void> {
  await vscode.commands.executeCommand('workbench.view.extension.lendos');
  await lendos.treeView.reveal({ kind: 'step', stepId }, { select: true, focus: true, expand: false });
  // The tree redraws as the journal moves; a person clicks once it stands still.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  await ui({ action: 'click', within: { selector: `.monaco-list-row[aria-label^="${rowLabel}"]` }, selector: `.action-label[aria-label^="${action}"]` });
  await ui({ action: 'click', selector: '.quick-input-widget .monaco-list-row', text: pickerText, optional: true, timeoutMs: 2_000 });
}

/** The Release view with production's stages in sight. */
async function showTree(lendos: LendosApi, stepId = 'production.upgrade.run'): Promise<void> {
  await vscode.commands.executeCommand('workbench.view.extension.lendos');
  await lendos.treeView.reveal({ kind: 'step', stepId }, { expand: true, select: false });
}

describe('DAML upgrade in production (rehearsal world)', function () {
  this.timeout(300_000);

  it('asks for the typed name, then runs up to a stage and survives the extension host being killed there', async function () {
    if (e2ePass() !== 'after-reload') this.skip();
    const { lendos, status } = await api();
    await waitFor(() => status('staging.upgrade.validate')?.status === 'succeeded', 20_000, 'staging validated');
    // Product's approval of staging is found on the release PR: luis-product's review (Check Approval Now looks once).
    const approval = (await vscode.commands.executeCommand('lendos.checkApproval', 'staging.smoke-approval', CONFIRM)) as Result;
    await lendos.session.refresh();
    assert.deepEqual(approval, { ok: true, value: 'succeeded' }, status('staging.smoke-approval')?.state.message ?? '');
    assert.equal((status('staging.smoke-approval')?.state.evidence.approval as { by?: string } | undefined)?.by, 'luis-product');
    // 3.1: production's values-tags get the tags staging ran and validated, through a PR the platform team merges.
    await expectSucceeded(lendos, 'production.values-tags');
    const valuesTags = status('production.values-tags')!.state.evidence;
    assert.deepEqual(valuesTags.tags, status('staging.values-tags')!.state.evidence.tags);
    assert.match(String(valuesTags.mergeSha), /^[0-9a-f]{40}$/);

    await expectSucceeded(lendos, 'production.upgrade.prerequisites');
    const unconfirmed = await run(lendos, 'production.upgrade.scale-down', { yes: true });
    assert.notEqual(unconfirmed.value, 'succeeded', '--yes alone is not enough in production');
    assert.notEqual(status('production.upgrade.scale-down')?.status, 'succeeded');
    // By clicks: ▶ on 3.1.1, production's name typed into the confirmation.
    await clickInline(lendos, 'production.upgrade.scale-down', 'Scale down services (production), ', 'Run Step', 'production.upgrade.scale-down');
    await typeEnvironmentName('Scale ');
    await waitFor(() => status('production.upgrade.scale-down')?.status === 'succeeded', 60_000, 'production scaled down by clicks');
    for (const id of ['canton-restart', 'snapshot']) await expectSucceeded(lendos, `production.upgrade.${id}`);

    let ended = false;
    void run(lendos, 'production.upgrade.run').finally(() => (ended = true));
    await waitFor(() => status(SLOW_STAGE)?.status === 'running' || ended, 60_000, 'the slow stage to start');
    assert.equal(status(SLOW_STAGE)?.status, 'running', 'the run is at the slow stage');
    await vscode.commands.executeCommand('lendos.showStageLog', SLOW_STAGE);
    await showTree(lendos);
    await lendos.treeView.reveal({ kind: 'step', stepId: SLOW_STAGE }, { select: false });
    await screenshot('production-upgrade-running');
    const uids = Object.fromEntries(FINISHED_BEFORE_CRASH.map((stage) => [stage, jobUid(status(`production.upgrade.stage.${stage}`))]));
    await crashExtensionHost({ uids });
  });

  it('after the crash: resumes from the cluster, a failed stage is rerun with Run Upgrade Stage, and production validates', async function () {
    if (e2ePass() !== 'after-crash') this.skip();
    const { lendos, status } = await api();
    const { uids } = JSON.parse(readFileSync(markerPath('after-crash'), 'utf8')) as { uids: Record<string, string> };
    reportPassedAcrossRestart('DAML upgrade in production (rehearsal world) asks for the typed name, then runs up to a stage and survives the extension host being killed there');
    await waitFor(() => status('production.upgrade.run')?.state.status === 'cancelled', 20_000, 'the interrupted run re-observed');
    assert.match(status('production.upgrade.run')?.state.message ?? '', /Interrupted/);

    const resumed = await run(lendos, 'production.upgrade.run');
    assert.equal(resumed.value, 'failed', 'the scenario fails the upgrade stage once');
    const failed = status('production.upgrade.stage.upgrade')!;
    assert.equal(failed.status, 'failed');
    assert.match(JSON.stringify(failed.state.evidence.lastLines), /DEADLINE_EXCEEDED/);
    for (const stage of FINISHED_BEFORE_CRASH) {
      assert.equal(jobUid(status(`production.upgrade.stage.${stage}`)), uids[stage], `${stage} was not run again after the crash`);
    }
    assert.equal(status(SLOW_STAGE)?.status, 'succeeded', 'the stage running at the crash finished on its own Job');
    const item = await lendos.tree.getTreeItem({ kind: 'step', stepId: failed.step.id });
    assert.match(String(item.contextValue), /\bcanRunStage\b/, 'the failed stage offers the rerun');
    const lines = await lendos.tree.getChildren({ kind: 'step', stepId: failed.step.id });
    assert.ok(lines.some((node) => node.kind === 'logLine' && /DEADLINE_EXCEEDED/.test(node.text)), 'its last log lines are in the tree');
    await showTree(lendos, failed.step.id);
    await screenshot('production-stage-failed');
    assert.match(String(item.contextValue), /\bcanDiagnose\b/, 'the failed stage offers Diagnose Failure');

    // Diagnose Failure: the stage's Job, its pods' last lines and events, read from the cluster, and what to do next.
    const diagnosed = (await vscode.commands.executeCommand('lendos.diagnoseStep', failed.step.id)) as Result;
    assert.deepEqual(diagnosed, { ok: true, value: failed.step.id }, diagnosed.message);
    const page = await vscode.workspace.openTextDocument(vscode.Uri.from({ scheme: 'lendos-step', path: `/2025.4.0/${failed.step.id}.diagnosis.md` }));
    assert.match(page.getText(), /Failed=True \(BackoffLimitExceeded\)/);
    assert.match(page.getText(), /DEADLINE_EXCEEDED/);
    await waitFor(() => vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => /diagnosis/.test(t.label))), 10_000, 'the diagnosis shown');
    // The page in full view: the panel closed, the preview given time to render.
    await vscode.commands.executeCommand('workbench.action.closePanel');
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    await screenshot('production-diagnosis');
    await vscode.commands.executeCommand('notifications.clearAll');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');

    // By clicks: the stage's inline rerun, bxci typed for the stage, then again for the rest of the run it goes on with.
    await clickInline(lendos, failed.step.id, 'upgrade (production), failed', 'Run Upgrade Stage', 'production · failed');
    await typeEnvironmentName('Run upgrade stage upgrade');
    await typeEnvironmentName('Run the DAML upgrade', 120_000);
    await waitFor(() => status('production.upgrade.run')?.status === 'succeeded', 120_000, 'the run gone on to its end after the rerun');
    assert.equal(status(failed.step.id)?.status, 'succeeded');
    for (const id of ['argocd-sync', 'scale-up', 'validate']) await expectSucceeded(lendos, `production.upgrade.${id}`);
    const rows = JSON.stringify(status('production.upgrade.validate')!.state.evidence.validation);
    assert.match(rows, /signing-portal/);
    await showTree(lendos);
    await screenshot('production-upgrade-done');

    // 3.3: product approves production on the release PR; 3.4: main is synced into develop with a merge commit.
    const pr = Number(status('staging.merge-to-main')!.state.evidence.pr);
    await commentAsApprover(pr, 'Smoke tests in BXCI look good.\n/approve production');
    const production = (await vscode.commands.executeCommand('lendos.checkApproval', 'production.smoke-test', CONFIRM)) as Result;
    assert.deepEqual(production, { ok: true, value: 'succeeded' }, status('production.smoke-test')?.state.message ?? '');
    await expectSucceeded(lendos, 'production.gitflow');
    const gitflow = status('production.gitflow')!.state.evidence;
    assert.match(String(gitflow.mergeSha), /^[0-9a-f]{40}$/);
    await lendos.treeView.reveal({ kind: 'step', stepId: 'production.gitflow' }, { select: true, focus: false, expand: true });
    await screenshot('release-complete');

    // The audit report of the whole release, from its journal.
    const exported = (await vscode.commands.executeCommand('lendos.exportReleaseReport')) as Result;
    assert.equal(exported.ok, true, exported.message);
    const md = String(exported.value);
    assert.match(md, /^# Release 2025\.4\.0/);
    assert.match(md, /\| 3\.4 \| Complete gitflow [^|]* \| succeeded \|/);
    assert.match(md, /## Built image tags \(2\.2\)/);
    assert.match(md, /## Failures and reruns/, 'the stage that failed once is in the report');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    // …and on the release PR, as one comment.
    const posted = (await vscode.commands.executeCommand('lendos.postReleaseReport', CONFIRM)) as Result;
    assert.equal(posted.ok, true, posted.message);
    assert.match(String(posted.value), new RegExp(`/pull/${pr}#issuecomment-\\d+$`));
  });
});
