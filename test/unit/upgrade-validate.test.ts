import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { CalVer } from '../../src/core/calver.js';
import { defaultConfig } from '../../src/core/config/defaults.js';
import { UserError } from '../../src/core/errors.js';
import type { EventData } from '../../src/core/journal/types.js';
import { buildRunbook } from '../../src/core/runbook/index.js';
import { Cancelled, type StepContext } from '../../src/engine/step-types.js';
import type { Clock, Kube, LeaseRecord, LeaseSpecInput, UpgradePorts } from '../../src/ports.js';
import type { Target } from '../../src/steps/upgrade/target.js';
import { validate } from '../../src/steps/upgrade/validate.js';

const VERSION = '2025.4.0';
const BACKEND = { namespace: 'lendos-portal', deployment: 'lendos-portal-backend' };
const CONNECTED = 'INFO Connected to the ledger at canton-participant:5011';
const DARS = 'INFO Loaded DARs: lendos-2.0.0.dar';

/** The upgrade lock renews itself every 20 s (a third of its 60 s duration): on the fake clock it waits to be stopped. */
const RENEWAL_MS = 20_000;

/** A clock whose time moves only when someone sleeps on it: a 60 s wait takes no real time. */
class FakeClock implements Clock {
  private at = Date.parse('2025-11-10T14:32:00Z');
  readonly slept: number[] = [];
  now(): Date {
    return new Date(this.at);
  }
  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    if (ms === RENEWAL_MS) return heldClock.sleep(ms, signal);
    this.slept.push(ms);
    this.at += ms;
  }
}

/** A clock whose sleeps never end by themselves: only an abort ends them (rejecting with its reason, as the port says). */
const heldClock: Clock = {
  now: () => new Date('2025-11-10T14:32:00Z'),
  sleep: (_ms, signal) =>
    new Promise((_resolve, reject) => {
      signal?.throwIfAborted();
      signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
    }),
};

/** One backend whose log shows the ledger connection, and the new DARs only from the `darsFrom`-th read on. */
function fakeKube(darsFrom: number, onTail: () => void = () => undefined) {
  let lease: LeaseRecord | undefined;
  const state = { tails: 0, lease: () => lease };
  const record = (current: LeaseRecord | undefined, spec: LeaseSpecInput): LeaseRecord => ({
    name: 'lendos-release-upgrade',
    namespace: 'lendos-portal',
    resourceVersion: String(Number(current?.resourceVersion ?? 0) + 1),
    ...spec,
  });
  const kube = {
    listPods: async () => [],
    tailDeploymentLogs: async () => {
      state.tails += 1;
      onTail();
      const lines = state.tails >= darsFrom ? [CONNECTED, DARS] : [CONNECTED];
      return [{ pod: 'lendos-portal-backend-7d9f-abcde', lines }];
    },
    getLease: async () => lease,
    createLease: async (_c: string, _n: string, _name: string, spec: LeaseSpecInput) =>
      (lease = record(undefined, spec)),
    replaceLease: async (_c: string, current: LeaseRecord, spec: LeaseSpecInput) =>
      (lease = record(current, spec)),
  } as unknown as Kube;
  return { kube, state };
}

function setup(clock: Clock, kube: Kube, signal = new AbortController().signal) {
  const config = defaultConfig();
  const step = buildRunbook(VERSION, config).steps.find((s) => s.id === 'staging.upgrade.validate');
  assert.ok(step);
  const lines: string[] = [];
  const ports = {
    kube: async () => kube,
    pqs: async () => {
      throw new UserError('PQS is not configured', 'not-configured');
    },
    actor: async () => 'Ada <ada@example.com>',
  } as unknown as UpgradePorts;
  const ctx: StepContext<UpgradePorts> = {
    step,
    version: CalVer.parse(VERSION),
    config: { ...config, validation: { ...config.validation, backends: [BACKEND] } },
    clock,
    evidenceOf: (id): EventData => (id === 'prep.upgrade-branch' ? { from: '1.9.0', to: '2.0.0' } : {}),
    log: {
      info: (l) => lines.push(l),
      warn: (l) => lines.push(`warn: ${l}`),
      error: (l) => lines.push(`error: ${l}`),
      output: () => undefined,
    },
    progress: async () => undefined,
    record: async () => undefined,
    recordFirst: async (data) => data,
    run: { id: 'r-test', pid: 1, host: 'ada-laptop', shell: 'cli', actor: 'Ada <ada@example.com>', since: '2025-11-10T10:00:00.000Z' },
    isLive: async () => false,
    prompt: { confirm: async () => true, confirmTyped: async () => true, form: async () => undefined },
    signal,
    ports,
    statusOf: () => 'pending',
    child: () => assert.fail('no children'),
  };
  const env = config.environments.staging;
  const info = {
    context: env.kubeContext,
    server: 'https://k8s.staging',
    cluster: 'staging',
    user: 'ada',
    kubeconfig: [],
  };
  const target: Target = {
    environment: 'staging',
    env,
    context: env.kubeContext,
    kube,
    info,
    namespaces: [BACKEND.namespace],
    account: { account: '620134885217', arn: 'arn:aws:sts::620134885217:assumed-role/SREOperatorAccess/ada' },
    identity: { clusterUid: '0b7d4b8e-2f6a-4c1e-9d3b-5a6f7e8d9c0b', server: info.server, context: info.context, cluster: info.cluster },
  };
  return { ctx, target, lines };
}

describe('upgrade: validation waits for the backend logs on ctx.clock', function () {
  this.timeout(2_000);

  it('gives the backends 60 s to log the new DARs, then fails the row — without waiting for real', async () => {
    const clock = new FakeClock();
    const { kube, state } = fakeKube(Infinity);
    const { ctx, target, lines } = setup(clock, kube);
    const began = performance.now();
    await assert.rejects(validate('staging').run(ctx, target), (error: unknown) => {
      assert.ok(error instanceof UserError && error.reason === 'validation-failed', String(error));
      assert.match(
        error.message,
        /backend log lendos-portal\/lendos-portal-backend: lendos-portal-backend-7d9f-abcde shows no DARs of version 2\.0\.0 in its log/,
      );
      return true;
    });
    assert.ok(performance.now() - began < 1_000, 'no real waiting');
    assert.equal(
      clock.slept.reduce((sum, ms) => sum + ms, 0),
      60_000,
    );
    assert.ok(clock.slept.every((ms) => ms === 2_000));
    assert.equal(
      state.tails,
      clock.slept.length + 1,
      'one read of the logs per retry, and a last one at the deadline',
    );
    assert.ok(
      lines.some((l) => /^backend log +lendos-portal\/lendos-portal-backend +failed/.test(l)),
      lines.join('\n'),
    );
    assert.equal(
      state.lease()?.holder,
      'Ada <ada@example.com> @ ada-laptop (cli pid 1, run r-test)',
      'a failed validation keeps the lock',
    );
  });

  it('passes as soon as the DARs show up, and releases the lock', async () => {
    const clock = new FakeClock();
    const { kube, state } = fakeKube(4);
    const { ctx, target } = setup(clock, kube);
    const outcome = await validate('staging').run(ctx, target);
    assert.match(outcome.summary, /upgrade lock released$/);
    assert.deepEqual(clock.slept, [2_000, 2_000, 2_000]);
    assert.equal(state.tails, 4);
    assert.equal(state.lease()?.holder, undefined);
  });

  it('ends at once on a cancel, as a cancel (not a failure), keeping the lock', async () => {
    const controller = new AbortController();
    const { kube, state } = fakeKube(Infinity, () => setImmediate(() => controller.abort()));
    const { ctx, target } = setup(heldClock, kube, controller.signal);
    const began = performance.now();
    await assert.rejects(validate('staging').run(ctx, target), (error: unknown) => {
      assert.ok(error instanceof Cancelled, `expected a Cancelled, got ${String(error)}`);
      assert.match(
        error.message,
        /^Validation stopped before its checks finished; the upgrade lock stays held/,
      );
      return true;
    });
    assert.ok(performance.now() - began < 500, 'ended promptly');
    assert.equal(state.tails, 1);
    assert.equal(state.lease()?.holder, 'Ada <ada@example.com> @ ada-laptop (cli pid 1, run r-test)');
  });
});

describe('upgrade: a backend with the old DARs, told apart by the image its pods run', function () {
  this.timeout(2_000);
  const RELEASE = { 'lendos-portal-backend': 'v0.0.830' };
  const REGISTRY = '381492038457.dkr.ecr.us-east-1.amazonaws.com/right-pedal/lendos-portal-backend';

  async function failure(image: string): Promise<string> {
    const { kube } = fakeKube(Infinity);
    Object.assign(kube, {
      getScale: async () => ({ replicas: 1, currentReplicas: 1, selector: 'app=lendos-portal-backend' }),
      listPods: async (_c: string, _n: string, selector: string) =>
        selector === 'app=lendos-portal-backend' ? [{ name: 'lendos-portal-backend-7d9f-abcde', containers: ['backend'], images: [image] }] : [],
    });
    const { ctx, target } = setup(new FakeClock(), kube);
    const recorded = { ...ctx, evidenceOf: (id: string): EventData => (id === 'staging.values-tags' ? { tags: RELEASE } : ctx.evidenceOf(id)) };
    const error = await validate('staging').run(recorded, target).then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof UserError, String(error));
    return error.message;
  }

  it('the release’s tag: it started before the upgrade, restart it', async () => {
    assert.match(
      await failure(`${REGISTRY}:v0.0.830`),
      /shows no DARs of version [0-9.]+ in its log — its pods run .*lendos-portal-backend:v0\.0\.830, the release's tag: they started before the upgrade and still have the old DARs — restart it/,
    );
  });

  it('another tag: Argo CD has not deployed the release’s values-tags', async () => {
    assert.match(
      await failure(`${REGISTRY}:v0.0.812`),
      /its pods run .*:v0\.0\.812, not the release's v0\.0\.830: Argo CD has not deployed the release's values-tags — check that staging\.values-tags is merged into main, then sync \(staging\.upgrade\.argocd-sync\)/,
    );
  });
});
