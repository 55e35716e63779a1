/** Reads the `lendos.*` settings that a person set explicitly, as a configuration layer over the file. */
import * as vscode from 'vscode';
import type { ConfigLayer } from '../core/config/resolve.js';

/** Settings that are the extension's own and not part of the release configuration. */
const NOT_CONFIG = new Set(['runbookPath', 'rehearsal.world']);

export function settingsLayer(keys: readonly string[]): ConfigLayer {
  const section = vscode.workspace.getConfiguration('lendos');
  const value: Record<string, unknown> = {};
  for (const key of keys) {
    if (NOT_CONFIG.has(key)) continue;
    const inspected = section.inspect(key);
    const set =
      inspected?.workspaceFolderValue ?? inspected?.workspaceValue ?? inspected?.globalValue ?? undefined;
    if (set !== undefined) setPath(value, key.split('.'), set);
  }
  return { source: 'settings', value };
}

function setPath(target: Record<string, unknown>, path: string[], leaf: unknown): void {
  let node = target;
  for (const part of path.slice(0, -1)) {
    const next = node[part];
    if (typeof next === 'object' && next !== null) node = next as Record<string, unknown>;
    else node = node[part] = {};
  }
  node[path[path.length - 1] as string] = leaf;
}

/** Setting keys under `lendos.` declared in package.json. */
export function declaredSettingKeys(packageJson: { contributes?: { configuration?: { properties?: object } } }): string[] {
  return Object.keys(packageJson.contributes?.configuration?.properties ?? {}).map((k) => k.replace(/^lendos\./, ''));
}
