import { ALGORITHM, amzDateOf, signatureFor, type CredentialScope, type SigV4Request } from './sigv4.js';

export interface SigningInput {
  method: string;
  url: URL;
  /** Headers to send and sign; `host` and `x-amz-date` are added. */
  headers: Record<string, string>;
  body: string | Buffer;
}

/**
 * Signs a request the way the SDKs do, for the world's own scripts and tests that call it without an SDK:
 * returns the headers to send, `authorization` included; `host` is signed but left to the HTTP client to send.
 */
export function signRequest(
  input: SigningInput,
  credentials: { accessKeyId: string; secretAccessKey: string },
  region: string,
  service: string,
  now: Date = new Date(),
): Record<string, string> {
  const amzDate = amzDateOf(now);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(input.headers)) headers[name.toLowerCase()] = value;
  headers['host'] = input.url.host;
  headers['x-amz-date'] = amzDate;
  const signedHeaders = Object.keys(headers).sort();
  const scope: CredentialScope = {
    accessKeyId: credentials.accessKeyId,
    date: amzDate.slice(0, 8),
    region,
    service,
  };
  const request: SigV4Request = {
    method: input.method,
    url: `${input.url.pathname}${input.url.search}`,
    headers,
    body: Buffer.from(input.body),
  };
  const signature = signatureFor(request, credentials.secretAccessKey, scope, amzDate, signedHeaders);
  const credential = `${scope.accessKeyId}/${scope.date}/${region}/${service}/aws4_request`;
  const { host: _host, ...toSend } = headers;
  return {
    ...toSend,
    authorization: `${ALGORITHM} Credential=${credential}, SignedHeaders=${signedHeaders.join(';')}, Signature=${signature}`,
  };
}
