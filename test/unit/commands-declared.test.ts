/**
 * Every command package.json contributes is in the editor's command table, and the other way round (the e2e suite
 * checks the registration in a real VS Code; this catches a missing entry without one).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

describe('commands: package.json and the command table agree', () => {
  it('declares exactly the commands src/vscode/commands/index.ts registers, each in category LendOS', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
      contributes: { commands: { command: string; category?: string }[] };
    };
    const table = readFileSync('src/vscode/commands/index.ts', 'utf8');
    const registered = [...table.matchAll(/^\s+'(lendos\.[A-Za-z]+)':/gm)].map((m) => m[1]).sort();
    const declared = pkg.contributes.commands.map((c) => c.command).sort();
    assert.deepEqual(registered, declared);
    assert.deepEqual(
      pkg.contributes.commands.filter((c) => c.category !== 'LendOS').map((c) => c.command),
      [],
    );
    assert.ok(declared.includes('lendos.checkApproval'));
  });
});
