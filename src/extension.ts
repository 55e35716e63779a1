/** Composition root: builds the adapters, hands them to the engine, registers the editor shell. */
import { loadStartedAt } from './load-clock.js';
import * as vscode from 'vscode';
import path from 'node:path';
import { systemClock } from './adapters/clock.js';
import { FileJournalStore } from './adapters/journal-file.js';
import { FileRunLocks } from './adapters/run-locks.js';
import { createStepPorts } from './adapters/step-ports.js';
import { GitWorkspaceRepo } from './adapters/workspace-repo.js';
import type { LendosConfig } from './core/config/types.js';
import { messageOf } from './core/errors.js';
import { LazyExecutorRegistry } from './engine/registry.js';
import { ReleaseService } from './engine/release-service.js';
import { StepRunner } from './engine/step-runner.js';
import { noWorkspaceLocks, noWorkspaceRepo, noWorkspaceStore } from './engine/no-workspace.js';
import { AUTOMATED_STEPS } from './steps/automated.js';
import { registerCommands } from './vscode/commands/index.js';
import { ChecklistShell } from './vscode/checklist-lazy.js';
import { updateRehearsalContext } from './vscode/commands/rehearsal.js';
import { ConfigHolder } from './vscode/config-holder.js';
import { declinePrompt } from './vscode/prompt.js';
import { ReleaseSession } from './vscode/session.js';
import { declaredSettingKeys } from './vscode/settings.js';
import { createStatusBar } from './vscode/status-bar.js';
import { STEP_SCHEME, StepDocumentProvider } from './vscode/step-document.js';
import { ReleaseTreeProvider, type ReleaseNode } from './vscode/tree.js';
import { registerValuesTags, releaseTagsOf, ValuesTagsShell } from './vscode/values-tags-lazy.js';
import { StageChannels } from './vscode/stage-logs.js';
import { ChangeReviews } from './vscode/review-change.js';
import { StepTerminals } from './vscode/step-terminal.js';
import { textOnly } from './vscode/text-only-log.js';

/** Loading the bundle ends here; the host may wait before calling activate, which is not ours to count. */
const loadedAt = performance.now();

export interface LendosApi {
  readonly activationMs: number;
  readonly session: ReleaseSession;
  readonly tree: ReleaseTreeProvider;
  readonly treeView: vscode.TreeView<ReleaseNode>;
  readonly runner: StepRunner;
  readonly config: () => LendosConfig;
  /** The proposed change under review in its file, if any. */
  readonly reviews: ChangeReviews;
  /** values-tags hover, diagnostics and quick fixes (their heavy part loads on first use). */
  readonly valuesTags: ValuesTagsShell;
  /** The release checklist webview. */
  readonly checklist: ChecklistShell;
}

/** The journal store, the workspace's git, the lazily loaded executors and the release service over them. */
function engine(root: string | undefined, config: ConfigHolder) {
  const store = root ? new FileJournalStore(root) : noWorkspaceStore;
  const repo = root ? new GitWorkspaceRepo(root) : noWorkspaceRepo;
  const registry = new LazyExecutorRegistry(AUTOMATED_STEPS, async () => (await import('./steps/index.js')).allExecutors());
  const service = new ReleaseService({
    store,
    repo,
    clock: systemClock,
    config: () => config.current,
    isAutomated: (id) => registry.isAutomated(id),
    configProblems: () => config.problems,
  });
  return { store, repo, registry, service };
}

export function activate(context: vscode.ExtensionContext): LendosApi {
  const activateStartedAt = performance.now();
  // Steps, journals and the cluster write here: the channel keeps text, never escape sequences.
  const log = textOnly(vscode.window.createOutputChannel('LendOS', { log: true }));
  const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const config = new ConfigHolder(root, declaredSettingKeys(context.extension.packageJSON), log);
  const { store, repo, registry, service } = engine(root, config);
  // The editor's GitHub session, asked silently: a Codespace has one; elsewhere GITHUB_TOKEN or gh follow.
  const githubSession = async () => (await vscode.authentication.getSession('github', ['repo'], { silent: true }))?.accessToken;
  const ports = createStepPorts(root ?? '', () => config.current, () => config.world, () => repo.actor(), githubSession);
  const runner = new StepRunner(service, registry, ports, root ? new FileRunLocks(root) : noWorkspaceLocks, 'editor');
  const session = new ReleaseSession(service, log, () => config.problems);
  const tree = new ReleaseTreeProvider(session);
  const docs = new StepDocumentProvider(session);
  const treeView = vscode.window.createTreeView('lendos.release', { treeDataProvider: tree, showCollapseAll: true });
  // A step that starts running is brought into sight (its group and phase expanded) when the view is open.
  const reveal = (stepId: string) => {
    if (treeView.visible) void treeView.reveal({ kind: 'step', stepId }, { select: false, focus: false, expand: true }).then(undefined, () => undefined);
  };
  const valuesTags = new ValuesTagsShell({
    ecr: ports.ecr,
    clock: systemClock,
    recorded: () => releaseTagsOf(session.view),
    configured: () => config.current.ecr.serviceRepositories,
    log,
  });
  const stages = new StageChannels();
  const terminals = new StepTerminals(log);
  const reviews = new ChangeReviews();
  const checklist = new ChecklistShell(context.extensionUri, session, log);
  context.subscriptions.push(
    checklist,
    log,
    session,
    tree,
    docs,
    treeView,
    vscode.workspace.registerTextDocumentContentProvider(STEP_SCHEME, docs),
    createStatusBar(session, () => config.worldFile),
    stages,
    terminals,
    reviews,
    ...registerValuesTags(valuesTags, session.onDidChange),
    ...registerCommands({ session, runner, terminals, reveal, context, stages, reviews, checklist, setup: () => ({ ports, config: config.current }), journalPath: (v) => store.pathOf(v), runbookPath: () => runbookPath(context, root), github: async () => ({ gh: await ports.github(), lendos: (await ports.repositories()).lendos }) }),
  );
  // Watching files and reading settings and journals is not activation's work: it starts right after, and the
  // tree fills in when it is done.
  setTimeout(() => {
    context.subscriptions.push(...watchWorkspace(root, session, config));
    void updateRehearsalContext(context);
    void config
      .reload()
      .then(() => session.refresh())
      .then(() => resumeInterrupted(session, runner, log));
  }, 0);
  const activateMs = performance.now() - activateStartedAt;
  const activationMs = loadedAt - loadStartedAt + activateMs;
  log.info(`Activated in ${activationMs.toFixed(1)} ms (loading the bundle ${(loadedAt - loadStartedAt).toFixed(1)} ms, activate ${activateMs.toFixed(1)} ms)`);
  return { activationMs, session, tree, treeView, runner, config: () => config.current, reviews, valuesTags, checklist };
}

export function deactivate(): void {}

/** Steps left running by a reload or crash: re-observe the world and record what is found. */
async function resumeInterrupted(session: ReleaseSession, runner: StepRunner, log: vscode.LogOutputChannel): Promise<void> {
  const version = session.view?.version;
  if (!version) return;
  const shell = { prompt: declinePrompt, log: channelSink(log), signal: new AbortController().signal };
  try {
    const resumed = await runner.reconcile(version, shell);
    if (resumed.length > 0) log.info(`Re-observed steps interrupted by a reload or crash: ${resumed.join(', ')}`);
  } catch (error) {
    log.error(`Could not re-observe interrupted steps: ${messageOf(error)}`);
  }
}

function channelSink(log: vscode.LogOutputChannel) {
  return {
    info: (l: string) => log.info(l),
    warn: (l: string) => log.warn(l),
    error: (l: string) => log.error(l),
    output: (chunk: string) => log.trace(chunk),
  };
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
