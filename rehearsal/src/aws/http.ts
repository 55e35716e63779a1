import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AwsError } from './errors.js';
import { queryErrorResponse, queryResponse } from './xml.js';

/** Larger bodies than any ECR manifest or RDS form are refused. */
const MAX_BODY_BYTES = 8 * 1024 * 1024;

export class BodyTooLargeError extends Error {}

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BodyTooLargeError(`Request body exceeds ${MAX_BODY_BYTES} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(
  res: ServerResponse,
  status: number,
  contentType: string,
  body: string,
  headers: Record<string, string>,
): void {
  const bytes = Buffer.from(body, 'utf8');
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': String(bytes.length), ...headers });
  res.end(bytes);
}

export function sendJson(res: ServerResponse, requestId: string, payload: unknown): void {
  send(res, 200, 'application/x-amz-json-1.1', JSON.stringify(payload), { 'x-amzn-RequestId': requestId });
}

export function sendJsonError(res: ServerResponse, requestId: string, error: AwsError): void {
  const body = error.message ? { __type: error.code, message: error.message } : { __type: error.code };
  send(res, error.status, 'application/x-amz-json-1.1', JSON.stringify(body), {
    'x-amzn-RequestId': requestId,
    'x-amzn-ErrorType': error.code,
  });
}

export function sendQueryResult(
  res: ServerResponse,
  requestId: string,
  namespace: string,
  action: string,
  result: string,
): void {
  send(res, 200, 'text/xml', queryResponse(action, namespace, result, requestId), {
    'x-amzn-RequestId': requestId,
  });
}

export function sendQueryError(
  res: ServerResponse,
  requestId: string,
  namespace: string,
  error: AwsError,
): void {
  send(res, error.status, 'text/xml', queryErrorResponse(namespace, error, requestId), {
    'x-amzn-RequestId': requestId,
  });
}
