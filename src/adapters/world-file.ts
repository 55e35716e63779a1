/** Reads a rehearsal's world.json (written by `lendos rehearse --headless`); errors say what is wrong and what to do. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { UserError, brand, hasBrand, messageOf } from '../core/errors.js';
import type { RehearsalWorld } from './step-ports.js';
import { isRecord } from '../core/config/validate.js';

/** A world.json that cannot be used. */
export class WorldFileError extends UserError {
  constructor(message: string) {
    super(message, 'world-file');
    this.name = 'WorldFileError';
    brand(this, 'WorldFileError');
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return hasBrand(value, 'WorldFileError');
  }
}

const REQUIRED = [
  'scenario', 'kubeconfig', 'contexts.staging', 'contexts.production', 'kube.staging.url', 'kube.staging.token',
  'kube.production.url', 'kube.production.token', 'aws.region', 'aws.ecrEndpoint', 'aws.rdsEndpoint', 'aws.stsEndpoint', 'aws.configFile',
  'aws.credentialsFile', 'aws.credentials.accessKeyId', 'aws.credentials.secretAccessKey', 'github.apiUrl',
  'github.token', 'github.owner', 'remotes.lendos', 'remotes.workloads', 'workspace.lendos', 'workspace.workloads',
  'identities.staging.account', 'identities.staging.clusterUid', 'identities.staging.server',
  'identities.production.account', 'identities.production.clusterUid', 'identities.production.server',
];

/** The dotted paths of the fields a client needs that are missing or not strings. */
function missingFields(value: Record<string, unknown>): string[] {
  return REQUIRED.filter((field) => {
    const found = field.split('.').reduce<unknown>((node, key) => (isRecord(node) ? node[key] : undefined), value);
    return typeof found !== 'string' || found === '';
  });
}

/** Reads and checks a world.json; `T` is the full description type the caller knows (the rehearsal's contract). */
export function loadWorldFile<T extends RehearsalWorld = RehearsalWorld>(file: string): T {
  const where = path.resolve(file);
  if (!existsSync(where)) {
    throw new WorldFileError(`no world file at ${where}: start a world with \`lendos rehearse --headless --dir DIR\` and pass DIR/world.json`);
  }
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(where, 'utf8'));
  } catch (error) {
    throw new WorldFileError(`${where} is not JSON (${messageOf(error)}); it should be the world.json a rehearsal wrote`);
  }
  if (!isRecord(value)) throw new WorldFileError(`${where} is not a world description (expected a JSON object); it should be the world.json a rehearsal wrote`);
  const missing = missingFields(value);
  if (missing.length > 0) {
    throw new WorldFileError(
      `${where} is not a complete world description: missing or empty ${missing.join(', ')}. Pass the world.json the rehearsal ` +
        'wrote (lendos rehearse --headless --dir DIR writes DIR/world.json), unedited.',
    );
  }
  return value as unknown as T;
}
