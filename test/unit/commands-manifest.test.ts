import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * package.json's commands and the command table of src/vscode/commands/index.ts agree (the table imports vscode, so it
 * is read as text here; the e2e suite checks the same in a running editor).
 */
describe('commands: package.json and the registered table', () => {
  const root = path.resolve(__dirname, '..', '..');
  const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    contributes: {
      commands: { command: string; category?: string }[];
      walkthroughs: { steps: { id: string; description: string; media: { markdown?: string }; completionEvents?: string[] }[] }[];
    };
    activationEvents: string[];
  };
  const table = readFileSync(path.join(root, 'src', 'vscode', 'commands', 'index.ts'), 'utf8');
  const registered = [...table.matchAll(/^\s*'(lendos\.[A-Za-z]+)':/gm)].map((m) => m[1]).sort();

  it('every contributed command is registered, and every registered one contributed, in category LendOS', () => {
    const declared = manifest.contributes.commands.map((c) => c.command).sort();
    assert.deepEqual(registered, declared);
    for (const c of manifest.contributes.commands) assert.equal(c.category, 'LendOS', c.command);
  });

  it('activates on the lendos repository, on a workloads clone (its values-tags files), and to restore an open checklist — leaving the command and view events to VS Code', () => {
    // No contribution point declares a webview panel, so its serializer's event is VS Code's to be told.
    assert.deepEqual(manifest.activationEvents, ['workspaceContains:services/portal-daml-upgrade/**', 'workspaceContains:values-tags*.yaml', 'onWebviewPanel:lendos.checklist']);
  });

  it('the preflight commands are there', () => {
    assert.ok(registered.includes('lendos.runPreflight'));
    assert.ok(registered.includes('lendos.addPreflightWorkflow'));
  });

  it('the walkthrough: each step has its page, and its links and completion events name commands that exist', () => {
    const builtIn = ['workbench.action.openSettings'];
    for (const step of manifest.contributes.walkthroughs.flatMap((w) => w.steps)) {
      assert.ok(step.media.markdown && existsSync(path.join(root, step.media.markdown)), `${step.id}: its page`);
      const linked = [...step.description.matchAll(/\(command:([\w.]+)/g), ...(step.completionEvents ?? []).join(' ').matchAll(/onCommand:([\w.]+)/g)].map((m) => m[1]);
      assert.ok(linked.length > 0, `${step.id} links a command`);
      for (const command of linked) assert.ok(registered.includes(command as string) || builtIn.includes(command as string), `${step.id}: ${command}`);
    }
  });
});
