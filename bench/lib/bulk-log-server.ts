/**
 * The log bench's second source, for the product's own ceiling: a minimal HTTPS server with the two endpoints
 * `followPodLogs` calls (read a pod, read its log), sending timestamped lines in 64 KiB writes as fast as the reader
 * takes them (socket backpressure), 1,000 lines per millisecond timestamp. It is not the rehearsal server and makes
 * no claim about the API; it only makes the source faster than the reader.
 */
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { servingCertificate } from '../../rehearsal/src/kube/certificate.js';

const CHUNK_BYTES = 64 * 1024;
const LINES_PER_STAMP = 1_000;
const EPOCH = Date.parse('2025-05-01T10:00:00.000Z');

/** The RFC 3339 nanosecond timestamp of line `index`, formatted once per millisecond. */
const stamp = (() => {
  let block = -1;
  let formatted = '';
  return (index: number): string => {
    const current = Math.floor(index / LINES_PER_STAMP);
    if (current !== block) {
      block = current;
      formatted = new Date(EPOCH + current).toISOString().replace(/Z$/, '000000Z');
    }
    return formatted;
  };
})();

function text(index: number, total: number): string {
  return `INFO  UpgradeWorker - Migrating shard 2/3: ${index + 1}/${total} (${Math.floor((100 * (index + 1)) / total)}%)`;
}

export class BulkLogServer {
  private total = 0;
  private sent = 0;
  private readonly server = https.createServer(servingCertificate(), (request, response) =>
    this.serve(request.url ?? '/', response),
  );

  /** The next log request streams `total` lines, then the container counts as exited. */
  expect(total: number): void {
    this.total = total;
    this.sent = 0;
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `https://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private serve(url: string, response: import('node:http').ServerResponse): void {
    const { pathname, searchParams } = new URL(url, 'https://localhost');
    if (!pathname.endsWith('/log')) {
      const state = this.sent >= this.total ? { terminated: { exitCode: 0 } } : { running: {} };
      response.writeHead(200, { 'Content-Type': 'application/json' });
      return void response.end(
        JSON.stringify({ status: { phase: 'Running', containerStatuses: [{ name: 'upgrade', state }] } }),
      );
    }
    response.writeHead(200, { 'Content-Type': 'text/plain' });
    const since = searchParams.get('sinceTime');
    if (since)
      return void response.end(
        this.linesFrom(Math.max(0, this.total - LINES_PER_STAMP))
          .filter((l) => l >= since)
          .join(''),
      );
    this.stream(response);
  }

  private linesFrom(start: number): string[] {
    const lines: string[] = [];
    for (let i = start; i < this.total; i++) lines.push(`${stamp(i)} ${text(i, this.total)}\n`);
    return lines;
  }

  /** Writes 64 KiB at a time while the socket takes it, and waits for `drain` when it does not. */
  private stream(response: import('node:http').ServerResponse): void {
    const more = (): void => {
      while (this.sent < this.total) {
        let chunk = '';
        while (chunk.length < CHUNK_BYTES && this.sent < this.total) {
          chunk += `${stamp(this.sent)} ${text(this.sent, this.total)}\n`;
          this.sent += 1;
        }
        if (!response.write(chunk)) return void response.once('drain', more);
      }
      response.end();
    };
    more();
  }
}
