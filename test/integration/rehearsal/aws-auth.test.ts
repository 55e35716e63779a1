import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeRepositoriesCommand, ECRClient } from '@aws-sdk/client-ecr';
import { DescribeDBClustersCommand, RDSClient } from '@aws-sdk/client-rds';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromIni } from '@aws-sdk/credential-providers';
import { after, before, describe, it } from 'mocha';
import type { Fault, Scenario } from '../../../rehearsal/src/contracts.js';
import { createClock } from '../../../rehearsal/src/clock.js';
import {
  ACCOUNTS,
  RUNBOOK_PROFILES,
  createEcrRegistry,
  startAwsServer,
  writeAwsConfig,
  type AwsServer,
} from '../../../rehearsal/src/aws/index.js';
import { instantScenario } from './scenario-fixture.js';

const credentials = { accessKeyId: 'AKIAREHEARSAL0000003', secretAccessKey: 'rehearsal-auth-secret' };
const region = 'us-east-1';

function scenario(faults: Fault[] = []): Scenario {
  return instantScenario('auth-test', 3, faults);
}

async function startWorld(faults: Fault[] = []): Promise<AwsServer> {
  const world = scenario(faults);
  const clock = createClock(world);
  return startAwsServer({ clock, scenario: world, credentials, ecr: createEcrRegistry(clock, world) });
}

async function unsigned(server: AwsServer, headers: Record<string, string>, body: string) {
  const response = await fetch(server.url, { method: 'POST', headers, body });
  return { status: response.status, text: await response.text() };
}

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

describe('rehearsal AWS: signatures and identities', () => {
  let server: AwsServer;
  before(async () => {
    server = await startWorld();
  });
  after(() => server.close());

  it('refuses unsigned requests with each protocol’s real code', async () => {
    const rds = await unsigned(server, FORM, 'Action=DescribeDBClusters&Version=2014-10-31');
    assert.equal(rds.status, 403);
    assert.match(
      rds.text,
      /<Code>MissingAuthenticationToken<\/Code><Message>Request is missing Authentication Token<\/Message>/,
    );
    const ecr = await unsigned(
      server,
      {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AmazonEC2ContainerRegistry_V20150921.DescribeImages',
      },
      '{"repositoryName":"right-pedal/lendos-portal-backend"}',
    );
    assert.deepEqual(
      [ecr.status, JSON.parse(ecr.text)],
      [400, { __type: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' }],
    );
    const sts = await unsigned(server, FORM, 'Action=GetCallerIdentity&Version=2011-06-15');
    assert.equal(sts.status, 403);
    assert.match(sts.text, /^<ErrorResponse xmlns="https:\/\/sts.amazonaws.com\/doc\/2011-06-15\/">/);
  });

  it('answers a wrong secret with a signature mismatch, and an unknown key as invalid', async () => {
    const endpoint = server.url;
    const wrongSecret = { ...credentials, secretAccessKey: 'not-the-secret' };
    const ecr = new ECRClient({ endpoint, region, credentials: wrongSecret });
    const rds = new RDSClient({ endpoint, region, credentials: wrongSecret });
    const stranger = new RDSClient({
      endpoint,
      region,
      credentials: { accessKeyId: 'AKIASTRANGER00000000', secretAccessKey: 'x' },
    });
    try {
      await assert.rejects(
        ecr.send(new DescribeRepositoriesCommand({})),
        (e: Error & { $metadata: { httpStatusCode?: number } }) =>
          e.name === 'InvalidSignatureException' && e.$metadata.httpStatusCode === 400,
      );
      await assert.rejects(
        rds.send(new DescribeDBClustersCommand({})),
        (e: Error & { $metadata: { httpStatusCode?: number } }) =>
          e.name === 'SignatureDoesNotMatch' && e.$metadata.httpStatusCode === 403,
      );
      await assert.rejects(stranger.send(new DescribeDBClustersCommand({})), {
        name: 'InvalidClientTokenId',
        message: 'The security token included in the request is invalid.',
      });
    } finally {
      [ecr, rds, stranger].forEach((client) => client.destroy());
    }
  });

  it('tells who the world key is through STS GetCallerIdentity', async () => {
    const sts = new STSClient({ endpoint: server.url, region, credentials });
    try {
      const identity = await sts.send(new GetCallerIdentityCommand({}));
      assert.equal(identity.Account, ACCOUNTS.artifacts);
      assert.equal(identity.Arn, `arn:aws:iam::${ACCOUNTS.artifacts}:user/rehearsal-engineer`);
    } finally {
      sts.destroy();
    }
  });

  it('writes config files whose runbook profiles (with "/") the SDK loads, each its own account', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rehearsal-aws-'));
    const saved = {
      config: process.env.AWS_CONFIG_FILE,
      credentials: process.env.AWS_SHARED_CREDENTIALS_FILE,
    };
    try {
      const files = writeAwsConfig(dir, credentials, region);
      assert.match(
        readFileSync(files.configFile, 'utf8'),
        /^\[profile artifacts-prod\/SREOperatorAccess\]$/m,
      );
      process.env.AWS_CONFIG_FILE = files.configFile;
      process.env.AWS_SHARED_CREDENTIALS_FILE = files.credentialsFile;
      const expected = [ACCOUNTS.artifacts, ACCOUNTS.staging, ACCOUNTS.production];
      for (const [i, profile] of RUNBOOK_PROFILES.entries()) {
        const sts = new STSClient({ endpoint: server.url, profile });
        const identity = await sts.send(new GetCallerIdentityCommand({}));
        assert.equal(await sts.config.region(), region);
        assert.equal(identity.Account, expected[i]);
        assert.match(
          identity.Arn ?? '',
          /:assumed-role\/AWSReservedSSO_SREOperatorAccess_[0-9a-f]+\/rehearsal-engineer$/,
        );
        sts.destroy();
      }
      const fromProfile = fromIni({
        profile: 'bxci-prod/SREOperatorAccess',
        filepath: files.credentialsFile,
        configFilepath: files.configFile,
      });
      const rds = new RDSClient({ endpoint: server.url, region, credentials: fromProfile });
      const clusters = (await rds.send(new DescribeDBClustersCommand({}))).DBClusters ?? [];
      assert.deepEqual(clusters.map((c) => c.DBClusterIdentifier), ['canton-20241104-0324'], 'the production account sees only its own cluster');
      rds.destroy();
    } finally {
      process.env.AWS_CONFIG_FILE = saved.config;
      process.env.AWS_SHARED_CREDENTIALS_FILE = saved.credentials;
      if (saved.config === undefined) delete process.env.AWS_CONFIG_FILE;
      if (saved.credentials === undefined) delete process.env.AWS_SHARED_CREDENTIALS_FILE;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('rehearsal AWS: expired-credentials fault', () => {
  it('answers ExpiredTokenException (ECR, JSON) and ExpiredToken (RDS, XML) only for the faulted service', async () => {
    const server = await startWorld([
      { kind: 'expired-credentials', service: 'ecr' },
      { kind: 'expired-credentials', service: 'rds' },
    ]);
    const ecr = new ECRClient({ endpoint: server.url, region, credentials });
    const rds = new RDSClient({ endpoint: server.url, region, credentials });
    const sts = new STSClient({ endpoint: server.url, region, credentials });
    try {
      await assert.rejects(ecr.send(new DescribeRepositoriesCommand({})), {
        name: 'ExpiredTokenException',
        message: 'The security token included in the request is expired',
      });
      await assert.rejects(
        rds.send(new DescribeDBClustersCommand({})),
        (e: Error & { $metadata: { httpStatusCode?: number } }) =>
          e.name === 'ExpiredToken' && e.$metadata.httpStatusCode === 403,
      );
      assert.equal((await sts.send(new GetCallerIdentityCommand({}))).Account, ACCOUNTS.artifacts);
    } finally {
      [ecr, rds, sts].forEach((client) => client.destroy());
      await server.close();
    }
  });
});
