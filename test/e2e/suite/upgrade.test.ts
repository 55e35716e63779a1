/**
 * The DAML upgrade procedure in staging, from the tree, on the rehearsal world (after Phase 1 finished in
 * release.test.ts): prerequisites, scale down, snapshot, the seven stages with live logs, Argo CD sync, scale up, validate.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LendosApi } from '../../../src/extension';
import { getExtension, screenshot, waitFor } from './harness';

type Result = { ok: boolean; message?: string; value?: unknown };
const reloaded = () => existsSync(path.join(process.env.LENDOS_E2E_ARTIFACTS ?? tmpdir(), 'release-suite-before-reload.json'));

/** What 2.3 does by hand today: new backend tags in values-tags-staging.yaml, pushed to the workloads main branch. */
function updateValuesTags(): void {
  const world = JSON.parse(readFileSync(process.env.LENDOS_E2E_WORLD ?? '', 'utf8')) as { workspace: { workloads: string } };
  const cwd = world.workspace.workloads;
  const file = path.join(cwd, 'values-tags-staging.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace(/tag: v0\.0\.812/, 'tag: v0.0.813').replace(/tag: v0\.0\.806/, 'tag: v0.0.807'));
  for (const args of [['commit', '-qam', 'Update values-tags for release 2025.4.0 (staging)'], ['push', '-q', 'origin', 'HEAD:main']]) {
    execFileSync('git', args, { cwd });
  }
}

describe('DAML upgrade in staging (rehearsal world)', function () {
  this.timeout(300_000);

  it('runs the staging procedure from the tree to a validated, scaled-up environment', async function () {
    if (!reloaded()) this.skip();
    const lendos = (await getExtension()).exports as LendosApi;
    const status = (id: string) => lendos.session.view?.plan.find((p) => p.step.id === id);
    await waitFor(() => status('prep.upgrade-images')?.status === 'succeeded', 20_000, 'Phase 1 done');
    updateValuesTags();
    for (const id of ['staging.merge-to-main', 'staging.identify-tags', 'staging.values-tags']) {
      const done = (await vscode.commands.executeCommand('lendos.markStepDone', id, { force: true, note: 'rehearsal' })) as Result;
      assert.equal(done.ok, true, `${id}: ${done.message}`);
    }
    const run = async (id: string) => {
      const result = (await vscode.commands.executeCommand('lendos.runStep', id, { yes: true })) as Result;
      await lendos.session.refresh();
      assert.deepEqual(result, { ok: true, value: 'succeeded' }, `${id}: ${result.message ?? status(id)?.state.message ?? ''}`);
    };
    for (const id of ['prerequisites', 'scale-down', 'canton-restart', 'snapshot', 'run']) await run(`staging.upgrade.${id}`);
    const stages = () => lendos.session.view!.plan.filter((p) => p.step.parent === 'staging.upgrade.run');
    assert.equal(stages().length, 7);
    await waitFor(() => stages().every((p) => p.status === 'succeeded'), 10_000, 'seven stages succeeded');
    for (const id of ['argocd-sync', 'scale-up', 'validate']) await run(`staging.upgrade.${id}`);
    await waitFor(() => status('staging.upgrade.validate')?.state.evidence.validation !== undefined, 10_000, 'the validation table in the journal');
    const rows = JSON.stringify(status('staging.upgrade.validate')!.state.evidence.validation);
    assert.match(rows, /lendos-portal/);
    await vscode.commands.executeCommand('workbench.view.extension.lendos');
    await screenshot('staging-upgrade-done');
  });
});
