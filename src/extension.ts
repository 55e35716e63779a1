/** Composition root: builds the adapters, hands them to the engine, registers the editor shell. */
import { loadStartedAt } from './load-clock.js';
import * as vscode from 'vscode';
import path from 'node:path';
import { existsSync } from 'node:fs';
import { FileJournalStore } from './adapters/journal-file.js';
import { GitWorkspaceRepo } from './adapters/workspace-repo.js';
import { resolveConfig, type ConfigLayer } from './core/config/resolve.js';
import type { ConfigProblem, LendosConfig } from './core/config/types.js';
import { formatProblems } from './core/config/validate.js';
import { ReleaseService } from './engine/release-service.js';
import { noWorkspaceRepo, noWorkspaceStore } from './engine/no-workspace.js';
import { registerCommands } from './vscode/commands/index.js';
import { ReleaseSession } from './vscode/session.js';
import { declaredSettingKeys, settingsLayer } from './vscode/settings.js';
import { createStatusBar } from './vscode/status-bar.js';
import { STEP_SCHEME, StepDocumentProvider } from './vscode/step-document.js';
import { ReleaseTreeProvider } from './vscode/tree.js';

export interface LendosApi {
  readonly activationMs: number;
  readonly session: ReleaseSession;
  readonly tree: ReleaseTreeProvider;
  readonly config: () => LendosConfig;
}

export function activate(context: vscode.ExtensionContext): LendosApi {
  const log = vscode.window.createOutputChannel('LendOS', { log: true });
  const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const config = new ConfigHolder(root, declaredSettingKeys(context.extension.packageJSON), log);
  const store = root ? new FileJournalStore(root) : noWorkspaceStore;
  const service = new ReleaseService({
    store,
    repo: root ? new GitWorkspaceRepo(root) : noWorkspaceRepo,
    clock: { now: () => new Date() },
    config: () => config.current,
  });
  const session = new ReleaseSession(service, log, () => config.problems);
  const tree = new ReleaseTreeProvider(session);
  const docs = new StepDocumentProvider(session);
  context.subscriptions.push(
    log,
    session,
    tree,
    docs,
    vscode.window.createTreeView('lendos.release', { treeDataProvider: tree, showCollapseAll: true }),
    vscode.workspace.registerTextDocumentContentProvider(STEP_SCHEME, docs),
    createStatusBar(session),
    ...registerCommands({ session, journalPath: (v) => store.pathOf(v), runbookPath: () => runbookPath(context, root) }),
    ...watchWorkspace(root, session, config),
  );
  void config.reload().then(() => session.refresh());
  const activationMs = performance.now() - loadStartedAt;
  log.info(`Activated in ${activationMs.toFixed(1)} ms`);
  return { activationMs, session, tree, config: () => config.current };
}

export function deactivate(): void {}

/** Defaults, then `.lendos/config.yaml`, then settings a person set. */
class ConfigHolder {
  current: LendosConfig = resolveConfig([]).config;
  problems: readonly ConfigProblem[] = [];

  constructor(
    private readonly root: string | undefined,
    private readonly settingKeys: string[],
    private readonly log: vscode.LogOutputChannel,
  ) {}

  async reload(): Promise<void> {
    const layers: ConfigLayer[] = [];
    const extra: ConfigProblem[] = [];
    if (this.root && existsSync(path.join(this.root, '.lendos', 'config.yaml'))) {
      // The YAML parser is loaded only where a config file exists.
      const { readConfigFile } = await import('./adapters/config-file.js');
      const { layer, error } = await readConfigFile(this.root);
      if (layer) layers.push(layer);
      if (error) extra.push({ path: '.lendos/config.yaml', message: error });
    }
    layers.push(settingsLayer(this.settingKeys));
    const resolved = resolveConfig(layers);
    this.current = resolved.config;
    this.problems = [...extra, ...resolved.problems];
    if (this.problems.length > 0) {
      this.log.warn(`Configuration problems (defaults used where invalid):\n${formatProblems(this.problems)}`);
    }
  }
}

function watchWorkspace(root: string | undefined, session: ReleaseSession, config: ConfigHolder): vscode.Disposable[] {
  const onConfig = () => void config.reload().then(() => session.refresh());
  const disposables: vscode.Disposable[] = [
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('lendos')) onConfig();
    }),
  ];
  if (!root) return disposables;
  const folder = vscode.Uri.file(root);
  // Journals written by the CLI or another window reach the tree through file events, not polling.
  const journals = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, '.lendos/runs/*'));
  const configFile = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, '.lendos/config.yaml'));
  const refresh = () => void session.refresh();
  disposables.push(
    journals,
    configFile,
    journals.onDidChange(refresh),
    journals.onDidCreate(refresh),
    journals.onDidDelete(refresh),
    configFile.onDidChange(onConfig),
    configFile.onDidCreate(onConfig),
    configFile.onDidDelete(onConfig),
  );
  return disposables;
}

function runbookPath(context: vscode.ExtensionContext, root: string | undefined): string {
  const configured = vscode.workspace.getConfiguration('lendos').get<string>('runbookPath')?.trim();
  if (configured) return path.isAbsolute(configured) || !root ? configured : path.join(root, configured);
  return context.asAbsolutePath(path.join('media', 'release-execution-runbook.txt'));
}
