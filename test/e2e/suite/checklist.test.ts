/**
 * The release checklist webview on a release in progress (after Phase 2's GitHub steps): opened from the Release view's
 * title bar, pictured in a dark, a light and a high-contrast theme, a manual step marked done and 2.1 run again by clicks inside the
 * webview (the tree and the checklist follow), and malformed messages to the host ignored without changing anything.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { LendosApi } from '../../../src/extension';
import { e2ePass, focusedElement, getExtension, screenshot, ui, waitFor } from './harness';

const STEP = 'recovery.fix-forward';

async function api(): Promise<LendosApi> {
  return (await getExtension()).exports as LendosApi;
}

async function setTheme(theme: string | undefined): Promise<void> {
  await vscode.workspace.getConfiguration('workbench').update('colorTheme', theme, vscode.ConfigurationTarget.Global);
  await new Promise((resolve) => setTimeout(resolve, 800));
}

describe('Release checklist (webview)', function () {
  this.timeout(120_000);

  it('opens from the view title, shows the release in a dark, a light and a high-contrast theme, and marks a step done by a click inside it', async function () {
    if (e2ePass() !== 'after-reload') this.skip();
    const lendos = await api();
    const status = (id: string) => lendos.session.view?.plan.find((p) => p.step.id === id)?.status;
    await vscode.commands.executeCommand('workbench.view.extension.lendos');
    await vscode.commands.executeCommand('notifications.clearAll');
    await vscode.commands.executeCommand('workbench.action.closePanel');
    await ui({ action: 'click', selector: '.part.sidebar .action-label[aria-label^="Open Release Checklist"]' });
    await waitFor(() => lendos.checklist.current?.visible, 10_000, 'the checklist panel');
    await ui({ action: 'click', frame: 'checklist', selector: 'h1', text: 'Release 2025.4.0', timeoutMs: 20_000 });
    try {
      await setTheme('Default Dark Modern');
      await screenshot('checklist-dark');
      await setTheme('Default Light Modern');
      await screenshot('checklist-light');
      await setTheme('Default High Contrast');
      await screenshot('checklist-high-contrast');
    } finally {
      // Back to the profile's own theme, which the other suites' pictures are taken in.
      await setTheme(undefined);
    }

    assert.equal(status(STEP), 'ready');
    // Recovery is optional, so it starts folded: a click on its header opens it.
    await ui({ action: 'click', frame: 'checklist', selector: 'vscode-collapsible[data-phase="recovery"]' });
    await ui({ action: 'click', frame: 'checklist', within: { selector: `section[data-step="${STEP}"]` }, selector: 'vscode-button', text: 'Mark done' });
    await waitFor(() => status(STEP) === 'succeeded', 10_000, 'the step marked done from the checklist');
    const item = await lendos.tree.getTreeItem({ kind: 'step', stepId: STEP });
    assert.match(String(item.description), /^done/, 'the tree follows');

    // Run again from the checklist: 2.1's checks on the release PR, journalled as a second run.
    const preflight = () => lendos.session.view?.plan.find((p) => p.step.id === 'staging.preflight')?.state;
    const runs = preflight()?.attempts ?? 0;
    await ui({ action: 'click', frame: 'checklist', selector: 'button[aria-label="Run again: 2.1 Run preflight checks"]' });
    await waitFor(() => (preflight()?.attempts ?? 0) > runs && preflight()?.status === 'succeeded', 30_000, 'preflight run again from the checklist');
    await ui({ action: 'click', frame: 'checklist', within: { selector: 'section[data-step="staging.preflight"]' }, selector: '.muted', text: `${runs + 1} runs`, timeoutMs: 10_000 });

    // By keyboard alone: from the page, Tab goes from control to control, each with the name a screen reader says.
    await ui({ action: 'click', frame: 'checklist', selector: 'h1', text: 'Release 2025.4.0' });
    const stops: string[] = [];
    for (let i = 0; i < 14; i++) {
      await ui({ action: 'press', key: 'Tab' });
      const focused = await focusedElement('checklist');
      assert.ok(focused && focused.name.trim().length > 0, `tab stop ${i + 1} has a name: ${JSON.stringify(focused)} (after ${stops.join(' | ')})`);
      stops.push(focused.name);
    }
    assert.ok(stops.includes('Phase 2 · Staging deployment'), `a phase's header is a tab stop: ${stops.join(' | ')}`);
    assert.ok(stops.some((name) => name.startsWith('Run again: 2.1 ')), `a step's actions are tab stops: ${stops.join(' | ')}`);
  });

  it('ignores malformed and unknown messages, and changes nothing', async function () {
    if (e2ePass() !== 'after-reload') this.skip();
    const lendos = await api();
    const before = JSON.stringify(lendos.session.view?.plan.map((p) => [p.step.id, p.state.status, p.state.attempts]));
    const refusedBefore = lendos.checklist.refused.length;
    const bad: unknown[] = [
      null,
      'reset',
      { type: 'bogus' },
      { type: 'action', requestId: 1, action: 'reset', stepId: 'recovery.data-validation; rm -rf /' },
      { type: 'action', requestId: 1, action: 'deleteEverything', stepId: 'recovery.data-validation' },
      { type: 'action', requestId: 1, action: 'reset', stepId: 'recovery.data-validation', extra: true },
      { type: 'action', requestId: -1, action: 'reset', stepId: 'recovery.data-validation' },
      { type: 'openLink', requestId: 2, url: 'javascript:alert(1)' },
      { type: 'openLink', requestId: 2, url: 'file:///etc/passwd' },
    ];
    for (const message of bad) await lendos.checklist.receive(message);
    assert.equal(lendos.checklist.refused.length - refusedBefore, bad.length, 'each one refused');
    await lendos.session.refresh();
    assert.equal(JSON.stringify(lendos.session.view?.plan.map((p) => [p.step.id, p.state.status, p.state.attempts])), before, 'the journal is unchanged');
    lendos.checklist.current?.dispose();
  });
});
