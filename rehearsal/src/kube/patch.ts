import { badRequest, isRecord, KubeError } from './types.js';

export type PatchType = 'merge' | 'strategic' | 'json';

const patchContentTypes: Record<string, PatchType> = {
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/json-patch+json': 'json',
};

/** The patch type of a Content-Type, or 415 like the real API (custom resources refuse strategic merge). */
export function patchTypeOf(contentType: string | undefined, custom: boolean): PatchType {
  const mediaType = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const type = patchContentTypes[mediaType];
  if (type && !(custom && type === 'strategic')) return type;
  const accepted = custom
    ? 'application/json-patch+json, application/merge-patch+json'
    : 'application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json';
  throw new KubeError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: ${accepted}`,
  );
}

/** RFC 7386 JSON merge patch. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isRecord(patch)) return patch;
  const result: Record<string, unknown> = isRecord(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

/** The patchMergeKey of the list fields that strategic merge patch merges by key rather than replaces. */
const mergeKeys: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  env: 'name',
  ports: 'containerPort',
  volumes: 'name',
  volumeMounts: 'mountPath',
  conditions: 'type',
  ownerReferences: 'uid',
  imagePullSecrets: 'name',
};

function mergeList(key: string, target: unknown, patch: unknown[]): unknown {
  const mergeKey = mergeKeys[key];
  if (!mergeKey || !Array.isArray(target)) return patch.filter((item) => !(isRecord(item) && '$patch' in item));
  const result = [...target] as unknown[];
  for (const item of patch) {
    if (!isRecord(item)) continue;
    const index = result.findIndex((existing) => isRecord(existing) && existing[mergeKey] === item[mergeKey]);
    if (item['$patch'] === 'delete') {
      if (index >= 0) result.splice(index, 1);
    } else if (index >= 0) {
      result[index] = strategicMergePatch(result[index], item);
    } else {
      result.push(strategicMergePatch({}, item));
    }
  }
  return result;
}

/** Strategic merge patch for the built-in types: merge patch, except keyed lists merge by their key. */
export function strategicMergePatch(target: unknown, patch: unknown): unknown {
  if (!isRecord(patch)) return patch;
  if (patch['$patch'] === 'replace') {
    const { $patch: _directive, ...rest } = patch;
    return rest;
  }
  const result: Record<string, unknown> = isRecord(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith('$')) continue;
    if (value === null) delete result[key];
    else if (Array.isArray(value)) result[key] = mergeList(key, result[key], value);
    else result[key] = strategicMergePatch(result[key], value);
  }
  return result;
}

interface Operation {
  op: string;
  path: string;
  from?: string;
  value?: unknown;
}

function unprocessable(message: string): KubeError {
  return new KubeError(422, 'Invalid', `the server rejected our request due to an error in our request: ${message}`);
}

function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw unprocessable(`invalid JSON pointer "${path}"`);
  return path
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function parentOf(document: unknown, segments: string[], path: string): { parent: unknown; last: string } {
  let parent = document;
  for (const segment of segments.slice(0, -1)) {
    parent = Array.isArray(parent) ? parent[Number(segment)] : isRecord(parent) ? parent[segment] : undefined;
    if (parent === undefined) throw unprocessable(`doc is missing path: "${path}"`);
  }
  return { parent, last: segments[segments.length - 1] ?? '' };
}

function read(document: unknown, path: string): unknown {
  const segments = pointer(path);
  if (segments.length === 0) return document;
  const { parent, last } = parentOf(document, segments, path);
  const value = Array.isArray(parent) ? parent[Number(last)] : isRecord(parent) ? parent[last] : undefined;
  if (value === undefined) throw unprocessable(`doc is missing path: "${path}"`);
  return value;
}

function write(document: unknown, path: string, value: unknown, mode: 'add' | 'replace' | 'remove'): unknown {
  const segments = pointer(path);
  if (segments.length === 0) return value;
  const { parent, last } = parentOf(document, segments, path);
  if (Array.isArray(parent)) {
    const index = last === '-' ? parent.length : Number(last);
    if (!Number.isInteger(index) || index < 0 || index > parent.length) throw unprocessable(`invalid index in "${path}"`);
    if (mode !== 'add' && index >= parent.length) throw unprocessable(`doc is missing path: "${path}"`);
    parent.splice(index, mode === 'add' ? 0 : 1, ...(mode === 'remove' ? [] : [value]));
  } else if (isRecord(parent)) {
    if (mode !== 'add' && !(last in parent)) throw unprocessable(`doc is missing path: "${path}"`);
    if (mode === 'remove') delete parent[last];
    else parent[last] = value;
  } else {
    throw unprocessable(`doc is missing path: "${path}"`);
  }
  return document;
}

function applyOperation(document: unknown, operation: Operation): unknown {
  switch (operation.op) {
    case 'add':
      return write(document, operation.path, structuredClone(operation.value), 'add');
    case 'replace':
      return write(document, operation.path, structuredClone(operation.value), 'replace');
    case 'remove':
      return write(document, operation.path, undefined, 'remove');
    case 'copy':
      return write(document, operation.path, structuredClone(read(document, operation.from ?? '')), 'add');
    case 'move': {
      const value = read(document, operation.from ?? '');
      return write(write(document, operation.from ?? '', undefined, 'remove'), operation.path, value, 'add');
    }
    case 'test':
      if (JSON.stringify(read(document, operation.path)) !== JSON.stringify(operation.value)) {
        throw unprocessable(`testing value ${operation.path} failed`);
      }
      return document;
    default:
      throw unprocessable(`Unexpected kind: ${operation.op}`);
  }
}

/** RFC 6902 JSON patch. */
export function jsonPatch(target: unknown, patch: unknown): unknown {
  if (!Array.isArray(patch)) throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  let document = structuredClone(target);
  for (const operation of patch) {
    if (!isRecord(operation) || typeof operation['op'] !== 'string' || typeof operation['path'] !== 'string') {
      throw badRequest('invalid JSON patch operation: each needs "op" and "path"');
    }
    document = applyOperation(document, operation as unknown as Operation);
  }
  return document;
}

export function applyPatch(type: PatchType, target: unknown, patch: unknown): unknown {
  if (type === 'json') return jsonPatch(target, patch);
  if (!isRecord(patch)) throw badRequest('the patch must be a JSON object');
  return type === 'merge' ? mergePatch(target, patch) : strategicMergePatch(target, patch);
}
