/** Start Rehearsal / Stop Rehearsal: a local world to practise a whole release in, without touching real systems. */
import * as vscode from 'vscode';
import path from 'node:path';
import { listScenarioNames, runningWorld, startWorldProcess, stopWorldProcess, type RunningWorld } from '../../adapters/rehearsal-process.js';
import { UserError } from '../../core/errors.js';
import { report, type CommandResult } from './shared.js';

const KEY = 'lendos.rehearsalWorlds';

/** `lendos.rehearsalRunning`: a world Start Rehearsal started is running (Stop Rehearsal shows, Start hides). */
export async function updateRehearsalContext(context: vscode.ExtensionContext): Promise<void> {
  const running = context.globalState.get<string[]>(KEY, []).some((file) => runningWorld(file) !== undefined);
  await vscode.commands.executeCommand('setContext', 'lendos.rehearsalRunning', running);
}

export function startRehearsal(context: vscode.ExtensionContext) {
  return (scenarioArg?: unknown, options: { open?: boolean } = {}): Promise<CommandResult<RunningWorld | undefined>> =>
    report(async () => {
      const scenarios = listScenarioNames(context.extensionPath);
      const scenario =
        typeof scenarioArg === 'string'
          ? scenarioArg
          : await vscode.window.showQuickPick(scenarios, { title: 'LendOS: Start Rehearsal', placeHolder: 'Which scenario? happy-path is a smooth release' });
      if (!scenario) return undefined;
      if (!scenarios.includes(scenario)) throw new UserError(`There is no scenario "${scenario}": choose one of ${scenarios.join(', ')}.`);
      const dir = path.join(context.globalStorageUri.fsPath, `rehearsal-${Date.now()}`);
      const world = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `LendOS: starting the rehearsal world (${scenario})…` },
        () => startWorldProcess({ cli: context.asAbsolutePath(path.join('dist', 'cli.js')), dir, scenario }),
      );
      const worlds = context.globalState.get<string[]>(KEY, []);
      await context.globalState.update(KEY, [...worlds, world.worldFile]);
      await updateRehearsalContext(context);
      const open = options.open ?? (await vscode.window.showInformationMessage(
        `The rehearsal world is running (scenario ${scenario}). Open its lendos workspace?`,
        'Open in New Window',
      )) === 'Open in New Window';
      if (open) await vscode.commands.executeCommand('vscode.openFolder', vscode.Uri.file(world.workspace), { forceNewWindow: true });
      return world;
    });
}

/** Stops the worlds Start Rehearsal started (a world of `npm start` belongs to that terminal and its Ctrl-C). */
export function stopRehearsal(context: vscode.ExtensionContext) {
  return (): Promise<CommandResult<number>> =>
    report(async () => {
      const files = context.globalState.get<string[]>(KEY, []);
      const running = files.map((f) => runningWorld(f)).filter((w): w is RunningWorld => w !== undefined);
      await context.globalState.update(KEY, running.map((w) => w.worldFile));
      if (running.length === 0) {
        throw new UserError('No rehearsal world started by "LendOS: Start Rehearsal" is running (a world of `npm start` stops with Ctrl-C in its terminal).');
      }
      for (const world of running) await stopWorldProcess(world);
      await context.globalState.update(KEY, []);
      await updateRehearsalContext(context);
      void vscode.window.showInformationMessage(`Stopped ${running.length} rehearsal world(s); their servers are closed.`);
      return running.length;
    });
}
