import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { badRequest, KubeError, statusBody } from './types.js';

/** The real API server refuses bodies over 3 MiB. */
const maxBodyBytes = 3 * 1024 * 1024;

export async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > maxBodyBytes) throw new KubeError(413, 'RequestEntityTooLarge', 'Request entity too large: limit is 3145728');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function mediaType(request: IncomingMessage): string {
  return (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/** Parses a create/update body: JSON, or YAML as the real API also accepts; anything else is 415. */
export function parseObjectBody(request: IncomingMessage, text: string): unknown {
  const type = mediaType(request);
  if (type === 'application/yaml') {
    try {
      return parseYaml(text) as unknown;
    } catch (error) {
      throw badRequest(`error converting YAML to JSON: ${(error as Error).message.split('\n')[0] ?? ''}`);
    }
  }
  if (type !== 'application/json' && type !== '') {
    throw new KubeError(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml`,
    );
  }
  return parseJson(text);
}

export function parseJson(text: string): unknown {
  if (text.trim() === '') throw badRequest('the request body is empty; an object was expected');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw badRequest(`couldn't get version/kind; json parse error: ${(error as Error).message}`);
  }
}

export function sendJson(response: ServerResponse, code: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(code, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-cache, private',
    ...headers,
  });
  response.end(text);
}

export function sendError(response: ServerResponse, error: unknown): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  const kubeError =
    error instanceof KubeError ? error : new KubeError(500, 'InternalError', `Internal error occurred: ${String(error)}`);
  const headers: Record<string, string> = {};
  if (kubeError.details.retryAfterSeconds !== undefined) headers['Retry-After'] = String(kubeError.details.retryAfterSeconds);
  sendJson(response, kubeError.code, statusBody(kubeError.code, kubeError.reason, kubeError.message, kubeError.details), headers);
}

/** Query flags arrive as `true`/`false`/`1`; absent means false. */
export function flag(query: URLSearchParams, name: string): boolean {
  const value = query.get(name);
  return value === 'true' || value === '1';
}

export function nonNegativeInteger(query: URLSearchParams, name: string): number | undefined {
  const value = query.get(name);
  if (value === null || value === '') return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) {
    throw badRequest(`${name}: Invalid value: "${value}": must be a non-negative integer`);
  }
  return parsed;
}

/** The meta.k8s.io version of the Table the client asked for (kubectl's server-side printing), if any. */
export function tableVersion(request: IncomingMessage): 'v1' | 'v1beta1' | undefined {
  const parts = (request.headers.accept ?? '').split(',').filter((p) => /;\s*as=Table/.test(p) && /g=meta\.k8s\.io/.test(p));
  if (parts.some((p) => /;\s*v=v1(\s*;|\s*$)/.test(p))) return 'v1';
  if (parts.some((p) => /;\s*v=v1beta1/.test(p))) return 'v1beta1';
  return undefined;
}
