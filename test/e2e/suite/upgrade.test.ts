/**
 * The DAML upgrade procedure in staging, from the tree, on the rehearsal world (after Phase 1 finished in
 * release.test.ts): prerequisites, scale down, snapshot, the seven stages with live logs, Argo CD sync, scale up, validate.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { LendosApi } from '../../../src/extension';
import { e2ePass, getExtension, screenshot, waitFor } from './harness';

type Result = { ok: boolean; message?: string; value?: unknown };

describe('DAML upgrade in staging (rehearsal world)', function () {
  this.timeout(300_000);

  it('runs the staging procedure from the tree to a validated, scaled-up environment', async function () {
    if (e2ePass() !== 'after-reload') this.skip();
    const lendos = (await getExtension()).exports as LendosApi;
    const status = (id: string) => lendos.session.view?.plan.find((p) => p.step.id === id);
    await waitFor(() => status('prep.upgrade-images')?.status === 'succeeded', 20_000, 'Phase 1 done');
    // 2.1–2.3 ran in github.test.ts and values-tags.test.ts: the workloads main carries the release's tags.
    for (const id of ['staging.preflight', 'staging.merge-to-main', 'staging.identify-tags', 'staging.values-tags']) {
      assert.equal(status(id)?.status, 'succeeded', `${id} is done before the upgrade`);
    }
    await lendos.session.refresh();
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
    const validation = status('staging.upgrade.validate')!.state.evidence.validation as { rows: { check: string; status: string }[] };
    for (const check of ['pods', 'backend log', 'frontend', 'PQS counts']) {
      assert.ok(validation.rows.some((row) => row.check === check && row.status === 'ok'), `${check} checked and ok: ${rows}`);
    }
    await vscode.commands.executeCommand('workbench.view.extension.lendos');
    await lendos.treeView.reveal({ kind: 'step', stepId: 'staging.upgrade.run' }, { expand: true, select: false });
    await screenshot('staging-upgrade-done');
  });
});
