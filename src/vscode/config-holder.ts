/** Configuration as the editor sees it: defaults, then `.lendos/config.yaml`, then settings set explicitly; and the
 * rehearsal world named by `lendos.rehearsal.world`, if any. */
import * as vscode from 'vscode';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { RehearsalWorld } from '../adapters/step-ports.js';
import { loadWorldFile } from '../adapters/world-file.js';
import { resolveConfig, type ConfigLayer } from '../core/config/resolve.js';
import type { ConfigProblem, LendosConfig } from '../core/config/types.js';
import { formatProblems } from '../core/config/validate.js';
import { withRehearsal } from '../core/config/environment.js';
import { messageOf } from '../core/errors.js';
import { settingsLayer } from './settings.js';

export class ConfigHolder {
  current: LendosConfig = resolveConfig([]).config;
  problems: readonly ConfigProblem[] = [];
  world: RehearsalWorld | undefined;
  worldFile: string | undefined;

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
      const { readConfigFile } = await import('../adapters/config-file.js');
      const { layer, error } = await readConfigFile(this.root);
      if (layer) layers.push(layer);
      if (error) extra.push({ path: '.lendos/config.yaml', message: error });
    }
    layers.push(settingsLayer(this.settingKeys));
    const resolved = resolveConfig(layers);
    this.problems = [...extra, ...resolved.problems, ...this.loadWorld()];
    this.current = withRehearsal(resolved.config, this.world);
    // This window works in a rehearsal world: the view offers no second one.
    void vscode.commands.executeCommand('setContext', 'lendos.inRehearsal', this.world !== undefined);
    if (this.problems.length > 0) {
      this.log.warn(`Configuration problems (defaults used where invalid):\n${formatProblems(this.problems)}`);
    }
  }

  private loadWorld(): ConfigProblem[] {
    const setting = vscode.workspace.getConfiguration('lendos').get<string>('rehearsal.world')?.trim();
    this.world = undefined;
    this.worldFile = undefined;
    if (!setting) return [];
    const file = path.isAbsolute(setting) || !this.root ? setting : path.join(this.root, setting);
    try {
      this.world = loadWorldFile(file);
      this.worldFile = file;
      this.log.info(`Rehearsal: using the world described by ${file}`);
      return [];
    } catch (error) {
      return [{ path: 'settings: rehearsal.world', message: messageOf(error) }];
    }
  }
}
