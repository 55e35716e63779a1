import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'mocha';
import type { Scenario } from '../../../rehearsal/src/contracts.js';
import { createClock } from '../../../rehearsal/src/clock.js';
import {
  ACCOUNTS,
  createEcrRegistry,
  startAwsServer,
  writeAwsConfig,
  type AwsConfigFiles,
  type AwsServer,
} from '../../../rehearsal/src/aws/index.js';

const run = promisify(execFile);
// Debian's aws CLI v2; an older v1 may come first on PATH.
const AWS = '/usr/bin/aws';
const credentials = { accessKeyId: 'AKIAREHEARSAL0000004', secretAccessKey: 'rehearsal-cli-secret' };

const scenario: Scenario = {
  name: 'cli-test',
  description: '',
  seed: 11,
  timeScale: 0.0002,
  durations: {
    podReady: 1,
    podTerminate: 1,
    stage: 1,
    snapshot: 1_200_000,
    restore: 1,
    argoSync: 1,
    mainBuild: 1,
  },
  faults: [],
};

/** The environment of an engineer's shell with only the world's AWS files, and no way to reach real AWS. */
function cliEnv(home: string, files: AwsConfigFiles, profile: string): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_')));
  return {
    ...env,
    HOME: home,
    AWS_CONFIG_FILE: files.configFile,
    AWS_SHARED_CREDENTIALS_FILE: files.credentialsFile,
    AWS_PROFILE: profile,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
  };
}

/** Cells of an `--output table` answer, top to bottom. */
const tableCells = (table: string): string[] =>
  table
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .flatMap((line) => line.split('|').map((cell) => cell.trim()))
    .filter((cell) => cell !== '');

describe('rehearsal AWS: the runbook’s commands through the real aws CLI v2', function () {
  this.timeout(120_000);
  let server: AwsServer;
  let home: string;
  let files: AwsConfigFiles;

  const aws = async (profile: string, args: string[]) =>
    run(AWS, [...args, '--endpoint-url', server.url], { env: cliEnv(home, files, profile) });

  before(async () => {
    const clock = createClock(scenario);
    server = await startAwsServer({ clock, scenario, credentials, ecr: createEcrRegistry(clock, scenario) });
    home = mkdtempSync(join(tmpdir(), 'rehearsal-aws-cli-'));
    files = writeAwsConfig(join(home, '.aws'), credentials, 'us-east-1');
  });
  after(async () => {
    await server.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('1.4 verification: describe-images of portal-daml-upgrade as a table of tags', async () => {
    const { stdout } = await aws('artifacts-prod/SREOperatorAccess', [
      ...[
        'ecr',
        'describe-images',
        '--repository-name',
        'right-pedal/portal-daml-upgrade',
        '--region',
        'us-east-1',
      ],
      ...['--query', 'imageDetails[*].imageTags', '--output', 'table'],
    ]);
    const cells = tableCells(stdout);
    assert.equal(cells[0], 'DescribeImages');
    assert.ok(cells.includes('v0.1.92.0.1.91.1-init'));
    assert.ok(cells.includes('v0.1.92.0.1.91.1-runner'));
  });

  it('2.2: the five newest lendos-portal-backend tags by imagePushedAt, across all pages', async () => {
    const { stdout } = await aws('artifacts-prod/SREOperatorAccess', [
      ...[
        'ecr',
        'describe-images',
        '--repository-name',
        'right-pedal/lendos-portal-backend',
        '--region',
        'us-east-1',
      ],
      ...['--query', 'sort_by(imageDetails,&imagePushedAt)[-5:].imageTags', '--output', 'table'],
    ]);
    assert.deepEqual(tableCells(stdout).slice(1), [
      'v0.0.825',
      'v0.0.826',
      'v0.0.827',
      'v0.0.828',
      'v0.0.829',
    ]);
  });

  it('3.1.3: the snapshot taken on staging reads "available" once done', async () => {
    const id = 'canton-upgrade-2025-4-0-20250310-1412';
    const profile = 'lendos-stg/SREOperatorAccess';
    const created = await aws(profile, [
      ...['rds', 'create-db-cluster-snapshot', '--db-cluster-identifier', 'canton-0-1-54'],
      ...['--db-cluster-snapshot-identifier', id, '--region', 'us-east-1'],
    ]);
    assert.equal(
      (JSON.parse(created.stdout) as { DBClusterSnapshot: { Status: string } }).DBClusterSnapshot.Status,
      'creating',
    );
    while (server.rds.snapshots().find((s) => s.identifier === id)?.status !== 'available') {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const { stdout } = await aws(profile, [
      ...[
        'rds',
        'describe-db-cluster-snapshots',
        '--db-cluster-snapshot-identifier',
        id,
        '--region',
        'us-east-1',
      ],
      ...['--query', 'DBClusterSnapshots[0].Status'],
    ]);
    assert.equal(stdout.trim(), '"available"');
  });

  it('puts an image with put-image, and a repeated push fails with ImageAlreadyExistsException', async () => {
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      config: {
        mediaType: 'application/vnd.docker.container.image.v1+json',
        size: 1,
        digest: `sha256:${'e'.repeat(64)}`,
      },
      layers: [],
    });
    const args = [
      ...[
        'ecr',
        'put-image',
        '--repository-name',
        'right-pedal/portal-daml-upgrade',
        '--region',
        'us-east-1',
      ],
      ...['--image-tag', '2025.4.0.1-init', '--image-manifest', manifest],
    ];
    const put = await aws('artifacts-prod/SREOperatorAccess', args);
    assert.equal(
      (JSON.parse(put.stdout) as { image: { imageId: { imageTag: string } } }).image.imageId.imageTag,
      '2025.4.0.1-init',
    );
    await assert.rejects(aws('artifacts-prod/SREOperatorAccess', args), (error: Error & { stderr: string }) =>
      /An error occurred \(ImageAlreadyExistsException\) when calling the PutImage operation/.test(
        error.stderr,
      ),
    );
  });

  it('verifies the AWS identity of the production profile with sts get-caller-identity', async () => {
    const { stdout } = await aws('bxci-prod/SREOperatorAccess', [
      'sts',
      'get-caller-identity',
      '--query',
      'Account',
      '--output',
      'text',
    ]);
    assert.equal(stdout.trim(), ACCOUNTS.production);
  });
});
