import { generateKeyPairSync, sign } from 'node:crypto';

/**
 * A self-signed serving certificate for 127.0.0.1, built with node:crypto alone: kubectl (client-go) sends
 * bearer tokens only over TLS, so the API server must speak HTTPS for token auth to be real.
 */

function length(size: number): Buffer {
  if (size < 0x80) return Buffer.from([size]);
  const bytes: number[] = [];
  for (let rest = size; rest > 0; rest >>= 8) bytes.unshift(rest & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function der(tag: number, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  return Buffer.concat([Buffer.from([tag]), length(body.length), body]);
}

const sequence = (...parts: Buffer[]) => der(0x30, ...parts);

function oid(dotted: string): Buffer {
  const [first = 0, second = 0, ...rest] = dotted.split('.').map(Number);
  const bytes = [first * 40 + second];
  for (const value of rest) {
    const chunk: number[] = [value & 0x7f];
    for (let v = value >> 7; v > 0; v >>= 7) chunk.unshift((v & 0x7f) | 0x80);
    bytes.push(...chunk);
  }
  return der(0x06, Buffer.from(bytes));
}

/** A positive INTEGER in minimal two's-complement form (DER refuses leading zero bytes). */
function integer(value: Buffer): Buffer {
  let start = 0;
  while (start < value.length - 1 && value[start] === 0) start += 1;
  const minimal = value.subarray(start);
  return der(0x02, minimal[0] !== undefined && minimal[0] >= 0x80 ? Buffer.concat([Buffer.from([0]), minimal]) : minimal);
}

function utcTime(date: Date): Buffer {
  const text = date.toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z';
  return der(0x17, Buffer.from(text, 'ascii'));
}

function name(commonName: string): Buffer {
  return sequence(der(0x31, sequence(oid('2.5.4.3'), der(0x0c, Buffer.from(commonName, 'utf8')))));
}

function subjectAltNames(): Buffer {
  const names = sequence(der(0x87, Buffer.from([127, 0, 0, 1])), der(0x82, Buffer.from('localhost', 'ascii')));
  return der(0xa3, sequence(sequence(oid('2.5.29.17'), der(0x04, names))));
}

function pem(label: string, body: Buffer): string {
  const lines = body.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

export interface ServingCertificate {
  key: string;
  cert: string;
}

let cached: ServingCertificate | undefined;

/** One certificate per process (valid ten years from yesterday) is enough for every cluster of the world. */
export function servingCertificate(): ServingCertificate {
  if (cached) return cached;
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const algorithm = sequence(oid('1.2.840.10045.4.3.2'));
  const notBefore = new Date(Date.now() - 24 * 3600 * 1000);
  const notAfter = new Date(notBefore.getTime() + 3650 * 24 * 3600 * 1000);
  const tbs = sequence(
    der(0xa0, integer(Buffer.from([2]))),
    integer(Buffer.from(Date.now().toString(16).padStart(16, '0'), 'hex')),
    algorithm,
    name('kube-apiserver'),
    sequence(utcTime(notBefore), utcTime(notAfter)),
    name('kube-apiserver'),
    publicKey.export({ type: 'spki', format: 'der' }),
    subjectAltNames(),
  );
  const signature = sign('sha256', tbs, privateKey);
  const certificate = sequence(tbs, algorithm, der(0x03, Buffer.from([0]), signature));
  cached = { key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), cert: pem('CERTIFICATE', certificate) };
  return cached;
}
