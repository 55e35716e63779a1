import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, describe, it } from 'mocha';
import { UPGRADE_REPOSITORY, UpgradeAwsWorld } from './upgrade-aws-harness.js';

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();
const CHECKS = ['approval', 'kube context', 'AWS identity', 'Canton cluster', 'upgrade images', 'workloads repo', 'values-tags', 'PQS counts'];

/** Pushes this release's upgrade images into the world's ECR and journals 1.4's evidence of them. */
async function recordUpgradeImages(w: UpgradeAwsWorld): Promise<{ tag: string; digest: string }[]> {
  const images = (['init', 'runner'] as const).map((variant) => {
    const image = w.test.world.ecr.putImage({ repository: UPGRADE_REPOSITORY, tags: [`v0.1.93.0.1.92.7-${variant}`] });
    return { variant, tag: image.tags[0] ?? '', digest: image.digest, sizeBytes: image.sizeBytes, pushedAt: image.pushedAt.toISOString() };
  });
  await w.recordSuccess('prep.upgrade-images', { repository: UPGRADE_REPOSITORY, from: '0.1.92', to: '0.1.93', build: 7, images });
  return images;
}

describe('Section 3 prerequisites on the rehearsal world (fast)', function () {
  this.timeout(120_000);
  let w: UpgradeAwsWorld;
  let images: { tag: string; digest: string }[];
  before(async function () {
    w = await UpgradeAwsWorld.start('fast');
    assert.ok(w.test.world.pqs, 'the world needs PostgreSQL for PQS: install the Debian package "postgresql"');
    images = await recordUpgradeImages(w);
  });
  after(async () => w?.cleanup());

  it('staging: every check passes, each with its evidence, and the PQS counts before the upgrade are recorded', async () => {
    const step = 'staging.upgrade.prerequisites';
    await w.markDependenciesDone(step);
    const { result, log } = await w.run(step);
    assert.equal(result.status, 'succeeded', `${result.summary}\n${log.text()}`);
    const seeded = w.test.world.pqs?.seeded.staging ?? {};
    const total = Object.values(seeded).reduce((a, b) => a + b, 0);
    assert.equal(result.summary, `All 8 prerequisites hold; PQS: ${total} active contracts`);
    const evidence = await w.evidence(step);
    assert.deepEqual((evidence['checks'] as { check: string; ok: boolean }[]).map((c) => [c.check, c.ok]), CHECKS.map((c) => [c, true]));
    assert.deepEqual(evidence['approval'], { step: 'staging.values-tags' });
    const identity = w.test.world.description.identities.staging;
    assert.deepEqual(evidence['kube'], { context: 'lendos-stg/SREOperatorAccess', server: identity.server, cluster: identity.eksCluster, clusterUid: identity.clusterUid });
    assert.equal((evidence['awsIdentity'] as { account: string }).account, '620134885217');
    assert.match((evidence['awsIdentity'] as { arn: string }).arn, /^arn:aws:sts::620134885217:assumed-role\/AWSReservedSSO_SREOperatorAccess_/);
    assert.deepEqual(evidence['cantonCluster'], {
      id: 'canton-0-1-54',
      status: 'available',
      engine: 'aurora-postgresql',
      arn: 'arn:aws:rds:us-east-1:620134885217:cluster:canton-0-1-54',
    });
    assert.deepEqual((evidence['upgradeImages'] as { tag: string; digest: string }[]).map((i) => [i.tag, i.digest]), images.map((i) => [i.tag, i.digest]));
    const workloads = w.test.world.description.workspace.workloads;
    assert.deepEqual(evidence['workloads'], { path: workloads, commit: git(workloads, 'rev-parse', 'HEAD'), behindMain: 0 });
    assert.deepEqual(evidence['pqsCounts'], seeded);
    assert.ok(Date.now() - Date.parse(String(evidence['pqsCountsAt'])) < 60_000);
    assert.match(log.text(), /✓ PQS counts: \d+ active contracts over 6 templates/);
    assert.match(log.text(), /lendos-model:LendOS\.Loan:Loan\s+\d+/);
  });

  it('production: failed checks fail the step with a list saying which and what to do next; the evidence is kept', async () => {
    const step = 'production.upgrade.prerequisites';
    await w.markDependenciesDone(step);
    const workloads = w.test.world.description.workspace.workloads;
    git(workloads, 'reset', '-q', '--hard', 'HEAD~1');
    try {
      const { result } = await w.run(step);
      assert.equal(result.status, 'failed');
      const lines = result.summary.split('\n');
      assert.equal(lines[0], '2 of 8 prerequisites failed:');
      assert.match(lines[1] ?? '', /^- approval: staging\.smoke-approval is done but records neither an approval found on GitHub nor a note saying who approved production and when\. Next: Reset staging\.smoke-approval and mark it done again with a note/);
      assert.match(lines[2] ?? '', /^- workloads repo: .*lendos-eks-workloads is 1 commit\(s\) behind origin\/main\. Next: git -C .*lendos-eks-workloads checkout main && git -C .* pull origin main$/);
      const evidence = await w.evidence(step);
      const checks = evidence['checks'] as { check: string; ok: boolean }[];
      assert.deepEqual(checks.filter((c) => !c.ok).map((c) => c.check), ['approval', 'workloads repo']);
      assert.equal((evidence['awsIdentity'] as { account: string }).account, '739451022368');
      assert.deepEqual(evidence['pqsCounts'], w.test.world.pqs?.seeded.production);
    } finally {
      git(workloads, 'pull', '-q', '--ff-only', 'origin', 'main');
    }
  });

  it('production: passes once the approval carries its note and the clone is current', async () => {
    const step = 'production.upgrade.prerequisites';
    await w.service.reset('2025.4.0', 'staging.smoke-approval');
    await w.service.markDone('2025.4.0', 'staging.smoke-approval', { force: true, note: 'Approved by Luis in REL-123' });
    const { result } = await w.run(step);
    assert.equal(result.status, 'succeeded', result.summary);
    assert.deepEqual((await w.evidence(step))['approval'], { step: 'staging.smoke-approval', note: 'Approved by Luis in REL-123' });
  });

  it('production: accepts the approval 2.5 found on GitHub (who, when, where) as well as a note', async () => {
    const step = 'production.upgrade.prerequisites';
    await w.service.reset('2025.4.0', 'staging.smoke-approval');
    const approval = { by: 'luis-product', at: '2025-11-10T14:02:31Z', where: 'https://github.com/rplendos/lendos/pull/5830#pullrequestreview-7', how: 'review' };
    await w.recordSuccess('staging.smoke-approval', { approval, pr: 5830, prUrl: 'https://github.com/rplendos/lendos/pull/5830' });
    const { result, log } = await w.run(step);
    assert.equal(result.status, 'succeeded', result.summary);
    assert.deepEqual((await w.evidence(step))['approval'], { step: 'staging.smoke-approval', by: approval.by, at: approval.at, where: approval.where });
    assert.match(log.text(), /✓ approval: staging\.smoke-approval: approved by luis-product on 2025-11-10 14:02 UTC \(review: https:\/\/github\.com\/rplendos\/lendos\/pull\/5830#pullrequestreview-7\)/);
  });

  it('fails the images check when a tag 1.4 verified now points at another image', async () => {
    const step = 'staging.upgrade.prerequisites';
    const init = images[0]?.tag ?? '';
    w.test.world.ecr.putImage({ repository: UPGRADE_REPOSITORY, tags: [init], manifest: '{"schemaVersion":2,"moved":true}' });
    const { result } = await w.run(step);
    assert.equal(result.status, 'failed');
    assert.match(result.summary, new RegExp(`- upgrade images: ${init.replace(/\./g, '\\.')} now point at another image than 1\\.4 verified\\. Next: Find out who pushed them`));
  });
});
