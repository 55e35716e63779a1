/**
 * Section 4's dev flow through the built CLI on a rehearsal world, started without a release: the changelog, dev's
 * tags per portal through the values-tags edit (a dev build for one portal, main's newest for the other), the two
 * Argo CD applications synced with the data-loader PreSync hook shown — and the bad inputs and the failing hook.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as k8s from '@kubernetes/client-node';
import { FileJournalStore } from '../../src/adapters/journal-file.js';
import { CliWorld } from './cli-world.js';

const DEV_CONTEXT = 'lendos-dev/SREOperatorAccess';

function devApps(w: CliWorld): k8s.AppsV1Api {
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(w.test.world.description.kubeconfig);
  kc.setCurrentContext(DEV_CONTEXT);
  return kc.makeApiClient(k8s.AppsV1Api);
}

async function imageOf(w: CliWorld, namespace: string, name: string): Promise<string> {
  const deployment = await devApps(w).readNamespacedDeployment({ name, namespace });
  return deployment.spec?.template.spec?.containers[0]?.image ?? '';
}

/** values-tags-dev.yaml as the workloads remote's main holds it. */
function devValuesOnMain(w: CliWorld): string {
  return execFileSync('git', ['--git-dir', w.test.world.description.remotes.workloads, 'show', 'main:values-tags-dev.yaml'], { encoding: 'utf8' });
}

async function devEvents(w: CliWorld) {
  return (await new FileJournalStore(w.root).read('dev')).events;
}

describe('the dev flow: a dev sync without a release (built CLI, rehearsal world)', function () {
  this.timeout(180_000);
  let w: CliWorld;

  before(async () => {
    w = await CliWorld.start('fast');
  });
  after(async () => w?.close());

  it('is refused until it is started, then starts as its own journal, leaving the release alone', async () => {
    const early = await w.lendos('run', 'dev.changelog');
    assert.equal(early.code, 1);
    assert.match(early.stderr, /The dev flow was never started .*lendos start dev/);
    const started = await w.lendos('start', 'dev');
    assert.equal(started.code, 0, started.stderr);
    assert.match(started.stdout, /Started the dev flow \(Section 4\); it is now the active one\.\nJournal: .*\.lendos\/runs\/dev\.jsonl/);
    assert.equal((await w.lendos('done', 'dev.request-sync', '--note', 'Product asked (test)')).code, 0);
    const changelog = await w.lendos('run', 'dev.changelog');
    assert.equal(changelog.code, 0, changelog.stdout + changelog.stderr);
    const status = await w.lendos('status');
    assert.match(status.stdout, /^Dev sync: 1\/4 required steps done · current: 4 Set dev's image tags/m);
    assert.equal((await w.events()).filter((e) => e.step?.startsWith('dev.')).length, 0, "the release's journal holds no dev step");
  });

  it("refuses a dev build ECR lacks for a portal, and a tag that is neither, changing nothing", async () => {
    const before = await devEvents(w);
    const missing = await w.lendos('run', 'dev.image-tags', '--yes', '--set', 'signing-portal=deploy/dev-2025.4.0.3411');
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /deploy\/dev-2025\.4\.0\.3411 is not in ECR for signing-portal: right-pedal\/signing-portal-backend, right-pedal\/signing-portal-frontend has no image tagged dev-2025\.4\.0\.3411\. Choose a build that exists for both of its images \(deploy\/dev-2025\.4\.0\.3405, deploy\/dev-2025\.4\.0\.3392/);
    const bad = await w.lendos('run', 'dev.image-tags', '--yes', '--set', 'lendos-portal=latest');
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /"latest" is neither "main" \(the newest builds of main\) nor a dev build such as deploy\/dev-2025\.4\.0\.3392/);
    assert.deepEqual(await devEvents(w), before, 'nothing journalled');
    assert.match(devValuesOnMain(w), /tag: dev-2025\.4\.0\.3392/);
  });

  it("sets dev's tags per portal through a merged PR: a dev build for the lendos portal, main's newest for the signing portal", async () => {
    const result = await w.lendos('run', 'dev.image-tags', '--yes', '--set', 'lendos-portal=deploy/dev-2025.4.0.3411');
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /lendos-portal: deploy\/dev-2025\.4\.0\.3411 → lendos-portal-backend dev-2025\.4\.0\.3411, lendos-portal-frontend dev-2025\.4\.0\.3411/);
    assert.match(result.stdout, /signing-portal: main → signing-portal-backend v0\.0\.\d+, signing-portal-frontend v0\.0\.\d+/);
    assert.match(result.stdout, /push --set-upstream origin dev\/values-\d{8}-\d{4}/);
    assert.match(result.stdout, /dev\.image-tags: succeeded — values-tags-dev\.yaml: lendos-portal deploy\/dev-2025\.4\.0\.3411, signing-portal main — PR #\d+ merged into main/);
    const main = devValuesOnMain(w);
    assert.equal(main.match(/tag: dev-2025\.4\.0\.3411/g)?.length, 2, main);
    assert.equal(main.match(/tag: v0\.0\.\d+/g)?.length, 2, main);
    assert.match(main, /data-loader-service:[\s\S]*tag: dev-2025\.4\.0\.3392/, 'the data loader keeps its tag');
  });

  it('syncs both applications, shows the data-loader hook, and dev then runs the new tags', async () => {
    const result = await w.lendos('run', 'dev.sync-apps', '--yes');
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /argocd app sync workload-lendos-eks-cluster-lendos-portal --prune/);
    assert.match(result.stdout, /workload-lendos-eks-cluster-lendos-portal: PreSync hook Job\/data-loader-service Succeeded — Reached expected number of succeeded pods/);
    assert.match(result.stdout, /workload-lendos-eks-cluster-signing-portal: PreSync hook Job\/data-loader-service Succeeded/);
    assert.match(result.stdout, /data-loader-service \| data-loader-service: done/);
    assert.match(result.stdout, /dev\.sync-apps: succeeded — workload-lendos-eks-cluster-lendos-portal and workload-lendos-eks-cluster-signing-portal Synced and Healthy; data-loader hooks: Succeeded, Succeeded/);
    assert.match(await imageOf(w, 'lendos-portal', 'lendos-portal-backend'), /:dev-2025\.4\.0\.3411$/);
    assert.match(await imageOf(w, 'signing-portal', 'signing-portal'), /:v0\.0\.\d+$/);
    const again = await w.lendos('run', 'dev.sync-apps', '--yes');
    assert.equal(again.code, 0);
    assert.match(again.stdout, /already done|adopt/i);
  });

  it('begins a new sync once the last one is done, keeping the old one in the journal', async () => {
    for (const step of ['dev.verify', 'dev.data-reseeding']) assert.equal((await w.lendos('done', step, '--note', 'checked (test)')).code, 0);
    const next = await w.lendos('start', 'dev');
    assert.equal(next.code, 0);
    assert.match(next.stdout, /The last dev sync was done: a new one begins \(6 step\(s\) reset/);
    const status = await w.lendos('status', '--release', 'dev', '--json');
    const steps = (JSON.parse(status.stdout) as { steps: { id: string; status: string }[] }).steps;
    assert.ok(steps.every((s) => s.status !== 'succeeded'), status.stdout);
    assert.ok((await devEvents(w)).some((e) => e.step === 'dev.sync-apps' && e.type === 'step.succeeded'), 'history kept');
    const post = await w.lendos('report', '--post');
    assert.equal(post.code, 1);
    assert.match(post.stderr, /The dev sync has no release PR to post its report on: export it instead/);
  });
});

describe('the dev flow: a data-loader hook that fails (built CLI, dev-data-loader-fails)', function () {
  this.timeout(180_000);
  let w: CliWorld;

  before(async () => {
    w = await CliWorld.start('dev-data-loader-fails');
  });
  after(async () => w?.close());

  it('fails the sync naming the hook, and leaves the deployments as they were', async () => {
    assert.equal((await w.lendos('start', 'dev')).code, 0);
    for (const step of ['dev.request-sync', 'dev.changelog']) assert.equal((await w.lendos('done', step, '--force', '--note', 'done before the test')).code, 0);
    const tags = await w.lendos('run', 'dev.image-tags', '--yes');
    assert.equal(tags.code, 0, tags.stdout + tags.stderr);
    const before = await imageOf(w, 'lendos-portal', 'lendos-portal-backend');
    const result = await w.lendos('run', 'dev.sync-apps', '--yes');
    assert.equal(result.code, 1, result.stdout + result.stderr);
    assert.match(result.stderr + result.stdout, /Argo CD could not sync workload-lendos-eks-cluster-lendos-portal: Failed — one or more synchronization tasks completed unsuccessfully\..* Hooks: workload-lendos-eks-cluster-lendos-portal: PreSync hook Job\/data-loader-service Failed/s);
    assert.equal(await imageOf(w, 'lendos-portal', 'lendos-portal-backend'), before);
  });
});
