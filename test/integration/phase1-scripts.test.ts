import assert from 'node:assert/strict';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'mocha';
import { writeScenarioFaults } from '../../rehearsal/src/git/index.js';
import { groupMembers } from './helpers.js';
import { Phase1World, VERSION, git, usePhase1Worlds } from './phase1-world.js';

const UPGRADE = `upgrade/${VERSION}`;
const RUNNER_TAG = 'v0.1.93.0.1.92.1-runner';
const UPGRADE_REPOSITORY = 'right-pedal/portal-daml-upgrade';

/** A generator that starts children and waits for them, recording its process group id. */
const HANGING_GENERATOR = `#!/usr/bin/env bash
echo $$ > "$LENDOS_TEST_PGID"
sleep 300 &
bash -c 'sleep 300; echo never' &
echo "generator running"
wait
`;

describe('phase 1 scripts and ECR: failures, cancellation and credentials (rehearsal world)', function () {
  this.timeout(90_000);
  const { template, world } = usePhase1Worlds();
  const runThrough = async (w: Phase1World, steps: string[]) => {
    for (const step of steps) {
      const { result } = await w.run(step);
      assert.equal(result.status, 'succeeded', `${step}: ${result.summary}`);
    }
  };
  const BRANCH_STEPS = ['prep.cut-release-branch', 'prep.bump-version'];

  it('fails 1.3 with the exit code 3 of generate-upgrade.sh, commits and pushes nothing, then resumes', async () => {
    const w = await world({ faults: [{ kind: 'script-fails', script: 'generate-upgrade', exitCode: 3 }] });
    await runThrough(w, BRANCH_STEPS);
    const { result, log } = await w.run('prep.upgrade-branch');
    assert.equal(result.status, 'failed');
    assert.match(
      result.summary,
      /^generate-upgrade\.sh exited with code 3; its output is in the log above\. Nothing was committed/,
    );
    assert.match(log.output_, /upgrade generation failed; nothing was written/);
    assert.equal((await w.evidence('prep.upgrade-branch')).exitCode, 3);
    assert.equal(
      git(w.root, 'rev-parse', UPGRADE),
      git(w.root, 'rev-parse', `release/${VERSION}`),
      'no commit on the upgrade branch',
    );
    assert.doesNotMatch(w.remoteRefs(), /upgrade\/2025\.4\.0/);
    await writeScenarioFaults(w.root, []);
    const again = await w.run('prep.upgrade-branch');
    assert.equal(again.result.status, 'succeeded', again.result.summary);
    assert.equal(git(w.remote, 'rev-list', '--count', `release/${VERSION}..${UPGRADE}`), '1');
    assert.equal((await w.evidence('prep.upgrade-branch')).exitCode, 0);
  });

  it('refuses versions that cannot make an upgrade before any process starts', async () => {
    const w = await world();
    await runThrough(w, BRANCH_STEPS);
    const sameVersion = await w.run('prep.upgrade-branch', {
      form: () => ({ from: '0.1.92', to: '0.1.92', dataLoaderFrom: '0.1.92' }),
    });
    assert.equal(
      sameVersion.result.summary,
      'The target version 0.1.92 must be greater than the current version 0.1.92.',
    );
    const injected = await w.run('prep.upgrade-branch', {
      form: () => ({ from: '0.1.92', to: '0.1.93; rm -rf /', dataLoaderFrom: '0.1.92' }),
    });
    assert.match(
      injected.result.summary,
      /is not a DAML package version: use three dotted numbers like 0\.1\.93/,
    );
    assert.equal(
      sameVersion.prompt.forms[0]?.fields[1]?.validate?.('0.1.93 --x'),
      '"0.1.93 --x" is not a DAML package version: use three dotted numbers like 0.1.93',
    );
    assert.ok(!sameVersion.log.text().includes('generate-upgrade.sh 0'), 'the script never ran');
    assert.equal(git(w.root, 'branch', '--list', UPGRADE), '');
  });

  it('cancels a running script by killing its whole process group', async () => {
    const pgidFile = path.join(template.lendos, '..', `pgid-${process.pid}`);
    const w = await world({
      scriptEnv: { LENDOS_TEST_PGID: pgidFile },
      prepare: (root) => {
        const script = path.join(root, 'services/portal-daml-upgrade/generate-upgrade.sh');
        writeFileSync(script, HANGING_GENERATOR);
        chmodSync(script, 0o755);
        git(root, 'commit', '-qam', 'test: a generator that hangs');
        git(root, 'push', '-q', 'origin', 'develop');
      },
    });
    await runThrough(w, BRANCH_STEPS);
    const controller = new AbortController();
    const { result } = await w.run(
      'prep.upgrade-branch',
      {},
      {
        signal: controller.signal,
        onOutput: (chunk) => chunk.includes('generator running') && controller.abort(),
      },
    );
    const pgid = Number(readFileSync(pgidFile, 'utf8'));
    assert.deepEqual(result, {
      status: 'cancelled',
      summary: 'Cancelled by you; see the log for what had been done.',
    });
    assert.deepEqual(groupMembers(pgid), [], 'no process of the script’s group is left');
    assert.equal((await w.events('prep.upgrade-branch')).at(-1)?.type, 'step.cancelled');
    assert.doesNotMatch(w.remoteRefs(), /upgrade\/2025\.4\.0/);
  });

  it('fails 1.4 when ECR lacks an image docker-build.sh reported, naming the missing tag', async () => {
    const w = await world({
      faults: [{ kind: 'tag-missing-from-ecr', repository: UPGRADE_REPOSITORY, tag: RUNNER_TAG }],
    });
    await runThrough(w, [...BRANCH_STEPS, 'prep.upgrade-branch']);
    const { result, log } = await w.run('prep.upgrade-images');
    assert.equal(result.status, 'failed');
    assert.match(
      result.summary,
      new RegExp(
        `^docker-build\\.sh reported pushing v0\\.1\\.93\\.0\\.1\\.92\\.1-init and ${RUNNER_TAG.replace(/\./g, '\\.')}, but ECR ${UPGRADE_REPOSITORY} has no ${RUNNER_TAG.replace(/\./g, '\\.')}\\.`,
      ),
    );
    assert.match(log.output_, /==> Pushed .*-runner/);
    const evidence = await w.evidence('prep.upgrade-images');
    assert.deepEqual([evidence.exitCode, evidence.missingImages], [0, [RUNNER_TAG]]);
  });

  it('turns expired credentials into a message naming the profile and how to log in, before any build', async () => {
    const w = await world({ faults: [{ kind: 'expired-credentials', service: 'ecr' }] });
    await runThrough(w, [...BRANCH_STEPS, 'prep.upgrade-branch']);
    const { result, log } = await w.run('prep.upgrade-images');
    assert.equal(result.status, 'failed');
    assert.match(
      result.summary,
      /^AWS credentials for profile "artifacts-prod\/SREOperatorAccess" are missing or expired \(ExpiredTokenException: The security token included in the request is expired\)\./,
    );
    assert.match(
      result.summary,
      /Log in with `aws sso login --profile artifacts-prod\/SREOperatorAccess` and run the step again\./,
    );
    assert.match(
      result.summary,
      /`assume artifacts-prod\/SREOperatorAccess` only sets credentials in the shell where you ran it/,
    );
    assert.doesNotMatch(result.summary, /\n\s+at /, 'no stack trace');
    assert.ok(!log.text().includes('docker-build.sh'), 'the build never started');
    assert.deepEqual(
      (await w.events('prep.upgrade-images')).map((e) => e.type),
      [],
      'refused before it started: nothing journalled',
    );
  });
});
