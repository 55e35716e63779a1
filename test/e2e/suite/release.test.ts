/**
 * The foundation in a real VS Code: start a release, walk the whole runbook in the tree, mark a step done,
 * reload the window and find the state restored. The reload re-runs this suite; a marker file tells the passes apart.
 */
import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { LendosApi } from '../../../src/extension';
import type { ReleaseNode } from '../../../src/vscode/tree';
import { e2ePass, getExtension, markerPath, reportPassedAcrossRestart, screenshot, ui, waitFor } from './harness';

const VERSION = '2025.4.0';
type Result = { ok: boolean; message?: string; value?: unknown };

const markerFile = () => markerPath('after-reload');

async function api(): Promise<LendosApi> {
  const ext = await getExtension();
  return ext.exports as LendosApi;
}

/** Every node of the tree, depth first, as VS Code would ask for them. */
async function walk(lendos: LendosApi): Promise<{ node: ReleaseNode; item: vscode.TreeItem }[]> {
  const out: { node: ReleaseNode; item: vscode.TreeItem }[] = [];
  const visit = async (node?: ReleaseNode) => {
    for (const child of await lendos.tree.getChildren(node)) {
      out.push({ node: child, item: await lendos.tree.getTreeItem(child) });
      await visit(child);
    }
  };
  await visit();
  return out;
}

function stepItem(nodes: { node: ReleaseNode; item: vscode.TreeItem }[], id: string): vscode.TreeItem | undefined {
  return nodes.find((n) => n.node.kind === 'step' && n.node.stepId === id)?.item;
}

describe('Release tree (foundation)', function () {
  this.timeout(120_000);
  const pass = e2ePass();
  const reloaded = pass !== 'first';
  // After the production crash, Phase 1 is long done: the second-pass checks would no longer hold.
  const secondPass = pass === 'after-reload';

  it('starts a release; bad versions are refused with a clear message', async function () {
    if (reloaded) this.skip();
    const lendos = await api();
    for (const [bad, expected] of [['2025.4', /hotfix/i], ['v2025.4.0', /leading v/i], ['2025.04.0', /leading zero/i], ['release/2025.4.0; rm -rf /', /./]] as const) {
      const result = (await vscode.commands.executeCommand('lendos.startRelease', bad)) as Result;
      assert.equal(result.ok, false, bad);
      assert.match(result.message ?? '', expected);
    }
    assert.equal(lendos.session.view, undefined, 'a bad version started nothing');
    const started = (await vscode.commands.executeCommand('lendos.startRelease', VERSION)) as Result;
    assert.deepEqual(started, { ok: true, value: VERSION });
    const again = (await vscode.commands.executeCommand('lendos.startRelease', VERSION)) as Result;
    assert.match(again.message ?? '', /already started/);
  });

  it('shows every runbook step in the tree, with guidance tooltips', async function () {
    if (reloaded) this.skip();
    const lendos = await api();
    await waitFor(() => lendos.session.view?.version === VERSION, 10_000, 'the release view');
    const nodes = await walk(lendos);
    const view = lendos.session.view!;
    const shown = new Set(nodes.flatMap((n) => (n.node.kind === 'step' ? [n.node.stepId] : [])));
    for (const step of view.runbook.steps) assert.ok(shown.has(step.id), `${step.id} is in the tree`);
    assert.equal(shown.size, view.runbook.steps.length);
    const first = stepItem(nodes, 'prep.cut-release-branch')!;
    assert.equal(String(first.label), 'Cut release branch');
    assert.match(String(first.description), /§1\.1$/);
    assert.ok(first.tooltip instanceof vscode.MarkdownString && first.tooltip.value.length > 50);
    assert.match(String(first.contextValue), /\bautomated\b.*\bcanRun\b/);
    assert.match(String(stepItem(nodes, 'staging.preflight')!.contextValue), /\bautomated\b/);
    const manual = stepItem(nodes, 'recovery.data-validation')!;
    assert.match(String(manual.contextValue), /\bmanual\b.*\bcanMarkDone\b/);
    assert.equal(nodes.filter((n) => n.node.kind === 'phase').length, view.runbook.phases.length);
  });

  it('marks a manual step done and records it in the journal', async function () {
    if (reloaded) this.skip();
    const lendos = await api();
    const automated = (await vscode.commands.executeCommand('lendos.markStepDone', 'prep.cut-release-branch')) as Result;
    assert.match(automated.message ?? '', /is automated: run it/);
    const done = (await vscode.commands.executeCommand('lendos.markStepDone', 'recovery.data-validation', { note: 'verified by hand' })) as Result;
    assert.equal(done.ok, true, done.message);
    const skipRequired = (await vscode.commands.executeCommand('lendos.skipStep', 'prep.bump-version')) as Result;
    assert.match(skipRequired.message ?? '', /cannot be skipped/);
    await waitFor(() => lendos.session.view?.plan.find((p) => p.step.id === 'recovery.data-validation')?.status === 'succeeded', 10_000, 'the step to show done');
    const nodes = await walk(lendos);
    assert.match(String(stepItem(nodes, 'recovery.data-validation')?.description), /^done.*by hand/);
    await vscode.commands.executeCommand('workbench.view.extension.lendos');
    await screenshot('release-view');
  });

  it('by clicks: marks a manual step done from its context menu', async function () {
    if (reloaded) this.skip();
    const lendos = await api();
    const status = (id: string) => lendos.session.view?.plan.find((p) => p.step.id === id)?.status;
    await vscode.commands.executeCommand('workbench.view.extension.lendos');
    await lendos.treeView.reveal({ kind: 'step', stepId: 'recovery.stage-failure' }, { select: true, focus: true, expand: true });
    // The tree redraws as the journal moves; a person clicks once it stands still.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await ui({ action: 'click', within: { selector: '.monaco-list-row', text: 'Upgrade stage fails' }, button: 'right' });
    await ui({ action: 'click', selector: '.monaco-menu .action-label', text: 'Mark Step Done' });
    // A menu that met a redraw gets no step: Mark Step Done then asks which one, and the person picks it.
    await ui({ action: 'click', selector: '.quick-input-widget .monaco-list-row', text: 'Upgrade stage fails', optional: true, timeoutMs: 2_000 });
    await waitFor(() => status('recovery.stage-failure') === 'succeeded', 10_000, 'the step marked done from its context menu');
  });

  // Modal dialogs are refused in an extension test run (VS Code's DialogService), so 1.1 and 1.2, which ask in a modal,
  // run with scripted answers here; the ▶ buttons and the quick pick are clicked in the second half.
  it('Phase 1, first half: cuts the release branch and bumps VERSION against the rehearsal remotes', async function () {
    if (reloaded) this.skip();
    const lendos = await api();
    for (const id of ['prep.cut-release-branch', 'prep.bump-version']) {
      const result = (await vscode.commands.executeCommand('lendos.runStep', id, { yes: true })) as Result;
      assert.deepEqual(result, { ok: true, value: 'succeeded' }, `${id}: ${result.message ?? ''}`);
    }
    const evidence = (id: string) => lendos.session.view?.plan.find((p) => p.step.id === id)?.state.evidence ?? {};
    await waitFor(() => evidence('prep.bump-version').commit !== undefined, 10_000, 'the VERSION commit in the journal');
    assert.equal(evidence('prep.cut-release-branch').branch, `release/${VERSION}`);
    const again = (await vscode.commands.executeCommand('lendos.runStep', 'prep.cut-release-branch', { yes: true })) as Result;
    assert.equal(again.value, 'succeeded', 'a rerun adopts what is there');
    writeFileSync(markerFile(), JSON.stringify({ version: VERSION }));
    // The checklist is open when the window reloads: VS Code brings it back through its serializer.
    await vscode.commands.executeCommand('lendos.openChecklist');
    await waitFor(() => lendos.checklist.current?.visible, 10_000, 'the checklist open before the reload');
    // The extension host ends here; the suite runs again in the reloaded window.
    void vscode.commands.executeCommand('workbench.action.reloadWindow');
    await new Promise((resolve) => setTimeout(resolve, 60_000));
  });

  it('after a window reload, the release and its state are restored from the journal', async function () {
    if (!secondPass) this.skip();
    const lendos = await api();
    assert.equal(JSON.parse(readFileSync(markerFile(), 'utf8')).version, VERSION);
    reportPassedAcrossRestart('Release tree (foundation) Phase 1, first half: cuts the release branch and bumps VERSION against the rehearsal remotes');
    await waitFor(() => lendos.session.view !== undefined, 15_000, 'the restored release');
    await waitFor(() => lendos.checklist.current, 30_000, 'the checklist that was open, restored after the reload');
    await ui({ action: 'click', frame: 'checklist', selector: 'h1', text: `Release ${VERSION}`, timeoutMs: 20_000 });
    lendos.checklist.current?.dispose();
    const view = lendos.session.view!;
    assert.equal(view.version, VERSION);
    assert.equal(view.plan.find((p) => p.step.id === 'recovery.data-validation')?.status, 'succeeded');
    assert.equal(view.plan.find((p) => p.step.id === 'recovery.data-validation')?.state.evidence.note, 'verified by hand');
    assert.equal(view.plan.find((p) => p.step.id === 'prep.cut-release-branch')?.status, 'succeeded');
    assert.equal(view.plan.find((p) => p.step.id === 'prep.bump-version')?.status, 'succeeded');
    assert.equal(view.plan.find((p) => p.step.id === 'prep.upgrade-branch')?.status, 'ready');
    await vscode.commands.executeCommand('workbench.view.extension.lendos');
    await screenshot('release-view-after-reload');
  });

  it('Phase 1, second half after the reload, by clicks: ▶ on 1.3, its versions confirmed in the quick pick; ▶ on 1.4', async function () {
    if (!secondPass) this.skip();
    this.timeout(300_000);
    const lendos = await api();
    const planned = (id: string) => lendos.session.view?.plan.find((p) => p.step.id === id);
    await vscode.commands.executeCommand('workbench.view.extension.lendos');
    const steps = [
      { id: 'prep.upgrade-branch', title: 'Create DAML upgrade branch', pick: 'Confirm and run' },
      { id: 'prep.upgrade-images', title: 'Build and push DAML upgrade images' },
    ];
    for (const { id, title, pick } of steps) {
      await lendos.treeView.reveal({ kind: 'step', stepId: id }, { select: true, focus: true, expand: true });
      // The tree redraws as the journal moves; a person clicks once it stands still.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      await ui({ action: 'click', within: { selector: '.monaco-list-row', text: title }, selector: '.action-label[aria-label^="Run Step"]' });
      // A ▶ that met a redraw gets no step: Run Step then asks which one, and the person picks it.
      await ui({ action: 'click', selector: '.quick-input-widget .monaco-list-row', text: title, optional: true, timeoutMs: 2_000 });
      if (pick) await ui({ action: 'click', selector: '.quick-input-widget .monaco-list-row', text: pick });
      try {
        await waitFor(() => ['succeeded', 'failed'].includes(planned(id)?.status ?? ''), 100_000, `${id} to finish`);
      } catch (error) {
        await screenshot(`stuck-${id.replace(/\./g, '-')}`);
        throw new Error(`${(error as Error).message}: ${id} is ${planned(id)?.status} (${planned(id)?.state.progress ?? planned(id)?.state.message ?? ''})`);
      }
      assert.equal(planned(id)?.status, 'succeeded', `${id}: ${planned(id)?.state.message ?? ''}`);
    }
    await waitFor(() => lendos.session.view?.plan.find((p) => p.step.id === 'prep.upgrade-images')?.status === 'succeeded', 10_000, 'Phase 1 done');
    const plan = lendos.session.view!.plan;
    const images = plan.find((p) => p.step.id === 'prep.upgrade-images')!.state.evidence;
    assert.match(JSON.stringify(images), /-init/);
    assert.match(JSON.stringify(images), /-runner/);
    assert.match(JSON.stringify(images), /sha256:/);
    assert.equal(plan.find((p) => p.step.id === 'prep.upgrade-branch')!.state.evidence.exitCode, 0);
    await vscode.commands.executeCommand('workbench.action.closePanel');
    await vscode.commands.executeCommand('workbench.view.extension.lendos');
    for (let i = 0; i < 4; i++) await vscode.commands.executeCommand('workbench.action.increaseViewSize');
    await vscode.commands.executeCommand('notifications.clearAll');
    await screenshot('phase1-done');
  });
});
