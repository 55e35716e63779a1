/** Start Rehearsal / Stop Rehearsal from the editor: a world process that outlives reloads, stopped on request. */
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { getExtension } from './harness';

type Result = { ok: boolean; message?: string; value?: { pid: number; worldFile: string; workspace: string } | number };

describe('Rehearsal commands', function () {
  this.timeout(120_000);

  it('refuses an unknown scenario, starts a world, and stops it', async () => {
    await getExtension();
    const bad = (await vscode.commands.executeCommand('lendos.startRehearsal', 'meteor-strike', { open: false })) as Result;
    assert.match(bad.message ?? '', /no scenario "meteor-strike".*happy-path/);
    const started = (await vscode.commands.executeCommand('lendos.startRehearsal', 'fast', { open: false })) as Result;
    assert.equal(started.ok, true, started.message);
    const world = started.value as { pid: number; worldFile: string; workspace: string };
    assert.ok(existsSync(world.worldFile));
    assert.equal(JSON.parse(readFileSync(world.worldFile, 'utf8')).pid, world.pid);
    assert.ok(existsSync(`${world.workspace}/VERSION`));
    const stopped = (await vscode.commands.executeCommand('lendos.stopRehearsal')) as Result;
    assert.equal(stopped.ok, true, stopped.message);
    assert.ok((stopped.value as number) >= 1);
    assert.throws(() => process.kill(world.pid, 0), 'the world process is gone');
  });
});
