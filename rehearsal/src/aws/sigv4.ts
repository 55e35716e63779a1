import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** An HTTP request as the server received it, enough to check its AWS Signature Version 4. */
export interface SigV4Request {
  method: string;
  /** Path and query exactly as received, e.g. `/` or `/?Action=GetCallerIdentity`. */
  url: string;
  /** Lower-case header names, as Node's `IncomingHttpHeaders`. */
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface CredentialScope {
  accessKeyId: string;
  /** `YYYYMMDD` */
  date: string;
  region: string;
  service: string;
}

export type SigV4Failure = 'missing' | 'incomplete' | 'unknown-key' | 'mismatch' | 'expired-request';

export type SigV4Verdict =
  | { ok: true; scope: CredentialScope }
  | { ok: false; failure: SigV4Failure; detail: string; scope?: CredentialScope };

interface ParsedAuthorization {
  scope: CredentialScope;
  signedHeaders: string[];
  signature: string;
}

export const ALGORITHM = 'AWS4-HMAC-SHA256';
/** AWS refuses a request whose signing time is further than this from its own clock. */
const MAX_SKEW_MS = 15 * 60 * 1000;

const sha256Hex = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data).digest();

/** RFC 3986 encoding, as SigV4 requires (encodeURIComponent leaves `!'()*` alone). */
export function escapeUri(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function headerValue(headers: SigV4Request['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/** Parses `AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…`; a string result says what is wrong. */
export function parseAuthorization(header: string): ParsedAuthorization | string {
  if (!header.startsWith(`${ALGORITHM} `))
    return `Unsupported authorization type: ${header.split(' ')[0] ?? ''}`;
  const fields = new Map<string, string>();
  for (const part of header.slice(ALGORITHM.length + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const missing = ['Credential', 'SignedHeaders', 'Signature'].filter((name) => !fields.get(name));
  if (missing.length > 0) {
    return (
      missing.map((name) => `Authorization header requires '${name}' parameter.`).join(' ') +
      ` Authorization=${header}`
    );
  }
  const credential = (fields.get('Credential') ?? '').split('/');
  const [accessKeyId, date, region, service, terminator] = credential;
  if (
    credential.length !== 5 ||
    !accessKeyId ||
    !date ||
    !region ||
    !service ||
    terminator !== 'aws4_request'
  ) {
    return `Credential should be scoped to a valid region, service and terminator 'aws4_request'. Credential=${fields.get('Credential') ?? ''}`;
  }
  return {
    scope: { accessKeyId, date, region, service },
    signedHeaders: (fields.get('SignedHeaders') ?? '').split(';'),
    signature: fields.get('Signature') ?? '',
  };
}

/** The credential scope a request claims, read before verifying it (to route it to a service). */
export function credentialScopeOf(headers: SigV4Request['headers']): CredentialScope | undefined {
  const authorization = headerValue(headers, 'authorization');
  if (!authorization) return undefined;
  const parsed = parseAuthorization(authorization);
  return typeof parsed === 'string' ? undefined : parsed.scope;
}

/** Canonical URI of a non-S3 service: the received (already encoded) path, normalized and encoded once more. */
export function canonicalUri(path: string): string {
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const trailing = segments.length > 0 && path.endsWith('/') ? '/' : '';
  return escapeUri(`/${segments.join('/')}${trailing}`).replace(/%2F/g, '/');
}

export function canonicalQuery(query: string): string {
  const pairs: Array<[string, string]> = [];
  for (const part of query.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = decodeURIComponent(eq < 0 ? part : part.slice(0, eq));
    if (key.toLowerCase() === 'x-amz-signature') continue;
    pairs.push([escapeUri(key), escapeUri(decodeURIComponent(eq < 0 ? '' : part.slice(eq + 1)))]);
  }
  pairs.sort(([ak, av], [bk, bv]) => (ak === bk ? (av < bv ? -1 : av > bv ? 1 : 0) : ak < bk ? -1 : 1));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

export function canonicalRequest(request: SigV4Request, signedHeaders: string[]): string {
  const queryAt = request.url.indexOf('?');
  const path = queryAt < 0 ? request.url : request.url.slice(0, queryAt);
  const query = queryAt < 0 ? '' : request.url.slice(queryAt + 1);
  const headerLines = signedHeaders.map((name) => {
    const value = (headerValue(request.headers, name) ?? '')
      .replace(/[\r\n]/g, ' ')
      .replace(/[ \t]+/g, ' ')
      .trim();
    return `${name}:${value}\n`;
  });
  const payloadHash = headerValue(request.headers, 'x-amz-content-sha256') ?? sha256Hex(request.body);
  return [
    request.method.toUpperCase(),
    canonicalUri(path),
    canonicalQuery(query),
    headerLines.join(''),
    signedHeaders.join(';'),
    payloadHash,
  ].join('\n');
}

export function signingKey(secretAccessKey: string, scope: CredentialScope): Buffer {
  const dateKey = hmac(`AWS4${secretAccessKey}`, scope.date);
  return hmac(hmac(hmac(dateKey, scope.region), scope.service), 'aws4_request');
}

export function signatureFor(
  request: SigV4Request,
  secretAccessKey: string,
  scope: CredentialScope,
  amzDate: string,
  signedHeaders: string[],
): string {
  const scopeText = `${scope.date}/${scope.region}/${scope.service}/aws4_request`;
  const stringToSign = [
    ALGORITHM,
    amzDate,
    scopeText,
    sha256Hex(canonicalRequest(request, signedHeaders)),
  ].join('\n');
  return createHmac('sha256', signingKey(secretAccessKey, scope)).update(stringToSign).digest('hex');
}

/** `20150830T123600Z` → Date; undefined when it is not that basic ISO 8601 form. */
function parseAmzDate(value: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  return new Date(
    Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])),
  );
}

/** `Date` → `20150830T123600Z` */
export const amzDateOf = (date: Date): string =>
  date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

function signingTime(request: SigV4Request): { amzDate: string; time: Date } | string {
  const amzDate = headerValue(request.headers, 'x-amz-date');
  if (amzDate) {
    const time = parseAmzDate(amzDate);
    return time ? { amzDate, time } : `Invalid X-Amz-Date: ${amzDate}`;
  }
  const date = headerValue(request.headers, 'date');
  const time = date ? new Date(date) : undefined;
  if (!time || Number.isNaN(time.getTime())) {
    return "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.";
  }
  return { amzDate: amzDateOf(time), time };
}

function checkTime(time: Date, amzDate: string, scope: CredentialScope, now: Date): string | undefined {
  if (amzDate.slice(0, 8) !== scope.date) {
    return `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scope.date}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`;
  }
  const skew = time.getTime() - now.getTime();
  if (skew < -MAX_SKEW_MS) {
    return `Signature expired: ${amzDate} is now earlier than ${amzDateOf(new Date(now.getTime() - MAX_SKEW_MS))} (${amzDateOf(now)} - 15 min.)`;
  }
  if (skew > MAX_SKEW_MS) {
    return `Signature not yet current: ${amzDate} is still later than ${amzDateOf(new Date(now.getTime() + MAX_SKEW_MS))} (${amzDateOf(now)} + 15 min.)`;
  }
  return undefined;
}

/**
 * Verifies a request's SigV4 Authorization header against the secret of its access key.
 * Pure: the secret lookup and the current time are inputs.
 */
export function verifySigV4(
  request: SigV4Request,
  secretFor: (accessKeyId: string) => string | undefined,
  now: Date,
): SigV4Verdict {
  const authorization = headerValue(request.headers, 'authorization');
  if (!authorization)
    return { ok: false, failure: 'missing', detail: 'Request is missing Authentication Token' };
  const parsed = parseAuthorization(authorization);
  if (typeof parsed === 'string') return { ok: false, failure: 'incomplete', detail: parsed };
  const { scope, signedHeaders, signature } = parsed;
  if (!signedHeaders.includes('host')) {
    return {
      ok: false,
      failure: 'incomplete',
      scope,
      detail: `'Host' must be a signed header. Authorization=${authorization}`,
    };
  }
  const timing = signingTime(request);
  if (typeof timing === 'string') return { ok: false, failure: 'incomplete', scope, detail: timing };
  const secret = secretFor(scope.accessKeyId);
  if (secret === undefined) {
    return {
      ok: false,
      failure: 'unknown-key',
      scope,
      detail: 'The security token included in the request is invalid.',
    };
  }
  const timeProblem = checkTime(timing.time, timing.amzDate, scope, now);
  if (timeProblem) return { ok: false, failure: 'expired-request', scope, detail: timeProblem };
  const expected = Buffer.from(signatureFor(request, secret, scope, timing.amzDate, signedHeaders));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return {
      ok: false,
      failure: 'mismatch',
      scope,
      detail:
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    };
  }
  return { ok: true, scope };
}
