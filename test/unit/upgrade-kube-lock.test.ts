import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { defaultConfig } from '../../src/core/config/defaults.js';
import { KubeConflict, type Kube, type LeaseRecord, type LeaseSpecInput } from '../../src/ports.js';
import { holdLock, isStale } from '../../src/steps/upgrade/lock.js';
import type { Target, UpgradeStepContext } from '../../src/steps/upgrade/target.js';

/** Just the Lease calls, in memory, with resourceVersions like the API server's. */
class LeaseStore {
  lease: LeaseRecord | undefined;
  private version = 1;
  private record(name: string, namespace: string, spec: LeaseSpecInput): LeaseRecord {
    this.version += 1;
    const { holder, durationSeconds, acquireTime, renewTime, transitions } = spec;
    return { name, namespace, resourceVersion: String(this.version), transitions, durationSeconds, ...(holder ? { holder } : {}), ...(acquireTime ? { acquireTime } : {}), ...(renewTime ? { renewTime } : {}) };
  }
  kube(): Kube {
    return {
      getLease: async () => this.lease,
      createLease: async (_c: string, namespace: string, name: string, spec: LeaseSpecInput) => {
        if (this.lease) throw new KubeConflict('exists');
        return (this.lease = this.record(name, namespace, spec));
      },
      replaceLease: async (_c: string, current: LeaseRecord, spec: LeaseSpecInput) => {
        if (current.resourceVersion !== this.lease?.resourceVersion) throw new KubeConflict('changed');
        return (this.lease = this.record(current.name, current.namespace, spec));
      },
    } as unknown as Kube;
  }
}

function context(answer: boolean) {
  const asked: string[] = [];
  const ctx = {
    config: defaultConfig(),
    ports: { actor: async () => 'Ada <ada@example.com>', host: 'ada-laptop' },
    prompt: { confirm: async (message: string) => (asked.push(message), answer) },
    log: { info: () => undefined, warn: () => undefined },
    record: async () => undefined,
  } as unknown as UpgradeStepContext;
  return { ctx, asked };
}

function target(store: LeaseStore): Target {
  return { context: 'lendos-stg/SREOperatorAccess', kube: store.kube() } as unknown as Target;
}

describe('upgrade kube: the cluster lock', function () {
  it('is taken, renewed without asking by its holder, and released', async function () {
    const store = new LeaseStore();
    const { ctx, asked } = context(true);
    const first = await holdLock(ctx, target(store));
    first.stop();
    assert.equal(store.lease?.holder, 'Ada <ada@example.com> @ ada-laptop');
    const since = store.lease?.acquireTime;
    const again = await holdLock(ctx, target(store));
    assert.equal(store.lease?.acquireTime, since, 'a renewal keeps the acquire time');
    await again.release();
    assert.equal(store.lease?.holder, undefined);
    assert.deepEqual(asked, []);
  });

  it('refuses a fresh lease of someone else, naming them and since when', async function () {
    const store = new LeaseStore();
    const now = new Date().toISOString();
    store.lease = { name: 'lendos-release-upgrade', namespace: 'lendos-portal', resourceVersion: '1', transitions: 0, holder: 'Bob @ bob-pc', durationSeconds: 60, acquireTime: now, renewTime: now };
    await assert.rejects(holdLock(context(true).ctx, target(store)), new RegExp(`held by Bob @ bob-pc since ${now.replace(/[.]/g, '\\.')}`));
    assert.equal(store.lease.holder, 'Bob @ bob-pc');
  });

  it('takes a stale lease over only when the person confirms', async function () {
    const old = new Date(Date.now() - 5 * 60_000).toISOString();
    const stale: LeaseRecord = { name: 'lendos-release-upgrade', namespace: 'lendos-portal', resourceVersion: '1', transitions: 2, holder: 'Bob @ bob-pc', durationSeconds: 60, acquireTime: old, renewTime: old };
    assert.equal(isStale(stale, new Date(), 60), true);
    assert.equal(isStale({ ...stale, renewTime: new Date().toISOString() }, new Date(), 60), false);
    const store = new LeaseStore();
    store.lease = stale;
    const declined = context(false);
    await assert.rejects(holdLock(declined.ctx, target(store)), /not taken over/);
    assert.match(declined.asked[0] ?? '', /last renewed 5 min ago.*Take the lock over\?/);
    const lock = await holdLock(context(true).ctx, target(store));
    lock.stop();
    assert.equal(store.lease?.holder, 'Ada <ada@example.com> @ ada-laptop');
    assert.equal(store.lease?.transitions, 3);
  });
});
