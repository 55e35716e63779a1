import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'mocha';
import { createEcr } from '../../src/adapters/aws/index.js';
import { GitCli, GitError } from '../../src/adapters/git.js';
import { NodeProcesses } from '../../src/adapters/processes.js';
import { UserError } from '../../src/core/errors.js';
import { createClock } from '../../rehearsal/src/clock.js';
import {
  UPGRADE_BUILDS,
  createEcrRegistry,
  startAwsServer,
  writeAwsConfig,
  type AwsServer,
} from '../../rehearsal/src/aws/index.js';
import { git, scenario } from './phase1-world.js';

const NODE = process.execPath;

async function collect(request: Parameters<NodeProcesses['run']>[0]) {
  const chunks: [string, string][] = [];
  const onOutput = (chunk: string, stream: 'stdout' | 'stderr') => {
    chunks.push([stream, chunk]);
    request.onOutput?.(chunk, stream);
  };
  const result = await new NodeProcesses().run({ ...request, onOutput });
  const text = (stream: string) =>
    chunks
      .filter(([s]) => s === stream)
      .map(([, c]) => c)
      .join('');
  return { result, stdout: text('stdout'), stderr: text('stderr') };
}

describe('phase 1 adapters: processes', function () {
  this.timeout(30_000);

  it('passes arguments as an array (no shell), merges env, streams both outputs and answers the exit code', async () => {
    const script =
      'console.log(JSON.stringify(process.argv.slice(1))); console.error(process.env.LENDOS_X); process.exit(7)';
    const args = ['-e', script, '--', 'a b', '$(echo pwned)', ';rm -rf /', "'quoted'"];
    const { result, stdout, stderr } = await collect({
      command: NODE,
      args,
      cwd: os.tmpdir(),
      env: { LENDOS_X: 'from env' },
    });
    assert.deepEqual(result, { exitCode: 7, signal: null });
    assert.deepEqual(JSON.parse(stdout), ['a b', '$(echo pwned)', ';rm -rf /', "'quoted'"]);
    assert.equal(stderr, 'from env\n');
  });

  it('rejects a program that cannot start, and an already cancelled run', async () => {
    await assert.rejects(
      new NodeProcesses().run({ command: '/no/such/program', args: [], cwd: os.tmpdir() }),
      /^Error: Could not start \/no\/such\/program: spawn \/no\/such\/program ENOENT/,
    );
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(
      new NodeProcesses().run({
        command: NODE,
        args: ['-e', ''],
        cwd: os.tmpdir(),
        signal: controller.signal,
      }),
      { name: 'AbortError' },
    );
  });

  it('kills a process group that ignores SIGTERM with SIGKILL after the grace period', async () => {
    const controller = new AbortController();
    const { result, stdout } = await collect({
      command: 'bash',
      args: ['-c', 'trap "" TERM; sleep 300 & echo started; wait'],
      cwd: os.tmpdir(),
      signal: controller.signal,
      onOutput: (chunk) => chunk.includes('started') && controller.abort(),
    });
    assert.equal(stdout, 'started\n');
    assert.deepEqual(result, { exitCode: null, signal: 'SIGKILL' });
  });
});

describe('phase 1 adapters: git', () => {
  let dir = '';
  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'lendos-git-adapter-'));
    git(dir, 'init', '-q', '-b', 'develop');
    git(
      dir,
      '-c',
      'user.name=A',
      '-c',
      'user.email=a@example.com',
      'commit',
      '--allow-empty',
      '-qm',
      'first',
    );
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps the command and git’s stderr in its errors', async () => {
    const error = await new GitCli().checkout(dir, 'no-such-branch').then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(error instanceof GitError);
    assert.deepEqual(error.args, ['checkout', '--quiet', 'no-such-branch', '--']);
    assert.match(
      error.message,
      /^git checkout --quiet no-such-branch -- failed \(exit 128\):\nfatal: invalid reference: no-such-branch/,
    );
  });

  it('reads status of a staged rename, a modification and an untracked file with spaces', async () => {
    writeFileSync(path.join(dir, 'old name.txt'), 'x\n');
    writeFileSync(path.join(dir, 'kept.txt'), 'x\n');
    git(dir, 'add', '-A');
    git(dir, '-c', 'user.name=A', '-c', 'user.email=a@example.com', 'commit', '-qm', 'files');
    git(dir, 'mv', 'old name.txt', 'new name.txt');
    writeFileSync(path.join(dir, 'kept.txt'), 'y\n');
    writeFileSync(path.join(dir, 'fresh file.txt'), 'z\n');
    const gitCli = new GitCli();
    assert.deepEqual(await gitCli.status(dir), [
      { code: ' M', path: 'kept.txt' },
      { code: 'R ', path: 'new name.txt' },
    ]);
    assert.deepEqual(await gitCli.status(dir, { paths: ['fresh file.txt'], untracked: true }), [
      { code: '??', path: 'fresh file.txt' },
    ]);
  });

  it('answers missing refs and files as undefined rather than failing', async () => {
    const gitCli = new GitCli();
    assert.equal(await gitCli.revParse(dir, 'refs/heads/nothing'), undefined);
    assert.equal(await gitCli.showFile(dir, 'HEAD', 'VERSION'), undefined);
    assert.equal(await gitCli.mergeBase(dir, 'HEAD', 'HEAD'), git(dir, 'rev-parse', 'HEAD'));
    await assert.rejects(
      gitCli.commitFile(dir, { path: '../outside', content: 'x', message: 'm' }),
      /is not a path inside the repository/,
    );
  });
});

describe('phase 1 adapters: ECR on the rehearsal world', function () {
  this.timeout(30_000);
  const credentials = { accessKeyId: 'AKIAPHASE1ADAPTER001', secretAccessKey: 'adapter-secret' };
  const repository = 'right-pedal/portal-daml-upgrade';
  let server: AwsServer;
  let dir = '';
  let files: { configFile: string; credentialsFile: string };
  before(async () => {
    const world = scenario();
    const clock = createClock(world);
    server = await startAwsServer({
      clock,
      scenario: world,
      credentials,
      ecr: createEcrRegistry(clock, world),
    });
    dir = mkdtempSync(path.join(os.tmpdir(), 'lendos-ecr-adapter-'));
    files = writeAwsConfig(dir, credentials, 'us-east-1');
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const ecr = (profile = 'artifacts-prod/SREOperatorAccess') =>
    createEcr({ region: 'us-east-1', profile, endpoint: server.url, ...files });

  it('describes only the tags that exist, with digest, size and push time', async () => {
    const images = await ecr().describeImages(repository, [
      'v0.1.92.0.1.91.1-init',
      'v9.9.9.0.1.91.1-init',
      'v0.1.92.0.1.91.1-runner',
    ]);
    assert.deepEqual(
      images.map((i) => i.tag),
      ['v0.1.92.0.1.91.1-init', 'v0.1.92.0.1.91.1-runner'],
    );
    for (const image of images) {
      assert.match(image.digest, /^sha256:[0-9a-f]{64}$/);
      assert.ok(image.sizeBytes > 300 * 1024 * 1024);
      assert.ok(Date.parse(image.pushedAt) < Date.now());
    }
  });

  it('lists every tag of the repository', async () => {
    const tags = (await ecr().listImages(repository)).map((i) => i.tag).sort();
    assert.deepEqual(tags, UPGRADE_BUILDS.flatMap((b) => [`${b}-init`, `${b}-runner`]).sort());
  });

  it('names the profile and how to log in when it has no credentials', async () => {
    await assert.rejects(ecr('nobody/SREOperatorAccess').listImages(repository), (e: unknown) => {
      assert.ok(e instanceof UserError);
      assert.equal(e.reason, 'aws-credentials');
      assert.match(
        e.message,
        /^AWS credentials for profile "nobody\/SREOperatorAccess" are missing or expired \(CredentialsProviderError: /,
      );
      assert.match(e.message, /aws sso login --profile nobody\/SREOperatorAccess/);
      return true;
    });
  });

  it('says which setting to check when the repository does not exist', async () => {
    await assert.rejects(
      ecr().listImages('right-pedal/nothing-here'),
      (e: unknown) =>
        e instanceof UserError &&
        /^ECR has no repository right-pedal\/nothing-here in us-east-1 .*lendos\.ecr\.upgradeRepository/.test(
          e.message,
        ),
    );
  });
});
