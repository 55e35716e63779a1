import assert from 'node:assert/strict';
import path from 'node:path';
import { DescribeImagesCommand, ECRClient } from '@aws-sdk/client-ecr';
import * as k8s from '@kubernetes/client-node';
import { atFastPace, kubeConfig, run, startTestWorld, UPGRADE_STAGES, worldEnv, type TestWorld } from './world-helpers.js';

const UPGRADE_DIR = 'services/portal-daml-upgrade';
const CHART_DIR = 'charts/daml-upgrade';

function jobsApi(t: TestWorld): k8s.BatchV1Api {
  return kubeConfig(t.world, 'staging').makeApiClient(k8s.BatchV1Api);
}

async function upgradeJobs(t: TestWorld, to: string): Promise<k8s.V1Job[]> {
  const list = await jobsApi(t).listNamespacedJob({ namespace: 'lendos-portal', labelSelector: `io.lendos.app/current-version=${to}` });
  return list.items;
}

const holds = (job: k8s.V1Job, type: string) => (job.status?.conditions ?? []).some((c) => c.type === type && c.status === 'True');

/** The logs of every pod of a stage, as `kubectl logs -l io.lendos.app/upgrade-stage=S` shows them. */
async function stageLog(t: TestWorld, stage: string): Promise<string> {
  const core = kubeConfig(t.world, 'staging').makeApiClient(k8s.CoreV1Api);
  const pods = await core.listNamespacedPod({ namespace: 'lendos-portal', labelSelector: `io.lendos.app/upgrade-stage=${stage}` });
  const logs = await Promise.all(
    pods.items.map((pod) => core.readNamespacedPodLog({ namespace: 'lendos-portal', name: pod.metadata?.name ?? '', container: 'upgrade' })),
  );
  return logs.join('\n');
}

function runUpgrade(t: TestWorld, args: string[]) {
  return run('./run-upgrade.sh', args, { cwd: path.join(t.world.description.workspace.workloads, CHART_DIR), env: worldEnv(t.world) });
}

describe('rehearsal world: the repositories’ scripts against it', function () {
  let t: TestWorld;

  before(async function () {
    t = await startTestWorld('fast');
  });

  after(async function () {
    await t?.cleanup();
  });

  it('docker-build.sh --push (after generate-upgrade.sh) pushes -init and -runner images that the ECR client sees', async function () {
    const cwd = path.join(t.world.description.workspace.lendos, UPGRADE_DIR);
    const env = worldEnv(t.world);
    const generated = await run('./generate-upgrade.sh', ['0.1.92', '0.1.93', '0.1.92'], { cwd, env });
    assert.equal(generated.code, 0, generated.stderr);
    const pushed = await run('./docker-build.sh', ['--push'], { cwd, env });
    assert.equal(pushed.code, 0, pushed.stderr);
    const tag = /==> Pushed \S+:(v0\.1\.93\.0\.1\.92\.\d+)-init/.exec(pushed.stdout)?.[1];
    assert.ok(tag, pushed.stdout);

    const { aws } = t.world.description;
    const ecr = new ECRClient({ region: aws.region, endpoint: aws.ecrEndpoint, credentials: aws.credentials });
    try {
      const found = await ecr.send(
        new DescribeImagesCommand({ repositoryName: 'right-pedal/portal-daml-upgrade', imageIds: [{ imageTag: `${tag}-init` }, { imageTag: `${tag}-runner` }] }),
      );
      const tags = (found.imageDetails ?? []).flatMap((d) => d.imageTags ?? []).sort();
      assert.deepEqual(tags, [`${tag}-init`, `${tag}-runner`]);
      assert.ok((found.imageDetails ?? []).every((d) => d.imagePushedAt instanceof Date && (d.imageSizeInBytes ?? 0) > 0));
    } finally {
      ecr.destroy();
    }
  });

  it('run-upgrade.sh --from 0.1.92 --to 0.1.93 staging creates and completes the seven Jobs with the runbook’s labels', async function () {
    const result = await runUpgrade(t, ['--from', '0.1.92', '--to', '0.1.93', 'staging']);
    assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
    assert.match(result.stdout, /All 7 stages complete: lendos-model 0\.1\.93 is live on staging\./);
    const jobs = await upgradeJobs(t, '0.1.93');
    const stages = jobs.map((j) => j.metadata?.labels?.['io.lendos.app/upgrade-stage']).sort();
    assert.deepEqual(stages, [...UPGRADE_STAGES].sort());
    for (const job of jobs) assert.ok(holds(job, 'Complete'), `${job.metadata?.name} is not Complete`);

    const production = kubeConfig(t.world, 'production').makeApiClient(k8s.BatchV1Api);
    const elsewhere = await production.listNamespacedJob({ namespace: 'lendos-portal', labelSelector: 'io.lendos.app/current-version=0.1.93' });
    assert.equal(elsewhere.items.length, 0, 'staging’s upgrade must not touch production');

    const again = await runUpgrade(t, ['--from', '0.1.92', '--to', '0.1.93', 'staging']);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stdout.match(/already complete; skipping/g)?.length, 7, 'a rerun is idempotent like Helm');
  });
});

describe('rehearsal world: scenario stage-fails-once', function () {
  let t: TestWorld;

  before(async function () {
    t = await startTestWorld(atFastPace('stage-fails-once'));
  });

  after(async function () {
    await t?.cleanup();
  });

  it('fails the upgrade stage, and run-upgrade.sh --stage upgrade reruns it to success', async function () {
    const first = await runUpgrade(t, ['--from', '0.1.92', '--to', '0.1.93', 'staging']);
    assert.equal(first.code, 1, first.stdout);
    assert.match(first.stderr, /stage upgrade failed: Job has reached the specified backoff limit \(BackoffLimitExceeded\)/);
    assert.match(first.stderr, /rerun: \.\/run-upgrade\.sh --from 0\.1\.92 --to 0\.1\.93 staging --stage upgrade/);
    const failed = await upgradeJobs(t, '0.1.93');
    const byStage = new Map(failed.map((j) => [j.metadata?.labels?.['io.lendos.app/upgrade-stage'], j]));
    assert.deepEqual([...byStage.keys()].sort(), UPGRADE_STAGES.slice(0, 5).sort(), 'no stage after upgrade ran');
    assert.ok(holds(byStage.get('upgrade') as k8s.V1Job, 'Failed'));
    assert.match(await stageLog(t, 'upgrade'), /DEADLINE_EXCEEDED/, 'the scenario’s message is in the failed pods’ logs');

    const rerun = await runUpgrade(t, ['--from', '0.1.92', '--to', '0.1.93', 'staging', '--stage', 'upgrade']);
    assert.equal(rerun.code, 0, `${rerun.stdout}\n${rerun.stderr}`);
    assert.match(rerun.stdout, /recreating failed job daml-upgrade-0-1-93-upgrade/);
    assert.match(rerun.stdout, /Stage upgrade complete\./);
    const upgrade = (await upgradeJobs(t, '0.1.93')).find((j) => j.metadata?.labels?.['io.lendos.app/upgrade-stage'] === 'upgrade');
    assert.ok(upgrade && holds(upgrade, 'Complete'));

    const rest = await runUpgrade(t, ['--from', '0.1.92', '--to', '0.1.93', 'staging']);
    assert.equal(rest.code, 0, rest.stderr);
    assert.equal(rest.stdout.match(/already complete; skipping/g)?.length, 5);
    assert.ok((await upgradeJobs(t, '0.1.93')).every((j) => holds(j, 'Complete')));
  });
});
