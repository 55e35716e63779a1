/**
 * Strings from the cluster never reach the terminal as escape sequences: a Lease holder crafted to erase the line,
 * print a fake green success and retitle the terminal shows up inert in the refusal of the built CLI, and nothing
 * changes (the Deployment, the Lease).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { createContext } from '../../src/cli/context.js';
import { kubeConfig, run, startTestWorld, worldEnv, type TestWorld } from './rehearsal/world-helpers.js';

const CLI = path.resolve('dist/cli.js');
const VERSION = '2025.4.0';
const STEP = 'staging.upgrade.scale-down';
const LEASE = { name: 'lendos-release-upgrade', namespace: 'lendos-portal' };
/** The attack: erase the line, return, a green "succeeded", a new window title (OSC with BEL and with ST). */
const HOLDER =
  'mallory\x1b[2K\r\x1b[32m✔ succeeded\x1b[0m\x1b]0;pwned\x07\x1b]2;title\x1b\\\u009b2K\u202e @ evil-host';

/** ESC, C1 controls (8-bit CSI, OSC, …), other C0 controls but \n and \t, DEL, bidi overrides and isolates. */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

describe('lendos run: a hostile Lease holder reaches the terminal inert (built CLI, rehearsal world)', function () {
  this.timeout(120_000);
  let t: TestWorld;
  let apps: k8s.AppsV1Api;
  let coordination: k8s.CoordinationV1Api;

  before(async () => {
    // Always rebuilt: this suite is about what the bundle writes.
    execFileSync(process.execPath, ['esbuild.mjs'], { stdio: 'ignore' });
    t = await startTestWorld('fast');
    const kc = kubeConfig(t.world, 'staging');
    apps = kc.makeApiClient(k8s.AppsV1Api);
    coordination = kc.makeApiClient(k8s.CoordinationV1Api);
    const { service } = await createContext(t.world.description.workspace.lendos);
    await service.startRelease(VERSION);
    await service.markDone(VERSION, 'staging.upgrade.prerequisites', {
      force: true,
      note: 'prerequisites checked (test)',
    });
    const now = new k8s.V1MicroTime(new Date().toISOString());
    await coordination.createNamespacedLease({
      namespace: LEASE.namespace,
      body: {
        metadata: { name: LEASE.name },
        spec: { holderIdentity: HOLDER, leaseDurationSeconds: 600, acquireTime: now, renewTime: now },
      },
    });
  });
  after(async () => t?.cleanup());

  const lendos = (...args: string[]) =>
    run(process.execPath, [CLI, ...args, '--world', t.world.worldFile], {
      cwd: t.world.description.workspace.lendos,
      env: worldEnv(t.world),
    });
  const portalReplicas = async () =>
    (await apps.readNamespacedDeploymentScale({ name: 'lendos-portal', namespace: 'lendos-portal' })).spec
      ?.replicas;

  it('refuses, naming the holder without one escape sequence, and changes nothing', async () => {
    const replicas = await portalReplicas();
    assert.ok((replicas ?? 0) > 0);
    const lease = await coordination.readNamespacedLease(LEASE);
    assert.equal(lease.spec?.holderIdentity, HOLDER, 'the world keeps the holder as written');

    const refused = await lendos('run', STEP, '--yes');
    const text = refused.stdout + refused.stderr;
    assert.equal(refused.code, 1, text);
    assertInert(refused.stdout, 'stdout');
    assertInert(refused.stderr, 'stderr');
    assert.match(text, /held by/, text);
    assert.match(text, /mallory/);
    assert.match(text, /✔ succeeded/, 'the holder text is still shown');
    assert.match(text, /evil-host/);
    assert.match(text, /␛|\\u001b|\\x1b/i, 'a person sees that something odd was in it');

    assert.equal(await portalReplicas(), replicas, 'the Deployment was not scaled');
    const after = await coordination.readNamespacedLease(LEASE);
    assert.equal(after.spec?.holderIdentity, HOLDER, 'the Lease is still theirs');
    assert.equal(String(after.spec?.renewTime), String(lease.spec?.renewTime), 'and was not renewed by us');
    assert.equal(
      after.metadata?.resourceVersion,
      lease.metadata?.resourceVersion,
      'the Lease was not written',
    );
  });

  it('journals nothing of a refusal before the step starts, and lendos status stays inert', async () => {
    const status = await lendos('status');
    assert.equal(status.code, 0, status.stderr);
    assertInert(status.stdout + status.stderr, 'status');
    const json = await lendos('status', '--json');
    assert.equal(json.code, 0, json.stderr);
    assert.ok(!json.stdout.includes('\x1b'), 'JSON escapes control characters itself');
    const step = (
      JSON.parse(json.stdout) as { steps: { id: string; status: string; message: string | null }[] }
    ).steps.find((s) => s.id === STEP);
    assert.equal(step?.status, 'ready', 'refused before it started: the step is as it was');
    assert.equal(step?.message, null);
  });
});

function assertInert(text: string, what: string): void {
  const found = UNSAFE.exec(text);
  assert.equal(
    found,
    null,
    `${what} has U+${found?.[0].charCodeAt(0).toString(16).padStart(4, '0')}: ${JSON.stringify(text)}`,
  );
  assert.doesNotMatch(text, /\r/, `${what} has a carriage return`);
}
