/**
 * `lendos run` in production through the built CLI, on a rehearsal world: `--yes` is not enough, a wrong name changes
 * nothing, and `--confirm-environment bxci` (the runbook's name for production) lets the step change the cluster.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { createContext } from '../../src/cli/context.js';
import { kubeConfig, run, startTestWorld, worldEnv, type TestWorld } from './rehearsal/world-helpers.js';

const CLI = path.resolve('dist/cli.js');
const VERSION = '2025.4.0';
const STEP = 'production.upgrade.scale-down';

describe('lendos run in production (built CLI, rehearsal world)', function () {
  this.timeout(120_000);
  let t: TestWorld;
  let apps: k8s.AppsV1Api;

  before(async () => {
    if (!existsSync(CLI)) execFileSync(process.execPath, ['esbuild.mjs'], { stdio: 'ignore' });
    t = await startTestWorld('fast');
    apps = kubeConfig(t.world, 'production').makeApiClient(k8s.AppsV1Api);
    const { service } = await createContext(t.world.description.workspace.lendos);
    await service.startRelease(VERSION);
    await service.markDone(VERSION, 'production.upgrade.prerequisites', { force: true, note: 'prerequisites checked (test)' });
  });
  after(async () => t?.cleanup());

  const lendos = (...args: string[]) =>
    run(process.execPath, [CLI, 'run', STEP, '--world', t.world.worldFile, ...args], { cwd: t.world.description.workspace.lendos, env: worldEnv(t.world) });
  const portalReplicas = async () => (await apps.readNamespacedDeploymentScale({ name: 'lendos-portal', namespace: 'lendos-portal' })).spec?.replicas;

  it('refuses --yes alone and a wrong name, changing nothing and saying what to pass', async () => {
    const before = await portalReplicas();
    assert.ok((before ?? 0) > 0);
    const yesOnly = await lendos('--yes');
    assert.notEqual(yesOnly.code, 0);
    assert.match(yesOnly.stderr + yesOnly.stdout, /--confirm-environment bxci/);
    const wrong = await lendos('--yes', '--confirm-environment', 'production');
    assert.notEqual(wrong.code, 0);
    assert.match(wrong.stderr + wrong.stdout, /--confirm-environment production does not match bxci; nothing was changed/);
    assert.equal(await portalReplicas(), before);
  });

  it('scales production down once the environment is named as the runbook names it', async () => {
    const done = await lendos('--yes', '--confirm-environment', 'bxci');
    assert.equal(done.code, 0, done.stderr + done.stdout);
    assert.match(done.stdout, /bxci-prod\/SREOperatorAccess/, 'the context it changed is shown');
    assert.equal(await portalReplicas(), 0);
  });
});
