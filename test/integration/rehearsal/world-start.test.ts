import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startWorld, WorldDirError } from '../../../rehearsal/src/index.js';
import { kubectlPath } from '../../../scripts/tools.mjs';
import { run, startTestWorld, worldEnv, type TestWorld } from './world-helpers.js';

const ENV_NAMES = [
  'AWS_CONFIG_FILE',
  'AWS_EC2_METADATA_DISABLED',
  'AWS_ENDPOINT_URL_ECR',
  'AWS_ENDPOINT_URL_RDS',
  'AWS_ENDPOINT_URL_STS',
  'AWS_REGION',
  'AWS_SHARED_CREDENTIALS_FILE',
  'GITHUB_API_URL',
  'GITHUB_TOKEN',
  'KUBECONFIG',
  'LENDOS_PQS_URL_PRODUCTION',
  'LENDOS_PQS_URL_STAGING',
];

describe('rehearsal world: composition', function () {
  let t: TestWorld;

  before(async function () {
    t = await startTestWorld('fast');
  });

  after(async function () {
    await t?.cleanup();
  });

  it('writes world.json as its description, with every path inside the world folder', function () {
    const { description, worldFile } = t.world;
    assert.equal(worldFile, path.join(t.dir, 'world.json'));
    assert.deepEqual(JSON.parse(readFileSync(worldFile, 'utf8')), description);
    assert.equal(description.scenario, 'fast');
    assert.equal(description.dir, t.dir);
    assert.equal(description.pid, process.pid);
    assert.deepEqual(description.contexts, { staging: 'lendos-stg/SREOperatorAccess', production: 'bxci-prod/SREOperatorAccess', dev: 'lendos-dev/SREOperatorAccess' });
    assert.equal(description.kube.staging.url, t.world.clusters.staging.url);
    assert.match(description.kube.production.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.notEqual(description.kube.staging.token, description.kube.production.token);
    assert.equal(description.aws.ecrEndpoint, t.world.aws.url);
    assert.match(description.aws.credentials.accessKeyId, /^AKIA[A-Z2-7]{16}$/);
    assert.deepEqual(description.github, {
      apiUrl: t.world.github.url,
      token: description.github.token,
      owner: 'rplendos',
      productApprovers: ['luis-product'],
      approverToken: description.github.approverToken,
    });
    assert.match(description.github.approverToken, /^ghp_[A-Za-z0-9]{36}$/);
    assert.notEqual(description.github.approverToken, description.github.token);
    for (const file of [description.kubeconfig, description.aws.configFile, description.aws.credentialsFile, description.workspace.lendos, description.workspace.workloads]) {
      assert.ok(file.startsWith(`${t.dir}/`) && existsSync(file), file);
    }
    assert.ok(existsSync(path.join(description.remotes.lendos, 'HEAD')), 'the lendos remote is a bare repository');
  });

  it('writes world.env with the same variables as world.json, and its tool wrappers first on PATH, for `source`', function () {
    const { env } = t.world.description;
    assert.deepEqual(Object.keys(env).sort(), ENV_NAMES);
    assert.equal(env['AWS_EC2_METADATA_DISABLED'], 'true');
    assert.equal(env['GITHUB_API_URL'], t.world.github.url);
    const lines = readFileSync(path.join(t.dir, 'world.env'), 'utf8').split('\n').filter((l) => l.startsWith('export '));
    assert.deepEqual(lines, [...Object.entries(env).map(([name, value]) => `export ${name}='${value}'`), `export PATH='${t.world.description.bin}':"$PATH"`]);
  });

  it('points the lendos clone at the world without a change git would show', async function () {
    const { workspace } = t.world.description;
    const { worldFile } = t.world;
    const settings = JSON.parse(readFileSync(path.join(workspace.lendos, '.vscode/settings.json'), 'utf8')) as Record<string, unknown>;
    assert.deepEqual(settings, { 'lendos.rehearsal.world': worldFile, 'lendos.repositories.workloadsPath': '../lendos-eks-workloads' });
    assert.ok(readFileSync(path.join(workspace.lendos, '.git/info/exclude'), 'utf8').split('\n').includes('.vscode/'));
    const status = await run('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: workspace.lendos, env: process.env });
    assert.equal(status.stdout, '');
    assert.ok(existsSync(path.join(workspace.workloads, 'charts/daml-upgrade/run-upgrade.sh')));
  });

  it('refuses a folder it is serving, or one that holds something else', async function () {
    await assert.rejects(startWorld({ scenario: 'fast', dir: t.dir, quiet: true }), (error: Error) => {
      assert.ok(error instanceof WorldDirError);
      assert.match(error.message, /still running in .* \(this process\)/);
      return true;
    });
    const foreign = mkdtempSync(path.join(tmpdir(), 'lendos-not-a-world-'));
    try {
      writeFileSync(path.join(foreign, 'notes.txt'), 'mine\n');
      await assert.rejects(startWorld({ scenario: 'fast', dir: foreign, quiet: true }), /is not empty and holds no rehearsal world/);
      assert.equal(readFileSync(path.join(foreign, 'notes.txt'), 'utf8'), 'mine\n');
    } finally {
      rmSync(foreign, { recursive: true, force: true });
    }
  });

  it('answers the real kubectl through the kubeconfig it wrote', async function () {
    const kubectl = await kubectlPath();
    const result = await run(kubectl, ['get', 'pods', '--context', 'lendos-stg/SREOperatorAccess', '-n', 'lendos-portal'], {
      cwd: t.dir,
      env: worldEnv(t.world),
    });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^NAME\s+READY\s+STATUS/);
    assert.match(result.stdout, /^lendos-portal-backend-\S+\s+1\/1\s+Running/m);
  });

  it('answers the aws CLI given only world.env and --endpoint-url', async function () {
    const env = worldEnv(t.world);
    const endpoint = t.world.description.aws.ecrEndpoint;
    const images = await run(
      '/usr/bin/aws',
      ['ecr', 'describe-images', '--repository-name', 'right-pedal/lendos-portal-backend', '--endpoint-url', endpoint, '--query', 'length(imageDetails)'],
      { cwd: t.dir, env },
    );
    assert.equal(images.code, 0, images.stderr);
    assert.equal(Number(images.stdout.trim()), t.world.ecr.images('right-pedal/lendos-portal-backend').length);
    const identity = await run(
      '/usr/bin/aws',
      ['sts', 'get-caller-identity', '--profile', 'lendos-stg/SREOperatorAccess', '--endpoint-url', endpoint, '--query', 'Account', '--output', 'text'],
      { cwd: t.dir, env },
    );
    assert.equal(identity.code, 0, identity.stderr);
    assert.equal(identity.stdout.trim(), '620134885217');
    const clusters = await run(
      '/usr/bin/aws',
      ['rds', 'describe-db-clusters', '--endpoint-url', endpoint, '--query', 'DBClusters[].DBClusterIdentifier', '--output', 'text'],
      { cwd: t.dir, env },
    );
    assert.equal(clusters.code, 0, clusters.stderr);
    assert.deepEqual(clusters.stdout.trim().split(/\s+/).sort(), ['canton-0-1-54', 'canton-20241104-0324']);
  });
});

describe('rehearsal world: restarting in a world folder', function () {
  let dir: string;

  before(function () {
    dir = mkdtempSync(path.join(tmpdir(), 'lendos-world-restart-'));
  });

  after(function () {
    rmSync(dir, { recursive: true, force: true });
  });

  it('wipes a stopped world and starts afresh, with new keys', async function () {
    const first = await startWorld({ scenario: 'fast', dir, quiet: true });
    await first.stop();
    await first.stop();
    mkdirSync(path.join(dir, 'workspace/lendos/scratch'));
    writeFileSync(path.join(dir, 'workspace/lendos/scratch/leftover.txt'), 'from the first world\n');
    const second = await startWorld({ scenario: 'fast', dir, quiet: true });
    try {
      assert.equal(existsSync(path.join(dir, 'workspace/lendos/scratch')), false);
      assert.notEqual(second.description.github.token, first.description.github.token);
      assert.deepEqual(JSON.parse(readFileSync(second.worldFile, 'utf8')), second.description);
    } finally {
      await second.stop();
    }
  });
});
