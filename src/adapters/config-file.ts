/** Reads `.lendos/config.yaml` as a configuration layer. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { ConfigLayer } from '../core/config/resolve.js';

export const CONFIG_FILE = path.join('.lendos', 'config.yaml');

export async function readConfigFile(root: string): Promise<{ layer?: ConfigLayer; error?: string }> {
  const file = path.join(root, CONFIG_FILE);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch {
    return {};
  }
  try {
    return { layer: { source: CONFIG_FILE, value: parse(text) ?? undefined } };
  } catch (e) {
    return { error: `${CONFIG_FILE} is not valid YAML: ${(e as Error).message.split('\n')[0]}` };
  }
}
