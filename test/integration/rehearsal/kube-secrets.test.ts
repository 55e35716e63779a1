import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as k8s from '@kubernetes/client-node';
import { after, before, describe, it } from 'mocha';
import { createClock } from '../../../rehearsal/src/clock.js';
import { startKubeCluster, writeKubeconfig, type KubeCluster } from '../../../rehearsal/src/kube/index.js';
import { kubectlPath } from '../../../scripts/tools.mjs';
import { apiErrorCode, bodyOf, scenario, stagingContext, token, values, waitFor } from './kube-fixture.js';

const run = promisify(execFile);
const PQS_URL = 'postgres://pqs:s3cret@127.0.0.1:5432/pqs_staging';
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const decoded = (secret: k8s.V1Secret, key: string) => Buffer.from(secret.data?.[key] ?? '', 'base64').toString('utf8');

/** The `message` of a rejected client-node call's Status body. */
async function failure(call: Promise<unknown>): Promise<{ code: number; message: string }> {
  try {
    await call;
  } catch (error) {
    if (!(error instanceof k8s.ApiException)) throw error;
    return { code: error.code, message: String(bodyOf(error)['message']) };
  }
  throw new Error('expected the call to fail');
}

describe('rehearsal kube: core/v1 Secrets', function () {
  let cluster: KubeCluster;
  let dir: string;
  let kubeconfig: string;
  let core: k8s.CoreV1Api;

  before(async function () {
    const world = scenario();
    cluster = await startKubeCluster({
      name: 'staging',
      token,
      clock: createClock({ timeScale: world.timeScale, seed: world.seed }),
      scenario: world,
      valuesTags: async () => ({ ...values }),
      secrets: [{ namespace: 'pqs', name: 'pqs-postgres', labels: { app: 'pqs' }, stringData: { connection: PQS_URL } }],
    });
    dir = mkdtempSync(join(tmpdir(), 'lendos-kube-secrets-'));
    kubeconfig = join(dir, 'kubeconfig');
    await writeKubeconfig(kubeconfig, [{ context: stagingContext, url: cluster.url, token }]);
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(kubeconfig);
    core = kc.makeApiClient(k8s.CoreV1Api);
  });

  after(async function () {
    await cluster?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('lists secrets in core/v1 discovery with every verb', async function () {
    const resources = await core.getAPIResources();
    const secrets = resources.resources.find((r) => r.name === 'secrets');
    assert.deepEqual(
      { kind: secrets?.kind, namespaced: secrets?.namespaced, verbs: [...(secrets?.verbs ?? [])].sort() },
      { kind: 'Secret', namespaced: true, verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'] },
    );
  });

  it('reads the seeded pqs/pqs-postgres through readNamespacedSecret, base64 in data', async function () {
    const secret = await core.readNamespacedSecret({ name: 'pqs-postgres', namespace: 'pqs' });
    assert.equal(secret.type, 'Opaque');
    assert.deepEqual(secret.data, { connection: b64(PQS_URL) });
    assert.equal(decoded(secret, 'connection'), PQS_URL);
    assert.equal((secret as Record<string, unknown>)['stringData'], undefined);
    assert.equal(secret.metadata?.labels?.['app'], 'pqs');
    assert.equal(await apiErrorCode(core.readNamespacedSecret({ name: 'pqs-postgres', namespace: 'default' })), 404);
  });

  it('folds stringData into data on create and update, defaulting the type to Opaque', async function () {
    const created = await core.createNamespacedSecret({
      namespace: 'lendos-portal',
      body: { metadata: { name: 'portal-db', labels: { team: 'lendos' } }, data: { user: b64('portal') }, stringData: { password: 'hunter2', user: 'admin' } },
    });
    assert.equal(created.type, 'Opaque');
    assert.deepEqual(created.data, { password: b64('hunter2'), user: b64('admin') }, 'stringData wins over data');
    assert.equal((created as Record<string, unknown>)['stringData'], undefined);

    const replaced = await core.replaceNamespacedSecret({
      name: 'portal-db', namespace: 'lendos-portal',
      body: { ...created, stringData: { host: 'db.internal' } } as k8s.V1Secret,
    });
    assert.deepEqual(Object.keys(replaced.data ?? {}), ['host', 'password', 'user']);
    assert.equal(decoded(replaced, 'host'), 'db.internal');
    assert.notEqual(replaced.metadata?.resourceVersion, created.metadata?.resourceVersion);
  });

  it('merge-patches stringData and data like any other object', async function () {
    const patched = await core.patchNamespacedSecret(
      { name: 'portal-db', namespace: 'lendos-portal', body: { stringData: { password: 'correct horse' }, data: { host: null } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    assert.deepEqual(Object.keys(patched.data ?? {}), ['password', 'user']);
    assert.equal(decoded(patched, 'password'), 'correct horse');
  });

  it('lists by label and by the type field, and watches changes', async function () {
    const byLabel = await core.listNamespacedSecret({ namespace: 'lendos-portal', labelSelector: 'team=lendos' });
    assert.deepEqual(byLabel.items.map((s) => s.metadata?.name), ['portal-db']);
    const tls = await core.listSecretForAllNamespaces({ fieldSelector: 'type=kubernetes.io/tls' });
    assert.equal(tls.items.length, 0);
    const opaque = await core.listSecretForAllNamespaces({ fieldSelector: 'type=Opaque' });
    assert.deepEqual(opaque.items.map((s) => `${s.metadata?.namespace}/${s.metadata?.name}`), ['lendos-portal/portal-db', 'pqs/pqs-postgres']);

    const seen: string[] = [];
    const watch = await new k8s.Watch(kubeConfigOf(kubeconfig)).watch(
      '/api/v1/namespaces/lendos-portal/secrets',
      { resourceVersion: opaque.metadata?.resourceVersion },
      (type: string, object: k8s.V1Secret) => seen.push(`${type} ${object.metadata?.name} ${Object.keys(object.data ?? {}).length}`),
      () => undefined,
    );
    try {
      await core.createNamespacedSecret({ namespace: 'lendos-portal', body: { metadata: { name: 'watched' }, stringData: { a: '1' } } });
      await core.deleteNamespacedSecret({ name: 'watched', namespace: 'lendos-portal' });
      await waitFor('the watch to see the secret come and go', () => seen.length >= 2);
      assert.deepEqual(seen, ['ADDED watched 1', 'DELETED watched 1']);
    } finally {
      watch.abort();
    }
    assert.equal(await apiErrorCode(core.readNamespacedSecret({ name: 'watched', namespace: 'lendos-portal' })), 404);
  });

  it('refuses what the real API server refuses: bad base64, bad keys, a type change, edits of an immutable secret', async function () {
    const badBase64 = await failure(core.createNamespacedSecret({ namespace: 'default', body: { metadata: { name: 'bad' }, data: { key: 'not base64!' } } }));
    assert.deepEqual(badBase64, { code: 400, message: 'Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 3' });
    const badKey = await failure(core.createNamespacedSecret({ namespace: 'default', body: { metadata: { name: 'bad' }, stringData: { 'a key': 'x' } } }));
    assert.equal(badKey.code, 422);
    assert.match(badKey.message, /^Secret "bad" is invalid: data\[a key\]: Invalid value: "a key": a valid config key must consist of alphanumeric characters/);
    const tls = await failure(core.createNamespacedSecret({ namespace: 'default', body: { metadata: { name: 'cert' }, type: 'kubernetes.io/tls', stringData: { 'tls.crt': 'x' } } }));
    assert.deepEqual(tls, { code: 422, message: 'Secret "cert" is invalid: data[tls.key]: Required value' });

    const frozen = await core.createNamespacedSecret({ namespace: 'default', body: { metadata: { name: 'frozen' }, immutable: true, stringData: { a: '1' } } });
    const retype = await failure(core.replaceNamespacedSecret({ name: 'frozen', namespace: 'default', body: { ...frozen, type: 'kubernetes.io/basic-auth' } }));
    assert.equal(retype.code, 422);
    assert.match(retype.message, /type: Invalid value: "kubernetes\.io\/basic-auth": field is immutable/);
    const edit = await failure(core.replaceNamespacedSecret({ name: 'frozen', namespace: 'default', body: { ...frozen, stringData: { a: '2' } } as k8s.V1Secret }));
    assert.deepEqual(edit, { code: 422, message: 'Secret "frozen" is invalid: data: Forbidden: field is immutable when `immutable` is set' });
    assert.equal(decoded(await core.readNamespacedSecret({ name: 'frozen', namespace: 'default' }), 'a'), '1');
  });

  it('shows through kubectl: the jsonpath the runbook uses, and NAME TYPE DATA AGE', async function () {
    this.timeout(120_000);
    const kubectl = await kubectlPath();
    const env = { ...process.env, KUBECONFIG: kubeconfig, HOME: dir };
    const kube = async (...args: string[]) => (await run(kubectl, [`--context=${stagingContext}`, ...args], { env, timeout: 60_000 })).stdout;
    const encoded = await kube('get', 'secret', '-n', 'pqs', 'pqs-postgres', '-o', 'jsonpath={.data.connection}');
    assert.equal(Buffer.from(encoded, 'base64').toString('utf8'), PQS_URL);
    const table = (await kube('get', 'secrets', '-n', 'pqs')).trim().split('\n').map((line) => line.split(/\s+/));
    assert.deepEqual(table[0], ['NAME', 'TYPE', 'DATA', 'AGE']);
    assert.deepEqual(table[1]?.slice(0, 3), ['pqs-postgres', 'Opaque', '1']);
    assert.match(table[1]?.[3] ?? '', /^23d$/, 'seeded objects look weeks old');
  });
});

function kubeConfigOf(file: string): k8s.KubeConfig {
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(file);
  return kc;
}
