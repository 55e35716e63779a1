import assert from 'node:assert/strict';
import * as k8s from '@kubernetes/client-node';
import { after, afterEach, before, describe, it } from 'mocha';
import { scenario, startFixture, waitFor, type KubeFixture } from './kube-fixture.js';

interface WatchEvent {
  type: string;
  object: { metadata?: { name?: string; resourceVersion?: string; annotations?: Record<string, string> }; code?: number; reason?: string };
}

/** One watch connection: its events, and how it ended. */
function watchOnce(kc: k8s.KubeConfig, path: string, query: Record<string, string | number | boolean | undefined>) {
  const events: WatchEvent[] = [];
  let ended: { error: unknown } | undefined;
  const controller = new k8s.Watch(kc).watch(
    path,
    query,
    (type, object) => events.push({ type, object: object as WatchEvent['object'] }),
    (error) => (ended = { error }),
  );
  return { events, ended: () => ended, abort: async () => (await controller).abort() };
}

async function scale(fixture: KubeFixture, namespace: string, name: string, replicas: number): Promise<void> {
  await fixture.kc.makeApiClient(k8s.AppsV1Api).patchNamespacedDeploymentScale(
    { name, namespace, body: { spec: { replicas } } },
    k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
  );
}

async function readyPods(fixture: KubeFixture, namespace: string): Promise<number> {
  const pods = await fixture.kc.makeApiClient(k8s.CoreV1Api).listNamespacedPod({ namespace });
  return pods.items.filter((p) => !p.metadata?.deletionTimestamp && p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length;
}

describe('rehearsal kube: watches', function () {
  let fixture: KubeFixture | undefined;
  const aborts: (() => Promise<void>)[] = [];

  afterEach(async function () {
    for (const abort of aborts.splice(0)) await abort();
    await fixture?.close();
    fixture = undefined;
  });

  it('streams pod changes from a list resourceVersion, with bookmarks', async function () {
    fixture = await startFixture();
    const core = fixture.kc.makeApiClient(k8s.CoreV1Api);
    const list = await core.listNamespacedPod({ namespace: 'pqs' });
    const watch = watchOnce(fixture.kc, '/api/v1/namespaces/pqs/pods', { resourceVersion: list.metadata?.resourceVersion, allowWatchBookmarks: true });
    aborts.push(watch.abort);
    await scale(fixture, 'pqs', 'pqs', 3);
    await waitFor('two pods added', () => watch.events.filter((e) => e.type === 'ADDED').length === 2);
    await waitFor('a bookmark', () => watch.events.some((e) => e.type === 'BOOKMARK'));
    assert.ok(watch.events.some((e) => e.type === 'MODIFIED'), 'pods turning ready arrive as MODIFIED');
    const bookmark = watch.events.find((e) => e.type === 'BOOKMARK');
    assert.ok(Number(bookmark?.object.metadata?.resourceVersion) > Number(list.metadata?.resourceVersion));
  });

  it('ends the stream after timeoutSeconds', async function () {
    fixture = await startFixture();
    const watch = watchOnce(fixture.kc, '/apis/apps/v1/namespaces/pqs/deployments', { timeoutSeconds: 1 });
    aborts.push(watch.abort);
    await waitFor('the watch to end', () => watch.ended());
    assert.equal(watch.ended()?.error, null);
    assert.deepEqual(watch.events.map((e) => e.type), ['ADDED'], 'a watch without resourceVersion starts with the current state');
  });

  it('answers a too-old resourceVersion with an ERROR event carrying 410 Expired', async function () {
    fixture = await startFixture({ eventHistoryLimit: 10 });
    const core = fixture.kc.makeApiClient(k8s.CoreV1Api);
    const old = (await core.listNamespacedPod({ namespace: 'daml-http-json' })).metadata?.resourceVersion;
    await scale(fixture, 'daml-http-json', 'daml-http-json', 4);
    await waitFor('four ready pods', async () => (await readyPods(fixture!, 'daml-http-json')) === 4);
    const stale = watchOnce(fixture.kc, '/api/v1/namespaces/daml-http-json/pods', { resourceVersion: old });
    aborts.push(stale.abort);
    await waitFor('the stale watch to end', () => stale.ended());
    assert.equal(stale.events.length, 1);
    assert.equal(stale.events[0]?.type, 'ERROR');
    assert.equal(stale.events[0]?.object.code, 410);
    assert.equal(stale.events[0]?.object.reason, 'Expired');
    const fresh = await core.listNamespacedPod({ namespace: 'daml-http-json' });
    const again = watchOnce(fixture.kc, '/api/v1/namespaces/daml-http-json/pods', { resourceVersion: fresh.metadata?.resourceVersion });
    aborts.push(again.abort);
    await scale(fixture, 'daml-http-json', 'daml-http-json', 1);
    await waitFor('deletions after re-listing', () => again.events.filter((e) => e.type === 'DELETED').length === 3);
  });

  it('survives watch-drop: streams close after N events and a resumed watch misses nothing', async function () {
    fixture = await startFixture({ scenario: scenario([{ kind: 'watch-drop', afterEvents: 3 }]) });
    const core = fixture.kc.makeApiClient(k8s.CoreV1Api);
    let resourceVersion = (await core.listNamespacedPod({ namespace: 'lendos-portal', labelSelector: 'app=lendos-portal' })).metadata?.resourceVersion;
    const seen = new Map<string, string>();
    let connections = 0;
    await scale(fixture, 'lendos-portal', 'lendos-portal', 0);
    const done = waitFor('both old pods deleted and three new ready', () => {
      const ready = [...seen.values()].filter((v) => v === 'ready').length;
      return [...seen.values()].filter((v) => v === 'deleted').length === 2 && ready === 3;
    });
    const reconnect = (): void => {
      connections += 1;
      const watch = new k8s.Watch(fixture!.kc).watch(
        '/api/v1/namespaces/lendos-portal/pods',
        { labelSelector: 'app=lendos-portal', resourceVersion },
        (type, pod: k8s.V1Pod) => {
          resourceVersion = pod.metadata?.resourceVersion;
          const ready = pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
          seen.set(pod.metadata?.name ?? '', type === 'DELETED' ? 'deleted' : ready && !pod.metadata?.deletionTimestamp ? 'ready' : 'pending');
        },
        (error) => {
          if (!error && fixture) reconnect();
        },
      );
      aborts.push(async () => (await watch).abort());
    };
    reconnect();
    await waitFor('old pods deleted', () => [...seen.values()].filter((v) => v === 'deleted').length === 2);
    await scale(fixture, 'lendos-portal', 'lendos-portal', 3);
    await done;
    assert.ok(connections > 2, `the watch was dropped and resumed (${connections} connections)`);
  });

  it('keeps a client-node informer in sync through dropped watches', async function () {
    fixture = await startFixture({ scenario: scenario([{ kind: 'watch-drop', afterEvents: 2 }]) });
    const core = fixture.kc.makeApiClient(k8s.CoreV1Api);
    const informer = k8s.makeInformer(fixture.kc, '/api/v1/namespaces/pqs/pods', () => core.listNamespacedPod({ namespace: 'pqs' }));
    let stopped = false;
    informer.on('error', () => setTimeout(() => void (stopped || informer.start()), 10));
    await informer.start();
    aborts.push(async () => {
      stopped = true;
      await informer.stop();
    });
    await scale(fixture, 'pqs', 'pqs', 3);
    const cached = await waitFor('three ready pods in the informer cache', () => {
      const pods = informer.list('pqs').filter((p) => !p.metadata?.deletionTimestamp);
      return pods.length === 3 && pods.every((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) && pods;
    });
    assert.equal(cached.length, 3);
  });
});

describe('rehearsal kube: watch of a whole cluster', function () {
  let fixture: KubeFixture;
  before(async function () {
    fixture = await startFixture();
  });
  after(async function () {
    await fixture.close();
  });

  it('leaves no open watch behind once clients disconnect', async function () {
    const watch = watchOnce(fixture.kc, '/api/v1/pods', { allowWatchBookmarks: true });
    await waitFor('initial ADDED events', () => watch.events.length >= 8);
    assert.equal(fixture.cluster.stats().openWatches, 1);
    await watch.abort();
    await waitFor('the server to notice', () => fixture.cluster.stats().openWatches === 0);
  });
});
