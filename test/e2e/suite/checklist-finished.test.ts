/** The release checklist of the finished release (after production.test.ts): every phase done, validation's table, the timeline. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { LendosApi } from '../../../src/extension';
import { e2ePass, getExtension, screenshot, ui, waitFor } from './harness';

describe('Release checklist of the finished release', function () {
  this.timeout(60_000);

  it('shows every phase done, with the production validation table', async function () {
    if (e2ePass() !== 'after-crash') this.skip();
    const lendos = (await getExtension()).exports as LendosApi;
    await waitFor(() => lendos.session.view?.plan.find((p) => p.step.id === 'production.gitflow')?.status === 'succeeded', 20_000, 'the finished release');
    await vscode.commands.executeCommand('notifications.clearAll');
    await vscode.commands.executeCommand('workbench.action.closePanel');
    await vscode.commands.executeCommand('lendos.openChecklist');
    await waitFor(() => lendos.checklist.current?.visible, 10_000, 'the checklist panel');
    // Finished phases start folded: a click on Production's header opens it.
    await ui({ action: 'click', frame: 'checklist', selector: 'vscode-collapsible[data-phase="production"]', timeoutMs: 20_000 });
    await ui({ action: 'click', frame: 'checklist', within: { selector: 'section[data-step="production.upgrade.validate"]' }, selector: 'caption', text: 'Validation', timeoutMs: 20_000 });
    await screenshot('checklist-finished');
    assert.ok(lendos.checklist.current);
  });
});
