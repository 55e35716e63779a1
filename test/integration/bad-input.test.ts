/**
 * The bad-input suite: one rehearsal world, the built CLI as a child process (stdin not a TTY), and a table of bad
 * inputs — versions, `--set`, usage, config, world.json, journal lines, contexts and identities, confirmations,
 * concurrent runs and hostile strings from the cluster. Each case asserts its exit code and a message that says what
 * is wrong and what to do, and that nothing changed: in both clusters, in git, in ECR and RDS, and under `.lendos/`.
 */
import assert from 'node:assert/strict';
import { runCase, type BadInput } from './bad-input-case.js';
import { CLI_CASES } from './bad-input-cases-cli.js';
import { CLUSTER_CASES } from './bad-input-cases-cluster.js';
import { FILE_CASES } from './bad-input-cases-files.js';
import { BadInputWorld, CLUSTERS, differences, VERSION } from './bad-input-world.js';

const CASES: readonly BadInput[] = [...CLI_CASES, ...FILE_CASES, ...CLUSTER_CASES];

describe('bad inputs change nothing and say what to do (built CLI, rehearsal world)', function () {
  this.timeout(120_000);
  let h: BadInputWorld;

  before(async function () {
    this.timeout(300_000);
    h = await BadInputWorld.start();
    // A release under way: Phase 1's first steps done for real, each environment's prerequisites marked done, so
    // that the upgrade steps get as far as their identity, confirmation and lock checks.
    await h.must('start', VERSION);
    await h.must('run', 'prep.cut-release-branch', '--yes');
    await h.must('run', 'prep.bump-version', '--yes');
    for (const env of CLUSTERS)
      await h.must('done', `${env}.upgrade.prerequisites`, '--note', 'checked (test)', '--force');
    h.snapshotBaseline();
    const state = await h.fingerprint();
    // The fingerprint sees the world, not an empty shell.
    for (const env of CLUSTERS) {
      const replicas = Object.values(state.cluster[env]?.replicas ?? {});
      assert.ok(
        replicas.some((r) => (r ?? 0) > 0),
        `${env} has running Deployments`,
      );
      assert.ok(
        Object.keys(state.cluster[env]?.syncPolicies ?? {}).length > 0,
        `${env} has Argo CD Applications`,
      );
    }
    assert.ok(Object.keys(state.ecr).length > 0, 'ECR has repositories');
    const accounts = new Set(state.rds.map((s) => s.split(' ')[0]));
    assert.ok(accounts.size >= 2, `RDS snapshots in both Canton accounts: ${[...accounts].join(', ')}`);
    assert.match(state.git.lendosRemote ?? '', /refs\/heads\/release\/2025\.4\.0 /);
  });
  after(async () => h?.stop());

  it('has at least 40 cases, each with a unique name', () => {
    assert.ok(CASES.length >= 40, `${CASES.length} cases`);
    assert.equal(new Set(CASES.map((c) => c.name)).size, CASES.length);
  });

  for (const c of CASES) it(`${c.theme}: ${c.name}`, () => runCase(h, c));

  it('control: a good input does change the world, and the fingerprint sees it', async () => {
    const before = await h.fingerprint();
    const result = await h.lendos(['run', 'staging.upgrade.scale-down', '--yes']);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    const changed = differences(before, await h.fingerprint()).join('\n');
    assert.match(
      changed,
      /^cluster\.staging\.replicas\.lendos-portal\/lendos-portal: [1-9]\d* → 0$/m,
      changed,
    );
    assert.match(
      changed,
      /^cluster\.staging\.leases\.lendos-portal\/lendos-release-upgrade: absent → /m,
      changed,
    );
    assert.match(changed, /^files\.runs\/2025\.4\.0\.jsonl: /m, changed);
    assert.doesNotMatch(changed, /^cluster\.production\./m, 'production is untouched');
  });
});
