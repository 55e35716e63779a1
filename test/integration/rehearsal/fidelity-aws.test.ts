/**
 * Fidelity: the runbook's aws commands, typed verbatim into a shell that sourced world.env, reach the world with the
 * AWS CLIs engineers really have — Debian's v2.9 and an older v1 first on PATH, both of which ignore
 * AWS_ENDPOINT_URL_* — and nothing else of AWS is reachable from that shell by mistake.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { run, startTestWorld, type TestWorld } from './world-helpers.js';

/** A shell as an engineer opens it: a clean environment, `source world.env`, then the command line as typed. */
function shell(t: TestWorld, line: string, pathFirst: string[] = []): ReturnType<typeof run> {
  const env = { HOME: tmpdir(), PATH: [...pathFirst, '/usr/local/bin', '/usr/bin', '/bin'].join(path.delimiter) };
  // --norc: bash started with a socket for stdin reads ~/.bashrc, whose PATH is the machine's, not the test's.
  return run('/bin/bash', ['--norc', '--noprofile', '-c', `source ${JSON.stringify(path.join(t.dir, 'world.env'))} && ${line}`], { cwd: t.dir, env });
}

/** The folders of this process's PATH holding an AWS CLI v1 (one may come first on an engineer's PATH), if any. */
const OLDER_CLI = (process.env['PATH'] ?? '').split(path.delimiter).filter((dir) => {
  const aws = path.join(dir, 'aws');
  if (!dir || !existsSync(aws)) return false;
  try {
    return /^aws-cli\/1\./.test(execFileSync(aws, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
  } catch {
    return false;
  }
}).slice(0, 1);

describe('rehearsal fidelity: the runbook’s aws commands verbatim from a world.env shell', function () {
  this.timeout(120_000);
  let t: TestWorld;

  before(async function () {
    if (!existsSync('/usr/bin/aws')) this.skip();
    t = await startTestWorld('fast');
  });
  after(async () => t?.cleanup());

  for (const [cli, first] of [['Debian’s aws 2.9', []], ...OLDER_CLI.map((dir) => [`the aws v1 in ${dir}`, [dir]] as const)] as const) {
    it(`ECR's newest tags (2.2) and the upgrade images (1.4) as tables, with ${cli}`, async () => {
      const version = await shell(t, 'aws --version', [...first]);
      assert.equal(version.code, 0, version.stderr);
      assert.match(version.stdout + version.stderr, first.length > 0 ? /^aws-cli\/1\./ : /^aws-cli\/2\./);
      const tags = await shell(t, "aws ecr describe-images --repository-name right-pedal/lendos-portal-backend --region us-east-1 --query 'sort_by(imageDetails,&imagePushedAt)[-5:].imageTags' --output table", [...first]);
      assert.equal(tags.code, 0, tags.stderr);
      assert.match(tags.stdout, /^-+\n\|\s*DescribeImages\s*\|\n\+-+\+\n(\|\s+v0\.0\.\d+\s+\|\n){5}\+-+\+\n$/);
      const upgrade = await shell(t, "aws ecr describe-images --repository-name right-pedal/portal-daml-upgrade --region us-east-1 --query 'imageDetails[*].imageTags' --output table", [...first]);
      assert.equal(upgrade.code, 0, upgrade.stderr);
      assert.match(upgrade.stdout, /DescribeImages/);
    });

    it(`RDS's clusters and snapshots for the staging profile, with ${cli}`, async () => {
      const clusters = await shell(t, "aws rds describe-db-clusters --db-cluster-identifier canton-0-1-54 --profile lendos-stg/SREOperatorAccess --region us-east-1 --query 'DBClusters[0].Status'", [...first]);
      assert.equal(clusters.code, 0, clusters.stderr);
      assert.equal(clusters.stdout.trim(), '"available"');
      const snapshots = await shell(t, "aws rds describe-db-cluster-snapshots --db-cluster-snapshot-identifier canton-upgrade-2025-4-0-20251110-1432 --region us-east-1 --profile lendos-stg/SREOperatorAccess --query 'DBClusterSnapshots[0].Status'", [...first]);
      assert.notEqual(snapshots.code, 0, 'no such snapshot in the world');
      assert.match(snapshots.stderr, /DBClusterSnapshotNotFoundFault/);
    });
  }

  it('refuses every other service, so real AWS is out of reach from a rehearsal shell', async () => {
    for (const line of ['aws s3 ls', 'aws --region us-east-1 ec2 describe-instances', 'aws --profile bxci-prod/SREOperatorAccess eks update-kubeconfig --name bxci-prod']) {
      const refused = await shell(t, line);
      assert.equal(refused.code, 252, line);
      assert.match(refused.stderr, /LendOS rehearsal: "aws (s3|ec2|eks)" is refused in this shell: the rehearsal world serves only ecr, rds, sts/, line);
    }
    const which = await shell(t, 'command -v aws');
    assert.equal(which.stdout.trim(), path.join(t.dir, 'bin', 'aws'));
  });
});
