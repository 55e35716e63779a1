/** Start Release…, Switch Release…, Show Journal, Refresh. */
import * as vscode from 'vscode';
import { UserError } from '../../core/errors.js';
import { DEV_FLOW } from '../../core/runbook/index.js';
import type { ReleaseSession } from '../session.js';
import { report, requireActive, type CommandResult } from './shared.js';

export function startRelease(session: ReleaseSession) {
  return (version?: unknown): Promise<CommandResult<string | undefined>> =>
    report(async () => {
      const service = session.service;
      let text: string | undefined = typeof version === 'string' ? version : undefined;
      if (text === undefined) {
        const suggestion = await service.suggestVersion();
        text = await vscode.window.showInputBox({
          title: 'LendOS: Start Release',
          prompt: `Release version (CalVer YYYY.R.H). Suggested: ${suggestion.reason}`,
          value: suggestion.version,
          validateInput: (value) => service.validateNewVersion(value),
          ignoreFocusOut: true,
        });
        if (text === undefined) return undefined;
      }
      const started = await service.startRelease(text);
      await session.refresh();
      void vscode.window.showInformationMessage(`Release ${started} started: the Release view walks you through the runbook.`);
      return started;
    });
}

/** Sync Dev Environment: the dev flow (Section 4, its own journal) becomes the active one; no release is needed. */
export function syncDev(session: ReleaseSession) {
  return (): Promise<CommandResult<string>> =>
    report(async () => {
      const { reset, fresh } = await session.service.startDevSync();
      await session.refresh();
      const what = fresh
        ? 'Dev sync started'
        : reset.length > 0
          ? 'The last dev sync was done: a new one begins'
          : 'The dev sync in progress is shown again';
      void vscode.window.showInformationMessage(`${what}: the Release view walks you through Section 4.`);
      return DEV_FLOW;
    });
}

const DEV_ITEM = { label: '$(server-environment) Dev environment', description: 'Section 4: dev syncs, no release', version: DEV_FLOW };

async function pickRelease(session: ReleaseSession): Promise<string | undefined> {
  const [releases, dev] = await Promise.all([session.service.releases(), session.service.hasDevFlow()]);
  if (releases.length === 0 && !dev) throw new UserError('There are no releases in this workspace yet: use "LendOS: Start Release…".');
  const items = releases.map((r) => ({
    label: r.version,
    version: r.version,
    description: `${r.done}/${r.total} steps done${r.active ? ' · active' : ''}`,
    detail: r.startedAt ? `started ${r.startedAt.slice(0, 16).replace('T', ' ')} UTC by ${r.startedBy ?? 'unknown'}` : undefined,
  }));
  const picked = await vscode.window.showQuickPick([...items, ...(dev ? [DEV_ITEM] : [])], { placeHolder: 'Switch to which release?' });
  return picked?.version;
}

export function switchRelease(session: ReleaseSession) {
  return (version?: unknown): Promise<CommandResult<string | undefined>> =>
    report(async () => {
      const target = typeof version === 'string' ? version : await pickRelease(session);
      if (target === undefined) return undefined;
      await session.service.switchRelease(target);
      await session.refresh();
      return target;
    });
}

export function showJournal(session: ReleaseSession, journalPath: (version: string) => string) {
  return (): Promise<CommandResult<string>> =>
    report(async () => {
      const view = requireActive(session);
      const file = journalPath(view.version);
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
      await vscode.window.showTextDocument(doc, { preview: true });
      return file;
    });
}

/** Export Release Report: the journal as Markdown (lendos report), opened as a document to read, save or paste. */
export function exportReleaseReport(session: ReleaseSession) {
  return (): Promise<CommandResult<string>> =>
    report(async () => {
      const view = requireActive(session);
      const content = await session.service.report(view.version, 'md');
      const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content });
      await vscode.window.showTextDocument(doc, { preview: false });
      return content;
    });
}

export function refresh(session: ReleaseSession) {
  return (): Promise<CommandResult<boolean>> =>
    report(async () => {
      await session.refresh();
      return true;
    });
}

const RELEASE_MENU = [
  { label: '$(checklist) Open Release Checklist', command: 'lendos.openChecklist' },
  { label: '$(list-tree) Show the Release view', command: 'workbench.view.extension.lendos' },
  { label: '$(output) Export Release Report', command: 'lendos.exportReleaseReport' },
  { label: '$(comment) Post Release Report to the Release PR', command: 'lendos.postReleaseReport' },
  { label: '$(history) Show Journal', command: 'lendos.showJournal' },
  { label: '$(versions) Switch Release…', command: 'lendos.switchRelease' },
  { label: '$(server-environment) Sync Dev Environment', command: 'lendos.syncDev' },
] as const;

/** The status bar item's menu: the release's views and records in one click. */
export function releaseMenu() {
  return (): Promise<CommandResult<string | undefined>> =>
    report(async () => {
      const picked = await vscode.window.showQuickPick(RELEASE_MENU.map((entry) => ({ ...entry })), { title: 'LendOS Release', placeHolder: 'Open…' });
      if (!picked) return undefined;
      await vscode.commands.executeCommand(picked.command);
      return picked.command;
    });
}
