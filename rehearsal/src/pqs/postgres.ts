/**
 * A real PostgreSQL for the world's PQS: Debian's binaries, a fresh cluster (`initdb`), the server on a loopback port.
 * PostgreSQL refuses to run as root, so under root the cluster belongs to `nobody` and lives in its own temp folder.
 */
import { spawn, type ChildProcess, type SpawnOptionsWithStdioTuple } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { chown, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

const BIN_ROOT = '/usr/lib/postgresql';
const ADMIN = 'pqs_admin';
const READY = 'database system is ready to accept connections';

/** The newest `/usr/lib/postgresql/<major>/bin` holding `initdb` and `postgres`, or undefined. */
export function findPostgresBin(root = BIN_ROOT): string | undefined {
  if (!existsSync(root)) return undefined;
  const majors = readdirSync(root)
    .filter((entry) => /^\d+$/.test(entry))
    .sort((a, b) => Number(b) - Number(a));
  return majors
    .map((major) => path.join(root, major, 'bin'))
    .find((bin) => existsSync(path.join(bin, 'initdb')) && existsSync(path.join(bin, 'postgres')));
}

interface RunAs {
  uid: number;
  gid: number;
}

/** Root runs PostgreSQL as `nobody`; anyone else as themselves. */
function runAs(): RunAs | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith('nobody:'));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (uid === undefined || gid === undefined) {
    throw new Error('PostgreSQL refuses to run as root and this machine has no user "nobody" to run it as');
  }
  return { uid: Number(uid), gid: Number(gid) };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Keeps the last lines of a process's output for error messages, and drains the pipe so the process never blocks. */
class Tail {
  private lines: string[] = [];
  private partial = '';
  constructor(private readonly onLine: (line: string) => void = () => undefined) {}
  push(chunk: Buffer): void {
    const parts = (this.partial + chunk.toString('utf8')).split('\n');
    this.partial = parts.pop() ?? '';
    for (const line of parts) {
      this.lines.push(line);
      this.onLine(line);
    }
    if (this.lines.length > 40) this.lines = this.lines.slice(-40);
  }
  text(): string {
    return [...this.lines, this.partial].filter(Boolean).join('\n');
  }
}

function childOptions(cwd: string, user: RunAs | undefined): SpawnOptionsWithStdioTuple<'ignore', 'pipe', 'pipe'> {
  const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', LANG: 'C', LC_ALL: 'C' };
  return { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], ...(user ?? {}) };
}

async function initdb(bin: string, data: string, password: string, user: RunAs | undefined): Promise<void> {
  const home = path.dirname(data);
  const pwfile = path.join(home, '.pwfile');
  await writeFile(pwfile, `${password}\n`, { mode: 0o600 });
  if (user) await chown(pwfile, user.uid, user.gid);
  const args = ['-D', data, '-U', ADMIN, '--pwfile', pwfile, '--auth=scram-sha-256', '-E', 'UTF8', '--locale=C', '--no-sync'];
  try {
    const child = spawn(path.join(bin, 'initdb'), args, childOptions(home, user));
    const tail = new Tail();
    child.stdout.on('data', (chunk: Buffer) => tail.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => tail.push(chunk));
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', resolve);
    });
    if (code !== 0) throw new Error(`initdb exited with ${code}:\n${tail.text()}`);
  } finally {
    await rm(pwfile, { force: true });
  }
}

export interface PostgresServer {
  readonly port: number;
  readonly admin: { user: string; password: string };
  readonly dataDir: string;
  stop(): Promise<void>;
}

/** Starts `postgres` and resolves once it accepts connections; rejects with its last log lines if it exits first. */
function startServer(bin: string, data: string, port: number, user: RunAs | undefined): Promise<ChildProcess> {
  const args = ['-D', data, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=',
    '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=40'];
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(bin, 'postgres'), args, childOptions(path.dirname(data), user));
    let ready = false;
    const tail = new Tail((line) => {
      if (!ready && line.includes(READY)) {
        ready = true;
        resolve(child);
      }
    });
    child.stdout.on('data', (chunk: Buffer) => tail.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => tail.push(chunk));
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (!ready) reject(new Error(`postgres exited (${signal ?? code}) before it was ready:\n${tail.text()}`));
    });
  });
}

/** Fast shutdown (SIGINT), then immediate (SIGQUIT) if it lingers. */
function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGQUIT'), 10_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGINT');
  });
}

/** The cluster's folder: `<worldDir>/pqs`, or a temp folder owned by `nobody` when running as root. */
async function clusterHome(worldDir: string, user: RunAs | undefined): Promise<{ home: string; temporary: boolean }> {
  if (!user) {
    const home = path.join(worldDir, 'pqs');
    await mkdir(home, { recursive: true, mode: 0o700 });
    return { home, temporary: false };
  }
  // nobody cannot traverse the world folder (mode 0700, root's), so its cluster lives beside it.
  // TMPDIR may itself be a private folder (code-server's run folder is); /tmp is traversable by everyone.
  const home = await mkdtemp(path.join(existsSync('/tmp') ? '/tmp' : tmpdir(), 'lendos-pqs-'));
  await chown(home, user.uid, user.gid);
  return { home, temporary: true };
}

/** initdb + postgres on an ephemeral loopback port; `stop()` shuts it down (and removes a temp cluster). */
export async function startPostgres(bin: string, worldDir: string): Promise<PostgresServer> {
  const user = runAs();
  const { home, temporary } = await clusterHome(worldDir, user);
  const dataDir = path.join(home, 'data');
  const password = randomBytes(18).toString('base64url');
  const cleanup = () => (temporary ? rm(home, { recursive: true, force: true }) : Promise.resolve());
  try {
    await initdb(bin, dataDir, password, user);
    const { child, port } = await startWithRetries(bin, dataDir, user);
    const onExit = () => child.kill('SIGQUIT');
    process.once('exit', onExit);
    let stopping: Promise<void> | undefined;
    const stop = () =>
      (stopping ??= stopServer(child).then(() => {
        process.off('exit', onExit);
        return cleanup();
      }));
    return { port, admin: { user: ADMIN, password }, dataDir, stop };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

/** A port found free may be taken before postgres binds it; try a few. */
async function startWithRetries(bin: string, dataDir: string, user: RunAs | undefined): Promise<{ child: ChildProcess; port: number }> {
  let last: unknown;
  for (let attempt = 0; attempt < 4; attempt++) {
    const port = await freePort();
    try {
      return { child: await startServer(bin, dataDir, port, user), port };
    } catch (error) {
      last = error;
      if (!/could not bind|Address already in use/i.test(String(error))) throw error;
    }
  }
  throw last;
}
