/**
 * 2.3 values-tags for staging from the tree, on the rehearsal world (after 2.2 found the built tags in github.test.ts):
 * the change is shown in the workloads clone's file — the old tags struck through, the new ones beside them — and
 * applied by clicking its CodeLens, as a person does; the PR in lendos-eks-workloads is merged and recorded.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LendosApi } from '../../../src/extension';
import { readFileSync } from 'node:fs';
import { e2ePass, getExtension, screenshot, ui, waitFor } from './harness';

function workloadsClone(): string {
  const world = JSON.parse(readFileSync(process.env.LENDOS_E2E_WORLD ?? '', 'utf8')) as { workspace: { workloads: string } };
  return world.workspace.workloads;
}

type Result = { ok: boolean; message?: string; value?: unknown };

describe('values-tags (rehearsal world)', function () {
  this.timeout(240_000);

  it('shows the staging change in its file, applies it from the CodeLens and records the merged PR', async function () {
    if (e2ePass() !== 'after-reload') this.skip();
    const lendos = (await getExtension()).exports as LendosApi;
    const status = (id: string) => lendos.session.view?.plan.find((p) => p.step.id === id);
    await waitFor(() => status('staging.identify-tags')?.status === 'succeeded', 20_000, '2.2 found the built tags');
    const tags = status('staging.identify-tags')!.state.evidence.tags as Record<string, { tag: string }>;

    let ended: Result | undefined;
    void Promise.resolve(vscode.commands.executeCommand('lendos.runStep', 'staging.values-tags')).then((result) => (ended = result as Result));
    await waitFor(() => lendos.reviews.reviewing ?? ended, 60_000, 'the proposed change');
    const change = lendos.reviews.reviewing;
    assert.ok(change, `no change to review: ${ended?.message ?? ''}`);
    assert.equal(path.basename(change.path), 'values-tags-staging.yaml');
    await waitFor(() => path.basename(vscode.window.activeTextEditor?.document.uri.fsPath ?? '') === 'values-tags-staging.yaml', 10_000, 'the file open with the change in it');
    for (const { tag } of Object.values(tags)) assert.match(change.after, new RegExp(`tag: ${tag.replace(/\./g, '\\.')}\\b`));
    await screenshot('values-tags-review');

    // Apply from the CodeLens over the file; where the change opened as a diff (the clone's file differs from what the
    // step read), from the notification's button.
    const lens = await ui({ action: 'click', selector: '.codelens-decoration a', text: change.action, optional: true, timeoutMs: 5_000 });
    if (!lens) await ui({ action: 'click', selector: '.notifications-toasts .monaco-button', text: change.action });
    const result = await waitFor(() => ended, 180_000, 'the values-tags PR merged');
    await lendos.session.refresh();
    assert.deepEqual(result, { ok: true, value: 'succeeded' }, status('staging.values-tags')?.state.message ?? '');
    const evidence = status('staging.values-tags')!.state.evidence;
    assert.match(String(evidence.mergeSha), /^[0-9a-f]{40}$/);
    assert.ok(Number(evidence.pr) > 0, JSON.stringify(evidence));
    assert.equal(lendos.reviews.reviewing, undefined, 'nothing left under review');
  });

  it('hovering a tag shows its ECR facts; a tag ECR does not have is an error whose quick fix writes the release tag', async function () {
    if (e2ePass() !== 'after-reload') this.skip();
    const lendos = (await getExtension()).exports as LendosApi;
    const status = (id: string) => lendos.session.view?.plan.find((p) => p.step.id === id);
    await waitFor(() => status('staging.values-tags')?.status === 'succeeded', 20_000, '2.3 done');
    const file = String(status('staging.values-tags')!.state.evidence.file ?? '');
    const uri = vscode.Uri.file(path.isAbsolute(file) ? file : path.join(workloadsClone(), file || 'values-tags-staging.yaml'));
    const editor = await vscode.window.showTextDocument(uri, { preview: false });
    const tags = status('staging.identify-tags')!.state.evidence.tags as Record<string, { tag: string }>;
    const backend = tags['lendos-portal-backend']!.tag;
    // The clone's main was fast-forwarded to the merge: the editor reloads the file from disk.
    await waitFor(() => editor.document.getText().includes(`tag: ${backend}`), 10_000, 'the merged tags in the file');
    const text = editor.document.getText();
    const at = editor.document.positionAt(text.indexOf(`tag: ${backend}`) + 'tag: '.length + 2);
    editor.selection = new vscode.Selection(at, at);
    const hover = async () => {
      const hovers = (await vscode.commands.executeCommand('vscode.executeHoverProvider', uri, at)) as vscode.Hover[];
      return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    };
    assert.match(await hover(), /sha256\\?:[0-9a-f]{6}/);
    // The repository's listing comes in the background; the next hover has the newest tag and the builds after it.
    const shown = await waitFor(async () => {
      const text = await hover();
      return text.includes('counting') ? '' : text;
    }, 15_000, 'the listing counted');
    assert.match(shown, /release 2025\\?\.4\\?\.0 recorded/, shown);
    assert.match(shown, /lendos\.copyImageUri/, 'the hover offers to copy the image URI');
    await vscode.commands.executeCommand('editor.action.showHover');
    await screenshot('values-tags-hover');
    await vscode.commands.executeCommand('editor.action.hideHover');

    // A tag typed wrong: ECR has no v0.0.999, so the line is an error, and the quick fix puts the release's tag back.
    const wrong = editor.document.positionAt(text.indexOf(`tag: ${backend}`) + 'tag: '.length);
    await editor.edit((edit) => edit.replace(new vscode.Range(wrong, wrong.translate(0, backend.length)), 'v0.0.999'));
    await editor.document.save();
    const errors = () => vscode.languages.getDiagnostics(uri).filter((d) => d.severity === vscode.DiagnosticSeverity.Error);
    await waitFor(() => errors().length > 0, 20_000, 'the missing tag diagnosed');
    assert.match(errors()[0]!.message, /v0\.0\.999/);
    editor.selection = new vscode.Selection(wrong.translate(0, 2), wrong.translate(0, 2));
    await vscode.commands.executeCommand('editor.action.quickFix');
    await new Promise((resolve) => setTimeout(resolve, 800));
    await screenshot('values-tags-missing-tag');
    await ui({ action: 'press', key: 'Enter' });
    await waitFor(() => editor.document.getText().includes(`tag: ${backend}`), 10_000, 'the quick fix applied');
    assert.equal(editor.document.getText(), text, 'only the tag changed, and back to what it was');
    await editor.document.save();
    await waitFor(() => errors().length === 0, 20_000, 'the error gone');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
