import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { servingCertificate } from './certificate.js';

/** A TLS record starts with the handshake content type. */
const tlsHandshake = 0x16;

export interface DualListener {
  port: number;
  close(): Promise<void>;
}

/**
 * Serves one handler over HTTPS and plain HTTP on the same loopback port, choosing by the first byte:
 * kubectl needs TLS to send its token, while simple tools may speak plain HTTP.
 */
export async function listenDual(
  handler: (request: IncomingMessage, response: ServerResponse) => void,
  port: number,
): Promise<DualListener> {
  const http = createHttpServer(handler);
  const https = createHttpsServer(servingCertificate(), handler);
  const sockets = new Set<Socket>();
  const front = createNetServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.once('data', (chunk: Buffer) => {
      socket.pause();
      socket.unshift(chunk);
      (chunk[0] === tlsHandshake ? https : http).emit('connection', socket);
      process.nextTick(() => socket.resume());
    });
  });
  await new Promise<void>((resolve, reject) => {
    front.once('error', reject);
    front.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    port: (front.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        http.closeAllConnections();
        https.closeAllConnections();
        for (const socket of sockets) socket.destroy();
        front.close(() => resolve());
      }),
  };
}
