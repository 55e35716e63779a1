/** Two environments sharing a context, profile, account or cluster: the problem is put on the one that was changed. */
import assert from 'node:assert/strict';
import { resolveConfig } from '../../src/core/config/resolve.js';

const resolve = (environments: Record<string, unknown>) =>
  resolveConfig([{ source: '.lendos/config.yaml', value: { environments } }]).problems;

describe('configuration: environments kept apart', () => {
  it("blames staging when staging was given production's context, naming both", () => {
    const problems = resolve({ staging: { kubeContext: 'bxci-prod/SREOperatorAccess' } });
    assert.equal(problems.length, 1);
    assert.equal(problems[0]?.path, 'environments.staging.kubeContext');
    assert.match(
      problems[0]?.message ?? '',
      /^is "bxci-prod\/SREOperatorAccess", the same kube context as Production \(BXCI\) \(environments\.production\.kubeContext\): every environment must be its own\. Set Staging's own kube context; nothing runs until they differ\.$/,
    );
  });

  it("blames production when production was given staging's AWS profile", () => {
    const problems = resolve({ production: { awsProfile: 'lendos-stg/SREOperatorAccess' } });
    assert.deepEqual(
      problems.map((p) => p.path),
      ['environments.production.awsProfile'],
    );
    assert.match(
      problems[0]?.message ?? '',
      /the same AWS profile as Staging \(environments\.staging\.awsProfile\)/,
    );
  });

  it('blames the later environment when both were changed to the same value', () => {
    const problems = resolve({
      staging: { identity: { account: '111111111111' } },
      production: { identity: { account: '111111111111' } },
    });
    assert.deepEqual(
      problems.map((p) => p.path),
      ['environments.production.identity.account'],
    );
    assert.match(problems[0]?.message ?? '', /the same AWS account as Staging/);
  });
});
