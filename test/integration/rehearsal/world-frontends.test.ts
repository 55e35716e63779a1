import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import * as k8s from '@kubernetes/client-node';
import { after, before, describe, it } from 'mocha';
import { PQS_CONNECTION_SECRET, type ClusterName } from '../../../rehearsal/src/index.js';
import { instantScenario } from './scenario-fixture.js';
import { kubeConfig, startTestWorld, waitFor, type TestWorld } from './world-helpers.js';

interface Reply {
  status: number;
  type: string;
  body: string;
}

/** One request without keep-alive, so the test's own sockets never hold the world open. */
function fetchText(url: string, method = 'GET'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, type: String(response.headers['content-type'] ?? ''), body: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    req.once('error', reject);
    req.end();
  });
}

async function untilStatus(url: string, status: number): Promise<Reply> {
  return waitFor(`${url} to answer ${status}`, async () => {
    const reply = await fetchText(url);
    return reply.status === status ? reply : undefined;
  });
}

/** An environment's lendos-portal and signing-portal URLs from world.json. */
function portalUrls(t: TestWorld, cluster: ClusterName): { lendos: string; signing: string } {
  const [lendos, signing] = t.world.description.urls[cluster];
  assert.ok(lendos && signing, `world.json urls.${cluster} holds two URLs`);
  return { lendos, signing };
}

async function scale(t: TestWorld, cluster: ClusterName, portal: string, replicas: number): Promise<void> {
  const apps = kubeConfig(t.world, cluster).makeApiClient(k8s.AppsV1Api);
  await apps.patchNamespacedDeploymentScale(
    { name: portal, namespace: portal, body: { spec: { replicas } } },
    k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
  );
}

describe('rehearsal world: frontend URLs and the PQS Secret', function () {
  this.timeout(60_000);
  let t: TestWorld;

  before(async function () {
    t = await startTestWorld(instantScenario('world-frontends', 5));
  });

  after(async function () {
    await t?.cleanup();
  });

  it('puts a lendos-portal and a signing-portal URL per environment into world.json', function () {
    const { urls } = t.world.description;
    const base = t.world.frontends.url;
    assert.match(base, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.deepEqual(urls, {
      staging: [`${base}/staging/lendos-portal/`, `${base}/staging/signing-portal/`],
      production: [`${base}/production/lendos-portal/`, `${base}/production/signing-portal/`],
      dev: [`${base}/dev/lendos-portal/`, `${base}/dev/signing-portal/`],
    });
    assert.deepEqual(JSON.parse(readFileSync(t.world.worldFile, 'utf8')).urls, urls);
  });

  it('answers 200 with a page naming the portal and the environment while the portal has ready pods', async function () {
    for (const cluster of ['staging', 'production'] as const) {
      const { lendos, signing } = portalUrls(t, cluster);
      const portal = await untilStatus(lendos, 200);
      assert.match(portal.type, /^text\/html/);
      assert.match(portal.body, new RegExp(`<title>LendOS Portal \\(${cluster}\\)</title>`));
      assert.match(portal.body, /Version v0\.0\.\d+, served by pod lendos-portal-/);
      const signingPage = await fetchText(signing);
      assert.equal(signingPage.status, 200);
      assert.match(signingPage.body, new RegExp(`<h1>LendOS Signing Portal</h1><p>Environment: ${cluster}</p>`));
    }
    const head = await fetchText(portalUrls(t, 'staging').lendos, 'HEAD');
    assert.deepEqual([head.status, head.body], [200, '']);
    const deepLink = await fetchText(`${t.world.frontends.url}/staging/lendos-portal/facilities/42`);
    assert.equal(deepLink.status, 200, 'the portals are single-page apps: every path under one serves its page');
  });

  it('answers 503 saying why once the portal is scaled to zero, and 200 again when it is back', async function () {
    const { lendos, signing } = portalUrls(t, 'staging');
    await scale(t, 'staging', 'lendos-portal', 0);
    const down = await untilStatus(lendos, 503);
    assert.match(down.body, /^no ready pods of lendos-portal in staging: the deployment wants 0 replicas, [0-2] pods exist, none ready\n$/);
    assert.equal((await fetchText(signing)).status, 200, 'the other portal still answers');
    assert.equal((await fetchText(portalUrls(t, 'production').lendos)).status, 200, 'production is another cluster');

    await scale(t, 'staging', 'lendos-portal', 2);
    await untilStatus(lendos, 200);
  });

  it('answers 404 off the portals and 405 to writes', async function () {
    const unknown = await fetchText(`${t.world.frontends.url}/staging/admin-portal/`);
    assert.equal(unknown.status, 404);
    assert.ok(unknown.body.includes(portalUrls(t, 'production').signing), 'the 404 lists the URLs the world serves');
    assert.equal((await fetchText(portalUrls(t, 'staging').lendos, 'POST')).status, 405);
  });

  it('seeds pqs/pqs-postgres in both clusters exactly when the world runs PQS', async function () {
    const { namespace, name, key } = PQS_CONNECTION_SECRET;
    for (const cluster of ['staging', 'production'] as const) {
      const core = kubeConfig(t.world, cluster).makeApiClient(k8s.CoreV1Api);
      assert.equal((await core.readNamespace({ name: namespace })).status?.phase, 'Active');
      const expected = t.world.description.pqs?.[cluster].url;
      if (expected === undefined) {
        await assert.rejects(core.readNamespacedSecret({ name, namespace }), (error: unknown) => error instanceof k8s.ApiException && error.code === 404);
        continue;
      }
      const secret = await core.readNamespacedSecret({ name, namespace });
      assert.equal(Buffer.from(secret.data?.[key] ?? '', 'base64').toString('utf8'), expected);
    }
  });

  it('closes the frontend server when the world stops', async function () {
    const { lendos } = portalUrls(t, 'staging');
    await t.world.stop();
    await assert.rejects(fetchText(lendos), (error: NodeJS.ErrnoException) => error.code === 'ECONNREFUSED');
  });
});
