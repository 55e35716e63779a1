/**
 * Helpers for e2e tests that run inside the real extension host (code-server), driven by scripts/e2e.mjs.
 * The host runs on the same machine as the driver, so they meet through log lines and the file system.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';

export const extensionId = 'lendos.lendos-release';
const screenshotTimeoutMs = 20_000;

/** Where scripts/e2e.mjs saves screenshots (`LENDOS_E2E_ARTIFACTS`); emptied at the start of every e2e run. */
export function artifactsDir(): string {
  const dir = process.env.LENDOS_E2E_ARTIFACTS;
  if (!dir) throw new Error('LENDOS_E2E_ARTIFACTS is not set: run the e2e tests through scripts/e2e.mjs');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Resolves with the first truthy value of `predicate`, polling every 50 ms; rejects after `timeoutMs`. */
export async function waitFor<T>(
  predicate: () => T | Promise<T>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await predicate();
    if (value) return value;
    if (Date.now() >= deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Asks the driver for a screenshot of the browser (1400x900) and waits until it is saved as
 * `<artifacts>/<name>.png`. Names are file names: letters, digits and dashes.
 */
export async function screenshot(name: string): Promise<string> {
  if (!/^[a-z0-9][a-z0-9-]*$/i.test(name))
    throw new Error(`Screenshot name "${name}" must be letters, digits and dashes`);
  const dir = artifactsDir();
  const done = path.join(dir, `${name}.done`);
  rmSync(done, { force: true });
  // Lets the workbench paint what the test just changed before the picture is taken.
  await new Promise((resolve) => setTimeout(resolve, 300));
  console.log(`LENDOS_SCREENSHOT ${name}`);
  await waitFor(() => existsSync(done), screenshotTimeoutMs, `the screenshot ${name}`);
  return path.join(dir, `${name}.png`);
}

/** A click, key press or typing in the workbench, done by the driver through the browser as a person would. */
export type UiAction =
  | {
      readonly action: 'click';
      /** The element to click (inside `within` when given); without it, `within` itself is clicked. */
      readonly selector?: string;
      readonly text?: string;
      /** An element (e.g. a tree row, found by its text) hovered first: its inline actions show only then. */
      readonly within?: { readonly selector: string; readonly text?: string };
      readonly button?: 'left' | 'right';
      /** Click only if the element shows up within `timeoutMs`; `ui` then answers whether it clicked. */
      readonly optional?: boolean;
      readonly timeoutMs?: number;
      /** `checklist`: the element is inside the release checklist's webview. */
      readonly frame?: 'checklist';
    }
  | { readonly action: 'press'; readonly key: string }
  | { readonly action: 'type'; readonly text: string }
  /** Answers what has the keyboard focus (`focusedElement`); `frame: 'checklist'` looks inside the checklist's webview. */
  | { readonly action: 'focused'; readonly frame?: 'checklist' };

/** The element with the keyboard focus: its tag and the name a screen reader would say; undefined for none. */
export async function focusedElement(frame?: 'checklist'): Promise<{ tag: string; name: string } | undefined> {
  return (await uiAnswer({ action: 'focused', ...(frame ? { frame } : {}) })).focused;
}

/** Asks the driver to do `request` in the browser and waits for it; fails with the driver's reason. */
export async function ui(request: UiAction): Promise<boolean> {
  return (await uiAnswer(request)).clicked ?? true;
}

interface UiAnswer {
  readonly ok: boolean;
  readonly error?: string;
  readonly clicked?: boolean;
  readonly focused?: { tag: string; name: string };
}

async function uiAnswer(request: UiAction): Promise<UiAnswer> {
  // Unique across the suites' bundles (each has its own copy of this module) and across extension hosts.
  const id = `${process.pid}-${randomBytes(6).toString('hex')}`;
  const answer = path.join(artifactsDir(), '.ui', `${id}.json`);
  console.log(`LENDOS_UI ${JSON.stringify({ ...request, id })}`);
  // The driver answers once the click is done or its own wait (`timeoutMs`, 10 s by default) is over.
  const driverWaitMs = (request.action === 'click' && request.timeoutMs ? request.timeoutMs : 10_000) + screenshotTimeoutMs;
  await waitFor(() => existsSync(answer), driverWaitMs, `the driver to ${request.action}`);
  const parsed = JSON.parse(readFileSync(answer, 'utf8')) as UiAnswer;
  if (!parsed.ok) throw new Error(`${JSON.stringify(request)}: ${parsed.error ?? 'failed'}`);
  // Lets the workbench react before the test looks.
  await new Promise((resolve) => setTimeout(resolve, 200));
  return parsed;
}

/** Runs a VS Code command and returns its result typed as the caller expects. */
export async function executeCommand<T = unknown>(command: string, ...args: unknown[]): Promise<T> {
  return (await vscode.commands.executeCommand(command, ...args)) as T;
}

/** The LendOS extension, activated. Fails when it is not loaded in this window. */
export async function getExtension(): Promise<vscode.Extension<unknown>> {
  const extension = vscode.extensions.getExtension(extensionId);
  if (!extension) throw new Error(`${extensionId} is not loaded in this window`);
  if (!extension.isActive) await extension.activate();
  return extension;
}

/** The command ids the extension's package.json contributes. */
export function contributedCommands(extension: vscode.Extension<unknown>): string[] {
  const manifest = extension.packageJSON as { contributes?: { commands?: { command: string }[] } };
  return (manifest.contributes?.commands ?? []).map((entry) => entry.command);
}

/**
 * The suite runs in up to three extension hosts: the first window; the window after release.test.ts reloads it; the
 * window after production.test.ts killed its extension host mid-upgrade. Marker files in the artifacts folder tell
 * which one this is.
 */
export type E2ePass = 'first' | 'after-reload' | 'after-crash';

const PASS_MARKERS: Record<Exclude<E2ePass, 'first'>, string> = {
  'after-reload': 'release-suite-before-reload.json',
  'after-crash': 'production-before-crash.json',
};

export function markerPath(pass: Exclude<E2ePass, 'first'>): string {
  return path.join(process.env.LENDOS_E2E_ARTIFACTS ?? tmpdir(), PASS_MARKERS[pass]);
}

export function e2ePass(): E2ePass {
  if (existsSync(markerPath('after-crash'))) return 'after-crash';
  if (existsSync(markerPath('after-reload'))) return 'after-reload';
  return 'first';
}

/** Writes what the next pass needs to know, then ends this extension host the way a crash does (SIGKILL by the driver). */
export async function crashExtensionHost(memo: unknown): Promise<never> {
  writeFileSync(markerPath('after-crash'), JSON.stringify(memo));
  console.log(`LENDOS_KILL_EXTENSION_HOST ${process.pid}`);
  await new Promise((resolve) => setTimeout(resolve, 60_000));
  throw new Error('The driver did not kill the extension host within 60 s');
}

/**
 * A test that ends its extension host on purpose (a window reload, a crash) cannot report itself: the next host, having
 * found what it left behind, reports it passed (the driver counts a test once, by its full title).
 */
export function reportPassedAcrossRestart(fullTitle: string): void {
  console.log(`LENDOS_E2E_TEST ${JSON.stringify({ outcome: 'pass', title: fullTitle })}`);
}
