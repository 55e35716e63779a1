/** Reads `.lendos/config.yaml` as a configuration layer. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parse, parseDocument } from 'yaml';
import { UserError } from '../core/errors.js';
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
    const detail = ((e as Error).message.split('\n')[0] ?? '').replace(/:\s*$/, '');
    return { error: `is not valid YAML (${detail}): fix the file, or remove it to use the runbook's defaults` };
  }
}

const HEADER = '# LendOS Release configuration (see the README: Configuration). Commit it to share it with the team.\n';

/**
 * Writes an environment's identity into `.lendos/config.yaml` (created when missing), editing the document in place so
 * that the rest of the file keeps its comments; answers the file's path.
 */
export async function recordIdentity(root: string, environment: string, identity: Readonly<Record<string, string>>): Promise<string> {
  const file = path.join(root, CONFIG_FILE);
  const text = await fs.readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return HEADER;
    throw error;
  });
  const document = parseDocument(text);
  if (document.errors.length > 0) {
    throw new UserError(`${CONFIG_FILE} is not valid YAML (${document.errors[0]?.message.split('\n')[0] ?? ''}): fix it, then run the step again. Nothing was changed.`, 'config');
  }
  for (const [key, value] of Object.entries(identity)) document.setIn(['environments', environment, 'identity', key], value);
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(`${file}.tmp`, document.toString());
  await fs.rename(`${file}.tmp`, file);
  return file;
}
