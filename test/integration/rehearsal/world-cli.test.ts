import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { WorldDescription } from '../../../rehearsal/src/index.js';
import { prepareRehearsalWorkspace } from '../../../scripts/lib/rehearsal-workspace.mjs';
import type { Output } from '../../../src/cli/output.js';
import { loadWorldDescription, rehearseCommand, WorldFileError } from '../../../src/cli/rehearse.js';
import { waitFor } from './world-helpers.js';

const CLI = path.resolve('dist/cli.js');

function capture(): Output & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, line: (t) => out.push(t), json: (v) => out.push(JSON.stringify(v)), warn: (t) => err.push(t), error: (t) => err.push(t) };
}

/** The world's listening ports: staging, production, AWS, GitHub. */
function portsOf(world: WorldDescription): number[] {
  return [world.kube.staging.url, world.kube.production.url, world.aws.ecrEndpoint, world.github.apiUrl].map((url) => Number(new URL(url).port));
}

/** Resolves with the connection error's code, or 'connected'. */
function probe(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

describe('lendos rehearse (in process)', function () {
  let dir: string;

  beforeEach(function () {
    dir = mkdtempSync(path.join(tmpdir(), 'lendos-rehearse-cli-'));
  });

  afterEach(function () {
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers usage mistakes with exit 2 and help, and lists the scenarios', async function () {
    const plain = capture();
    assert.equal(await rehearseCommand([], plain), 2);
    assert.match(plain.err.join('\n'), /npm start/);
    const unknown = capture();
    assert.equal(await rehearseCommand(['--headless', '--scenario', 'no-such'], unknown), 2);
    assert.match(unknown.err.join('\n'), /no scenario "no-such": choose one of .*happy-path.*stage-fails-once/);
    const badOption = capture();
    assert.equal(await rehearseCommand(['--headless', '--port', '1'], badOption), 2);
    assert.match(badOption.err.join('\n'), /unknown option --port[\s\S]*Usage: lendos rehearse --headless/);
    const help = capture();
    assert.equal(await rehearseCommand(['--help'], help), 0);
    assert.match(help.out.join('\n'), /--scenario NAME/);
    const list = capture();
    assert.equal(await rehearseCommand(['--list'], list), 0);
    assert.ok(list.out.some((line) => /^fast\s+The happy path as fast as the world goes/.test(line)));
  });

  it('refuses a folder that holds something else', async function () {
    writeFileSync(path.join(dir, 'notes.txt'), 'mine\n');
    const output = capture();
    assert.equal(await rehearseCommand(['--headless', '--scenario', 'fast', '--dir', dir], output), 2);
    assert.match(output.err.join('\n'), /is not empty and holds no rehearsal world/);
  });

  it('prints the world file first, runs until stopped, then closes every port', async function () {
    const output = capture();
    const stop = new AbortController();
    const running = rehearseCommand(['--headless', '--scenario', 'fast', '--dir', dir], output, { stop: stop.signal });
    const worldFile = await waitFor('the world file line', async () => output.out[0]);
    assert.equal(worldFile, path.join(dir, 'world.json'));
    const world = loadWorldDescription(worldFile);
    assert.match(output.out.join('\n'), new RegExp(`source ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/world\\.env`));
    assert.deepEqual(await Promise.all(portsOf(world).map(probe)), ['connected', 'connected', 'connected', 'connected']);
    stop.abort();
    assert.equal(await running, 0);
    assert.deepEqual(await Promise.all(portsOf(world).map(probe)), ['ECONNREFUSED', 'ECONNREFUSED', 'ECONNREFUSED', 'ECONNREFUSED']);
  });

  it('loadWorldDescription says what is wrong with a world file', function () {
    const file = path.join(dir, 'world.json');
    assert.throws(() => loadWorldDescription(file), (e: Error) => e instanceof WorldFileError && /no world file at .*lendos rehearse --headless/.test(e.message));
    writeFileSync(file, '{ "scenario": ');
    assert.throws(() => loadWorldDescription(file), /is not JSON/);
    writeFileSync(file, JSON.stringify({ scenario: 'fast', kube: { staging: { url: 'https://127.0.0.1:1' } } }));
    assert.throws(() => loadWorldDescription(file), /missing or empty kubeconfig, contexts\.staging, .*kube\.staging\.token/);
  });
});

describe('lendos rehearse --headless (the built CLI as a process)', function () {
  let dir: string;

  before(async function () {
    if (!existsSync(path.resolve('dist/rehearsal.js'))) {
      await new Promise<void>((resolve, reject) => execFile(process.execPath, ['esbuild.mjs'], (error) => (error ? reject(error) : resolve())));
    }
    const help = await new Promise<string>((resolve) => execFile(process.execPath, [CLI, 'rehearse', '--help'], (_e, stdout, stderr) => resolve(stdout + stderr)));
    assert.match(help, /lendos rehearse --headless/, `dist/cli.js does not dispatch "rehearse" yet:\n${help}`);
  });

  beforeEach(function () {
    dir = mkdtempSync(path.join(tmpdir(), 'lendos-rehearse-process-'));
  });

  afterEach(function () {
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes world.json, and SIGTERM stops it with exit 0 and no port left open', async function () {
    const child = spawn(process.execPath, [CLI, 'rehearse', '--headless', '--scenario', 'fast', '--dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const world = await waitFor('world.json of the child', async () => {
      if (child.exitCode !== null) throw new Error(`the CLI exited (${child.exitCode}): ${stderr}`);
      const file = path.join(dir, 'world.json');
      return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as WorldDescription) : undefined;
    });
    assert.equal(world.pid, child.pid);
    assert.deepEqual(await Promise.all(portsOf(world).map(probe)), ['connected', 'connected', 'connected', 'connected']);
    child.kill('SIGTERM');
    assert.equal(await exited, 0, stderr);
    assert.equal(stdout.split('\n')[0], path.join(dir, 'world.json'));
    assert.deepEqual(await Promise.all(portsOf(world).map(probe)), ['ECONNREFUSED', 'ECONNREFUSED', 'ECONNREFUSED', 'ECONNREFUSED']);
  });

  it('prepareRehearsalWorkspace (npm start) waits for the world and stops its process group', async function () {
    const prepared = await prepareRehearsalWorkspace({ dir, scenario: 'fast' });
    const world = prepared.description;
    assert.equal(prepared.workspace, path.join(dir, 'workspace', 'lendos'));
    assert.equal(prepared.worldFile, path.join(dir, 'world.json'));
    assert.equal(prepared.env['KUBECONFIG'], path.join(dir, 'kubeconfig'));
    assert.ok(existsSync(path.join(prepared.workspace, '.vscode', 'settings.json')));
    await prepared.stop();
    assert.deepEqual(await Promise.all(portsOf(world).map(probe)), ['ECONNREFUSED', 'ECONNREFUSED', 'ECONNREFUSED', 'ECONNREFUSED']);
    assert.throws(() => process.kill(world.pid, 0), /ESRCH/);
  });

  it('prepareRehearsalWorkspace surfaces the world’s error when it cannot start', async function () {
    writeFileSync(path.join(dir, 'notes.txt'), 'mine\n');
    await assert.rejects(prepareRehearsalWorkspace({ dir, scenario: 'fast' }), /exited \(2\)[\s\S]*is not empty and holds no rehearsal world/);
  });
});
