/** The extension loads in a real VS Code, activates, and every command it declares is registered. */
import * as assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import * as vscode from 'vscode';
import { contributedCommands, extensionId, getExtension, screenshot } from './harness';

describe('Activation', () => {
  it('is installed in the window and activates', async () => {
    const extension = await getExtension();
    assert.equal(extension.id, extensionId);
    assert.equal(extension.isActive, true);
  });

  it('registers every command its package.json contributes', async () => {
    const declared = contributedCommands(await getExtension());
    assert.ok(declared.length > 0, 'package.json contributes commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(
      declared.filter((command) => !registered.has(command)),
      [],
      'declared commands that are not registered',
    );
    const ours = [...registered].filter((command) => command.startsWith('lendos.') && !command.startsWith('lendos.release.'));
    assert.deepEqual(
      ours.filter((command) => !declared.includes(command)).sort(),
      [],
      'registered commands that package.json does not declare',
    );
  });

  it('opens the LendOS view container', async () => {
    await vscode.commands.executeCommand('workbench.view.extension.lendos');
    const file = await screenshot('activation-view');
    assert.ok(statSync(file).size > 0, `${file} holds the picture`);
  });
});
