/**
 * The dev cluster of the rehearsal world (runbook Section 4) through client-node, the AWS SDK and git: its context and
 * identity, its two manually synced Argo CD applications, the data-loader-service PreSync hook each sync runs first,
 * values-tags-dev.yaml deployed per portal, the `data-loader-fails` fault, and dev's deploy tags in ECR.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DescribeImagesCommand, ECRClient } from '@aws-sdk/client-ecr';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromIni } from '@aws-sdk/credential-providers';
import * as k8s from '@kubernetes/client-node';
import { after, before, describe, it } from 'mocha';
import { parseDocument } from 'yaml';
import { createClock } from '../../../rehearsal/src/clock.js';
import { loadScenario } from '../../../rehearsal/src/index.js';
import { Resources, startKubeCluster, writeKubeconfig, type KubeCluster } from '../../../rehearsal/src/kube/index.js';
import { scenario } from './kube-fixture.js';
import { run, startTestWorld, waitFor, type TestWorld } from './world-helpers.js';

const DEV_CONTEXT = 'lendos-dev/SREOperatorAccess';
const LENDOS_APP = 'workload-lendos-eks-cluster-lendos-portal';
const SIGNING_APP = 'workload-lendos-eks-cluster-signing-portal';
const PREFIX = '381492038457.dkr.ecr.us-east-1.amazonaws.com/right-pedal';
const AT_START = 'dev-2025.4.0.3392';
const applications = { group: 'argoproj.io', version: 'v1alpha1', namespace: 'argocd', plural: 'applications' };
const mergePatch = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);

interface Application {
  metadata: { name: string };
  spec: { source: { path: string; helm: { valueFiles: string[] } }; destination: { namespace: string }; syncPolicy?: { automated?: unknown } };
  operation?: unknown;
  status?: {
    sync?: { status?: string };
    health?: { status?: string };
    operationState?: { phase?: string; message?: string; syncResult?: { resources?: Record<string, unknown>[] } };
  };
}

const hookEntry = (namespace: string, hookPhase: string, message: string) => ({
  group: 'batch', version: 'v1', kind: 'Job', namespace, name: 'data-loader-service',
  status: 'Synced', message, hookType: 'PreSync', hookPhase, syncPhase: 'PreSync',
});

/** The container image of each deployment of a portal's namespace. */
async function images(kc: k8s.KubeConfig, namespace: string): Promise<Record<string, string>> {
  const list = await kc.makeApiClient(k8s.AppsV1Api).listNamespacedDeployment({ namespace });
  return Object.fromEntries(list.items.map((d) => [d.metadata?.name ?? '', d.spec?.template.spec?.containers[0]?.image ?? '']));
}

/** Syncs an application as the extension does (an `operation` patch) and waits until the operation ended. */
async function sync(kc: k8s.KubeConfig, name: string, done: (app: Application) => boolean, seen?: Set<string>): Promise<Application> {
  const custom = kc.makeApiClient(k8s.CustomObjectsApi);
  const watch = await new k8s.Watch(kc).watch('/apis/argoproj.io/v1alpha1/namespaces/argocd/applications', {}, (_type, app: Application) => {
    const state = app.status?.operationState;
    if (app.metadata.name === name && state?.phase) seen?.add(`${state.phase}: ${state.message ?? ''}`);
  }, () => {});
  try {
    const body = { operation: { initiatedBy: { username: 'rehearsal-engineer' }, sync: { prune: true, syncStrategy: { hook: {} } } } };
    await custom.patchNamespacedCustomObject({ ...applications, name, body }, mergePatch);
    return await waitFor(`the ${name} sync to end`, async () => {
      const app = (await custom.getNamespacedCustomObject({ ...applications, name })) as Application;
      return app.operation === undefined && done(app) ? app : undefined;
    });
  } finally {
    watch.abort();
  }
}

/** The data-loader-service pod of a namespace and its log. */
async function loaderLog(kc: k8s.KubeConfig, namespace: string): Promise<string> {
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const pods = await core.listNamespacedPod({ namespace, labelSelector: 'job-name=data-loader-service' });
  assert.equal(pods.items.length, 1, `one data-loader pod in ${namespace}`);
  return core.readNamespacedPodLog({ namespace, name: pods.items[0]?.metadata?.name ?? '' });
}

describe('rehearsal world: the dev cluster (runbook Section 4)', function () {
  let t: TestWorld;
  let kc: k8s.KubeConfig;

  before(async function () {
    t = await startTestWorld('fast');
    kc = new k8s.KubeConfig();
    kc.loadFromFile(t.world.description.kubeconfig);
    kc.setCurrentContext(t.world.description.contexts.dev);
  });

  after(async function () {
    await t?.cleanup();
  });

  it('has its own context, token, identity and frontend URLs in world.json and the kubeconfig', async function () {
    const { description } = t.world;
    const account = '508726114933';
    assert.equal(description.contexts.dev, DEV_CONTEXT);
    assert.equal(kc.getCurrentContext(), DEV_CONTEXT);
    assert.equal(kc.getCurrentCluster()?.name, `arn:aws:eks:us-east-1:${account}:cluster/lendos-dev`);
    assert.equal(description.kube.dev.url, t.world.clusters.dev.url);
    assert.notEqual(description.kube.dev.token, description.kube.staging.token);
    const kubeSystem = await kc.makeApiClient(k8s.CoreV1Api).readNamespace({ name: 'kube-system' });
    assert.deepEqual(description.identities.dev, {
      account, clusterUid: kubeSystem.metadata?.uid, server: t.world.clusters.dev.url, eksCluster: `arn:aws:eks:us-east-1:${account}:cluster/lendos-dev`,
    });
    assert.notEqual(description.identities.dev.clusterUid, description.identities.staging.clusterUid);
    const namespaces = (await kc.makeApiClient(k8s.CoreV1Api).listNamespace()).items.map((n) => n.metadata?.name);
    assert.ok(['argocd', 'lendos-portal', 'signing-portal'].every((n) => namespaces.includes(n)) && !namespaces.includes('pqs'), String(namespaces));
    assert.deepEqual(description.urls.dev, [`${t.world.frontends.url}/dev/lendos-portal/`, `${t.world.frontends.url}/dev/signing-portal/`]);
    for (const url of description.urls.dev) assert.equal((await fetch(url)).status, 200, url);
    const { configFile, credentialsFile, stsEndpoint, region } = description.aws;
    const sts = new STSClient({ endpoint: stsEndpoint, region, credentials: fromIni({ profile: DEV_CONTEXT, filepath: credentialsFile, configFilepath: configFile }) });
    assert.equal((await sts.send(new GetCallerIdentityCommand({}))).Account, account);
    sts.destroy();
  });

  it('runs the portals on values-tags-dev.yaml, under two Applications synced by hand', async function () {
    assert.deepEqual(await images(kc, 'lendos-portal'), {
      'lendos-portal': `${PREFIX}/lendos-portal-frontend:${AT_START}`, 'lendos-portal-backend': `${PREFIX}/lendos-portal-backend:${AT_START}`,
    });
    assert.deepEqual(await images(kc, 'signing-portal'), {
      'signing-portal': `${PREFIX}/signing-portal-frontend:${AT_START}`, 'signing-portal-backend': `${PREFIX}/signing-portal-backend:${AT_START}`,
    });
    const list = (await kc.makeApiClient(k8s.CustomObjectsApi).listNamespacedCustomObject(applications)) as { items: Application[] };
    assert.deepEqual(list.items.map((a) => a.metadata.name), [LENDOS_APP, SIGNING_APP]);
    for (const app of list.items) {
      assert.equal(app.spec.syncPolicy?.automated, undefined, `${app.metadata.name} has no automated sync`);
      assert.deepEqual(app.spec.source.helm.valueFiles, ['../../values-tags-dev.yaml']);
      assert.deepEqual([app.status?.sync?.status, app.status?.health?.status], ['Synced', 'Healthy']);
    }
    assert.deepEqual(list.items.map((a) => a.spec.destination.namespace), ['lendos-portal', 'signing-portal']);
  });

  it('runs the data-loader PreSync hook first, then deploys, and reports the hook in the sync result', async function () {
    const batch = kc.makeApiClient(k8s.BatchV1Api);
    const previous = await batch.readNamespacedJob({ namespace: 'lendos-portal', name: 'data-loader-service' });
    const seen = new Set<string>();
    const app = await sync(kc, LENDOS_APP, (a) => a.status?.health?.status === 'Healthy' && a.status.operationState?.phase === 'Succeeded', seen);
    assert.ok(seen.has('Running: waiting for completion of hook batch/Job/data-loader-service'), [...seen].join('\n'));
    assert.equal(app.status?.sync?.status, 'Synced');
    const resources = app.status?.operationState?.syncResult?.resources ?? [];
    assert.deepEqual(resources[0], hookEntry('lendos-portal', 'Succeeded', 'Reached expected number of succeeded pods'));
    assert.deepEqual(resources.slice(1).map((r) => [r['kind'], r['name'], r['syncPhase']]), [
      ['Deployment', 'lendos-portal', 'Sync'], ['Deployment', 'lendos-portal-backend', 'Sync'],
    ]);
    const job = await batch.readNamespacedJob({ namespace: 'lendos-portal', name: 'data-loader-service' });
    assert.notEqual(job.metadata?.uid, previous.metadata?.uid, 'BeforeHookCreation replaced the last sync’s Job');
    assert.equal(job.metadata?.annotations?.['argocd.argoproj.io/hook'], 'PreSync');
    assert.equal(job.metadata?.annotations?.['argocd.argoproj.io/hook-delete-policy'], 'BeforeHookCreation');
    assert.equal(job.metadata?.labels?.['app.kubernetes.io/name'], 'data-loader-service');
    assert.equal(job.spec?.template.spec?.containers[0]?.image, `${PREFIX}/data-loader-service:${AT_START}`);
    assert.equal(job.status?.succeeded, 1);
    const log = await loaderLog(kc, 'lendos-portal');
    assert.match(log, /data-loader-service: loading test data for lendos-portal \(idempotent\)\n/);
    assert.match(log, /data-loader-service: 42 parties, 318 contracts up to date\ndata-loader-service: done\n$/);
  });

  it('deploys each portal’s tags once values-tags-dev.yaml changes on the workloads main', async function () {
    const workloads = t.world.description.workspace.workloads;
    const file = path.join(workloads, 'values-tags-dev.yaml');
    const doc = parseDocument(readFileSync(file, 'utf8'));
    const lendos = 'dev-2025.4.0.3411';
    const signing = 'dev-2025.4.0.3405';
    for (const part of ['backend', 'frontend']) {
      doc.setIn(['lendos-portal', part, 'image', 'tag'], lendos);
      doc.setIn(['signing-portal', part, 'image', 'tag'], signing);
    }
    doc.setIn(['data-loader-service', 'image', 'tag'], lendos);
    writeFileSync(file, doc.toString());
    const env = process.env;
    for (const args of [['commit', '-qam', 'Dev: lendos-portal 3411, signing-portal 3405'], ['push', '-q', 'origin', 'HEAD:main']]) {
      const result = await run('git', args, { cwd: workloads, env });
      assert.equal(result.code, 0, result.stderr);
    }
    const healthy = (a: Application) => a.status?.operationState?.phase === 'Succeeded' && a.status.sync?.status === 'Synced' && a.status.health?.status === 'Healthy';
    await Promise.all([sync(kc, LENDOS_APP, healthy), sync(kc, SIGNING_APP, healthy)]);
    assert.deepEqual(await images(kc, 'lendos-portal'), {
      'lendos-portal': `${PREFIX}/lendos-portal-frontend:${lendos}`, 'lendos-portal-backend': `${PREFIX}/lendos-portal-backend:${lendos}`,
    });
    assert.deepEqual(await images(kc, 'signing-portal'), {
      'signing-portal': `${PREFIX}/signing-portal-frontend:${signing}`, 'signing-portal-backend': `${PREFIX}/signing-portal-backend:${signing}`,
    });
    assert.match(await loaderLog(kc, 'lendos-portal'), new RegExp(`^data-loader-service: starting ${lendos}\n`));
    assert.match(await loaderLog(kc, 'signing-portal'), /data-loader-service: 17 parties, 96 contracts up to date\n/);
    assert.deepEqual(t.world.clusters.dev.stats().failures, []);
  });

  it('holds dev’s deploy tags in ECR: 3392 and 3405 everywhere, 3411 for the lendos portal and the data loader only', async function () {
    const { aws, startedAt } = t.world.description;
    const ecr = new ECRClient({ endpoint: aws.ecrEndpoint, region: aws.region, credentials: aws.credentials });
    const portal = ['lendos-portal-backend', 'lendos-portal-frontend', 'signing-portal-backend', 'signing-portal-frontend'];
    const lookup = (repository: string, tag: string) =>
      ecr.send(new DescribeImagesCommand({ repositoryName: `right-pedal/${repository}`, imageIds: [{ imageTag: tag }] })).then((r) => r.imageDetails?.[0]);
    for (const repository of [...portal, 'data-loader-service']) {
      for (const tag of ['dev-2025.4.0.3392', 'dev-2025.4.0.3405']) {
        const image = await lookup(repository, tag);
        assert.deepEqual(image?.imageTags, [tag], `${repository}:${tag}`);
        assert.ok((image?.imagePushedAt?.getTime() ?? Infinity) < Date.parse(startedAt) - 6 * 86_400_000, `${repository}:${tag} pushed days before`);
      }
      const preRelease = repository.startsWith('signing') ? undefined : 'dev-2025.4.0.3411';
      if (preRelease) assert.ok(await lookup(repository, preRelease), `${repository}:${preRelease}`);
      else await assert.rejects(lookup(repository, 'dev-2025.4.0.3411'), { name: 'ImageNotFoundException' });
    }
    ecr.destroy();
  });
});

describe('rehearsal kube: the data-loader-fails fault on dev', function () {
  let cluster: KubeCluster;
  let kc: k8s.KubeConfig;
  let dir: string;
  const tag = 'dev-2025.4.0.3405';
  const newer = { 'lendos-portal-backend': tag, 'lendos-portal-frontend': tag, 'signing-portal-backend': tag, 'signing-portal-frontend': tag, 'data-loader-service': tag };

  before(async function () {
    const shipped = loadScenario('dev-data-loader-fails');
    assert.deepEqual(shipped.faults, [{ kind: 'data-loader-fails', application: LENDOS_APP }]);
    const world = scenario(shipped.faults);
    let values = Object.fromEntries(Object.keys(newer).map((key) => [key, AT_START]));
    cluster = await startKubeCluster({
      name: 'dev', token: 'dev-token', clock: createClock(world), scenario: world, valuesTags: async () => ({ ...values }),
    });
    values = newer;
    dir = mkdtempSync(path.join(tmpdir(), 'lendos-dev-kube-'));
    await writeKubeconfig(path.join(dir, 'kubeconfig'), [{ context: DEV_CONTEXT, url: cluster.url, token: 'dev-token' }]);
    kc = new k8s.KubeConfig();
    kc.loadFromFile(path.join(dir, 'kubeconfig'));
  });

  after(async function () {
    await cluster?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('fails the sync when the hook fails, and leaves the deployments as they were', async function () {
    const before = await images(kc, 'lendos-portal');
    const app = await sync(kc, LENDOS_APP, (a) => a.status?.operationState?.phase === 'Failed');
    assert.equal(app.status?.operationState?.message, 'one or more synchronization tasks completed unsuccessfully');
    assert.deepEqual(app.status?.operationState?.syncResult?.resources, [hookEntry('lendos-portal', 'Failed', 'Job has reached the specified backoff limit')]);
    assert.deepEqual(await images(kc, 'lendos-portal'), before);
    assert.ok(Object.values(before).every((image) => image.endsWith(`:${AT_START}`)));
    const job = cluster.store.get(Resources.jobs, 'lendos-portal', 'data-loader-service');
    assert.equal((job?.['status'] as { failed?: number } | undefined)?.failed, 1);
    assert.match(await loaderLog(kc, 'lendos-portal'), /data-loader-service: ERROR loading test data for lendos-portal failed: /);
    const other = await sync(kc, SIGNING_APP, (a) => a.status?.operationState?.phase === 'Succeeded');
    assert.equal(other.status?.operationState?.syncResult?.resources?.[0]?.['hookPhase'], 'Succeeded', 'the fault names the lendos portal only');
    assert.equal((await images(kc, 'signing-portal'))['signing-portal-backend'], `${PREFIX}/signing-portal-backend:${tag}`);
    assert.deepEqual(cluster.stats().failures, []);
  });
});
