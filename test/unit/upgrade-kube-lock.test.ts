import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { defaultConfig } from '../../src/core/config/defaults.js';
import { KubeConflict, type Kube, type LeaseRecord, type LeaseSpecInput } from '../../src/ports.js';
import { holdLock, isStale } from '../../src/steps/upgrade/lock.js';
import { systemClock } from '../../src/adapters/clock.js';
import { Declined } from '../../src/engine/step-types.js';
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

const ADA = { id: 'r-ada00001', pid: 4242, host: 'ada-laptop', shell: 'cli' as const, actor: 'Ada <ada@example.com>', since: '2025-11-10T10:00:00.000Z' };
const ADA_HOLDER = 'Ada <ada@example.com> @ ada-laptop (cli pid 4242, run r-ada00001)';
const BOB_HOLDER = 'Bob <bob@example.com> @ bob-pc (editor pid 77, run r-bob00001)';

function context(answer: boolean, options: { live?: boolean; typed?: boolean; run?: typeof ADA } = {}) {
  const asked: string[] = [];
  const typed: string[] = [];
  const ctx = {
    config: defaultConfig(),
    run: options.run ?? ADA,
    clock: systemClock,
    isLive: async () => options.live ?? true,
    prompt: {
      confirm: async (message: string) => (asked.push(message), answer),
      confirmTyped: async (message: string, expected: string) => (typed.push(`${message} [${expected}]`), options.typed ?? false),
    },
    log: { info: () => undefined, warn: () => undefined },
    record: async () => undefined,
  } as unknown as UpgradeStepContext;
  return { ctx, asked, typed };
}

function target(store: LeaseStore, environment: 'staging' | 'production' = 'staging'): Target {
  const env = defaultConfig().environments[environment];
  return { environment, env, context: env.kubeContext, kube: store.kube() } as unknown as Target;
}

function held(holder: string, ago: number): LeaseRecord {
  const at = new Date(Date.now() - ago).toISOString();
  return { name: 'lendos-release-upgrade', namespace: 'lendos-portal', resourceVersion: '1', transitions: 2, holder, durationSeconds: 60, acquireTime: at, renewTime: at };
}

describe('upgrade kube: the cluster lock', function () {
  it('is taken by the run (its holder names person, host, process and run), renewed without asking, and released', async function () {
    const store = new LeaseStore();
    const { ctx, asked } = context(true);
    const first = await holdLock(ctx, target(store));
    first.stop();
    assert.equal(store.lease?.holder, ADA_HOLDER);
    const since = store.lease?.acquireTime;
    const again = await holdLock(ctx, target(store));
    assert.equal(store.lease?.acquireTime, since, 'a renewal keeps the acquire time');
    await again.release();
    assert.equal(store.lease?.holder, undefined);
    assert.deepEqual(asked, []);
  });

  it('refuses a fresh lease of a live run elsewhere, naming it and since when; even the same person in another process', async function () {
    for (const holder of [BOB_HOLDER, 'Ada <ada@example.com> @ ada-laptop (cli pid 4343, run r-ada00002)']) {
      const store = new LeaseStore();
      store.lease = held(holder, 0);
      const at = store.lease.acquireTime ?? '';
      await assert.rejects(holdLock(context(true, { live: true }).ctx, target(store)), (e: Error) => e.message.includes(`held by ${holder} since ${at}`) && /Nothing was changed/.test(e.message));
      assert.equal(store.lease.holder, holder);
    }
  });

  it('replaces without asking a holder whose run is over (its process gone, or the journal shows it ended)', async function () {
    const store = new LeaseStore();
    store.lease = held('Ada <ada@example.com> @ ada-laptop (editor pid 99, run r-ada0000f)', 0);
    const { ctx, asked } = context(false, { live: false });
    (await holdLock(ctx, target(store))).stop();
    assert.equal(store.lease?.holder, ADA_HOLDER);
    assert.equal(store.lease?.transitions, 3);
    assert.deepEqual(asked, []);
  });

  it('takes a stale lease over in staging only when the person confirms', async function () {
    const stale = held(BOB_HOLDER, 5 * 60_000);
    assert.equal(isStale(stale, new Date(), 60), true);
    assert.equal(isStale({ ...stale, renewTime: new Date().toISOString() }, new Date(), 60), false);
    const store = new LeaseStore();
    store.lease = stale;
    const declined = context(false);
    await assert.rejects(holdLock(declined.ctx, target(store)), (e: Error) => e instanceof Declined && /not taken over/.test(e.message));
    assert.match(declined.asked[0] ?? '', /last renewed 5 min ago.*Take the lock over\?/);
    (await holdLock(context(true).ctx, target(store))).stop();
    assert.equal(store.lease?.holder, ADA_HOLDER);
    assert.equal(store.lease?.transitions, 3);
  });

  it('takes a stale lease over in production only with the typed name: a yes is not enough', async function () {
    const store = new LeaseStore();
    store.lease = held(BOB_HOLDER, 5 * 60_000);
    const yesOnly = context(true, { typed: false });
    await assert.rejects(holdLock(yesOnly.ctx, target(store, 'production')), /not taken over/);
    assert.deepEqual(yesOnly.asked, [], 'production does not ask a plain yes');
    assert.match(yesOnly.typed[0] ?? '', /Type "bxci" to take it over\. \[bxci\]$/);
    assert.equal(store.lease.holder, BOB_HOLDER);
    (await holdLock(context(false, { typed: true }).ctx, target(store, 'production'))).stop();
    assert.equal(store.lease?.holder, ADA_HOLDER);
  });

  it('reads the lease again when it changed between read and write (409), and decides on what is there', async function () {
    const store = new LeaseStore();
    const kube = store.kube();
    let raced = false;
    const racing = {
      ...kube,
      createLease: async (c: string, ns: string, name: string, spec: LeaseSpecInput) => {
        if (!raced) {
          raced = true;
          store.lease = held('Ada <ada@example.com> @ ada-laptop (cli pid 99, run r-ada0000f)', 0);
          throw new KubeConflict('exists');
        }
        return kube.createLease(c, ns, name, spec);
      },
    } as Kube;
    (await holdLock(context(false, { live: false }).ctx, { ...target(store), kube: racing })).stop();
    assert.equal(store.lease?.holder, ADA_HOLDER);
  });
});
