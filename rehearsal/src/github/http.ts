import type { IncomingMessage } from 'node:http';

export const DOCS = 'https://docs.github.com/rest';

/** An error answered with GitHub's error body: `{ message, documentation_url, errors?, status }`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly documentationUrl: string = DOCS,
    readonly errors?: unknown[],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }

  body(): Record<string, unknown> {
    return {
      message: this.message,
      ...(this.errors ? { errors: this.errors } : {}),
      documentation_url: this.documentationUrl,
      status: String(this.status),
    };
  }
}

export const notFound = (docs = DOCS) => new HttpError(404, 'Not Found', docs);

export const validationFailed = (errors: unknown[], docs = DOCS) => new HttpError(422, 'Validation Failed', docs, errors);

export interface ApiRequest {
  method: string;
  /** Path segments after the optional `/api/v3` prefix, percent-decoded. */
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  /** e.g. `http://127.0.0.1:41234` — for `url` fields and Link headers. */
  baseUrl: string;
  /** The request's own URL, for pagination links. */
  url: URL;
  login: string;
}

export interface ApiResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export const ok = (body: unknown, headers?: Record<string, string>): ApiResponse => ({ status: 200, body, headers });
export const created = (body: unknown): ApiResponse => ({ status: 201, body });
export const noContent = (): ApiResponse => ({ status: 204 });

const MAX_BODY = 10 * 1024 * 1024;

/** Reads a JSON body; GitHub answers malformed JSON with 400 "Problems parsing JSON". */
export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY) throw new HttpError(413, 'Payload too large');
    chunks.push(buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, 'Problems parsing JSON', DOCS);
  }
}

/** The body as an object of fields; anything else (array, string) is GitHub's "Invalid request". */
export function fields(req: ApiRequest): Record<string, unknown> {
  if (req.body === null || typeof req.body !== 'object' || Array.isArray(req.body)) {
    throw new HttpError(400, 'Invalid request.\n\nFor \'links/0/schema\', is not an object.');
  }
  return req.body as Record<string, unknown>;
}

export function stringField(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    throw new HttpError(422, `Invalid request.\n\nFor '${name}', ${JSON.stringify(value)} is not a string.`);
  }
  return value;
}

/** Slices `items` by `per_page` (max 100, default 30) and `page`, with GitHub's `Link` header. */
export function paginate<T>(items: readonly T[], req: ApiRequest): { items: T[]; headers: Record<string, string> } {
  const perPage = Math.min(100, Math.max(1, Number(req.query.get('per_page')) || 30));
  const page = Math.max(1, Number(req.query.get('page')) || 1);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const link = (n: number, rel: string) => {
    const url = new URL(req.url.href);
    url.searchParams.set('per_page', String(perPage));
    url.searchParams.set('page', String(n));
    return `<${req.baseUrl}${url.pathname}${url.search}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (page > 1) links.push(link(page - 1, 'prev'));
  if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'));
  if (page > 1) links.push(link(1, 'first'));
  const headers: Record<string, string> = links.length > 0 ? { link: links.join(', ') } : {};
  return { items: items.slice((page - 1) * perPage, page * perPage), headers };
}

/** GitHub's timestamps: ISO 8601 to the second, in UTC. */
export const isoSeconds = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');
