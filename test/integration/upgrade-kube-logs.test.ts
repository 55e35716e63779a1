import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'mocha';
import { createKube } from '../../src/adapters/kube/index.js';

/** Twelve log lines; several share a timestamp, as fast writers' lines do. */
const LINES = Array.from({ length: 12 }, (_, i) => ({ time: `2025-05-01T10:00:0${Math.floor(i / 3)}.${i % 3 === 2 ? '5' : '25'}Z`, text: `line ${i + 1}` }));

/**
 * An API server for one pod whose log connection breaks twice: once with a 500, once mid-line after seven lines.
 * Resumed requests get every line from the start of `sinceTime`'s second, as a kubelet that truncates it would.
 */
function startServer() {
  const requests: string[] = [];
  let logRequests = 0;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    requests.push(`${url.pathname}?${url.searchParams.toString()}`);
    if (url.pathname === '/api/v1/namespaces/lendos-portal/pods/stage-pod') {
      const state = logRequests >= 3 ? { terminated: { exitCode: 0 } } : { running: {} };
      res.writeHead(200, { 'Content-Type': 'application/json' });
      return res.end(JSON.stringify({ metadata: { name: 'stage-pod', namespace: 'lendos-portal' }, status: { phase: 'Running', containerStatuses: [{ name: 'upgrade', state }] } }));
    }
    logRequests += 1;
    if (logRequests === 1) {
      res.writeHead(500, { 'Content-Type': 'application/json' });
      return res.end(JSON.stringify({ kind: 'Status', code: 500, message: 'etcdserver: request timed out' }));
    }
    const since = url.searchParams.get('sinceTime');
    const from = since ? since.slice(0, 19) : '';
    const lines = LINES.filter((l) => l.time.slice(0, 19) >= from).map((l) => `${l.time} ${l.text}\n`);
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    if (logRequests === 2) {
      res.write(lines.slice(0, 7).join('') + lines[7]?.slice(0, 20));
      return setTimeout(() => res.socket?.destroy(), 20);
    }
    res.end(lines.join(''));
  });
  return { server, requests };
}

describe('upgrade kube: following a pod log across broken connections', function () {
  let dir = '';
  let fake: ReturnType<typeof startServer>;
  let kubeconfig = '';

  before(async function () {
    fake = startServer();
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    const { port } = fake.server.address() as AddressInfo;
    dir = mkdtempSync(path.join(tmpdir(), 'lendos-kube-logs-'));
    kubeconfig = path.join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, [
      'apiVersion: v1', 'kind: Config',
      'clusters: [{name: c, cluster: {server: "http://127.0.0.1:' + port + '", insecure-skip-tls-verify: true}}]',
      'users: [{name: u, user: {token: t}}]',
      'contexts: [{name: lendos-stg/SREOperatorAccess, context: {cluster: c, user: u}}]',
      'current-context: ""',
    ].join('\n'));
  });

  after(async function () {
    await new Promise<void>((resolve) => fake.server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('delivers every line exactly once, in order, through a 500 and a connection cut mid-line', async function () {
    const kube = createKube({ kubeconfig });
    const seen: string[] = [];
    await kube.followPodLogs('lendos-stg/SREOperatorAccess', 'lendos-portal', 'stage-pod', 'upgrade', {
      signal: new AbortController().signal,
      onLines: (lines) => seen.push(...lines),
    });
    assert.deepEqual(seen, LINES.map((l) => l.text));
    const logs = fake.requests.filter((r) => r.includes('/log?'));
    assert.equal(logs.length, 4, `a 500, a cut, a resume and a final read: ${logs.join(' | ')}`);
    assert.ok(logs.every((r) => r.includes('timestamps=true')));
    assert.ok(!logs[1]?.includes('sinceTime'), 'the 500 delivered nothing, so the retry starts from the beginning');
    assert.match(logs[2] ?? '', /follow=true&sinceTime=2025-05-01T10%3A00%3A02\.25Z$/, 'resumed from the last whole line delivered');
    assert.match(logs[3] ?? '', /follow=false&sinceTime=2025-05-01T10%3A00%3A03\.5Z$/, 'a final read once the container exited');
  });
});
