/**
 * core/v1 Secrets as the real registry stores them: `data` holds base64, `stringData` is folded into it and dropped,
 * `type` defaults to Opaque and never changes, and an `immutable` Secret keeps its data.
 */
import { badRequest, isRecord, type KubeObject } from './types.js';

const maxDataBytes = 1024 * 1024;
const configKey = /^[-._a-zA-Z0-9]+$/;
const base64Alphabet = /[^A-Za-z0-9+/=]/;
const canonicalBase64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Keys the built-in Secret types require. */
const requiredKeys: Record<string, string[]> = {
  'kubernetes.io/tls': ['tls.crt', 'tls.key'],
  'kubernetes.io/dockerconfigjson': ['.dockerconfigjson'],
  'kubernetes.io/dockercfg': ['.dockercfg'],
  'kubernetes.io/ssh-auth': ['ssh-privatekey'],
};

function undecodable(detail: string): Error {
  return badRequest(`Secret in version "v1" cannot be handled as a Secret: ${detail}`);
}

/** Go's base64.StdEncoding, which the API server decodes `data` with (it skips CR and LF). */
function decodeBase64(value: string): Buffer {
  const text = value.replace(/[\r\n]/g, '');
  const bad = base64Alphabet.exec(text);
  if (bad) throw undecodable(`illegal base64 data at input byte ${bad.index}`);
  if (!canonicalBase64.test(text)) throw undecodable(`illegal base64 data at input byte ${Math.floor(text.length / 4) * 4}`);
  return Buffer.from(text, 'base64');
}

function stringMap(value: unknown, field: 'data' | 'stringData'): Record<string, string> {
  if (value === undefined || value === null) return {};
  const goType = field === 'data' ? '[]uint8' : 'string';
  if (!isRecord(value)) throw undecodable(`json: cannot unmarshal ${typeof value} into Go struct field Secret.${field} of type map[string]${goType}`);
  for (const entry of Object.values(value)) {
    if (typeof entry !== 'string') throw undecodable(`json: cannot unmarshal ${typeof entry} into Go struct field Secret.${field} of type ${goType}`);
  }
  return value as Record<string, string>;
}

/** `data` decoded, with `stringData` written over it (the real API's precedence). */
function mergedData(object: KubeObject): Map<string, Buffer> {
  const data = new Map<string, Buffer>();
  for (const [key, value] of Object.entries(stringMap(object['data'], 'data'))) data.set(key, decodeBase64(value));
  for (const [key, value] of Object.entries(stringMap(object['stringData'], 'stringData'))) data.set(key, Buffer.from(value, 'utf8'));
  return data;
}

function dataProblems(data: Map<string, Buffer>, type: string): string[] {
  const problems = [...data.keys()]
    .filter((key) => key.length > 253 || !configKey.test(key))
    .map((key) => `data[${key}]: Invalid value: "${key}": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`);
  const size = [...data.values()].reduce((sum, bytes) => sum + bytes.length, 0);
  if (size > maxDataBytes) problems.push(`data: Too long: must have at most ${maxDataBytes} bytes`);
  for (const key of requiredKeys[type] ?? []) if (!data.has(key)) problems.push(`data[${key}]: Required value`);
  return problems;
}

function immutabilityProblems(existing: KubeObject, next: KubeObject): string[] {
  const problems: string[] = [];
  if (next['type'] !== existing['type']) problems.push(`type: Invalid value: "${String(next['type'])}": field is immutable`);
  if (existing['immutable'] !== true) return problems;
  if (JSON.stringify(next['data'] ?? {}) !== JSON.stringify(existing['data'] ?? {})) problems.push('data: Forbidden: field is immutable when `immutable` is set');
  if (next['immutable'] !== true) problems.push('immutable: Forbidden: field is immutable when `immutable` is set');
  return problems;
}

/**
 * Normalizes a Secret on create (no `existing`) or update in place: canonical base64 `data` (left out when empty),
 * no `stringData`, a `type`. Throws 400 on undecodable data; returns the validation problems (422).
 */
export function admitSecret(object: KubeObject, existing?: KubeObject): string[] {
  const data = mergedData(object);
  delete object['stringData'];
  if (data.size > 0) object['data'] = Object.fromEntries([...data].sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, bytes]) => [key, bytes.toString('base64')]));
  else delete object['data'];
  if (typeof object['type'] !== 'string' || object['type'] === '') object['type'] = 'Opaque';
  const type = object['type'] as string;
  return [...dataProblems(data, type), ...(existing ? immutabilityProblems(existing, object) : [])];
}
