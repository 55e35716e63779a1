/**
 * Check Codespace Setup against a rehearsal world with the real ports: the tools are run as processes, the kube
 * contexts read by kubectl from the world's kubeconfig, the token's reach into lendos-eks-workloads asked of the
 * world's GitHub. Then what it says when a tool, a context or the clone is missing.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'mocha';
import { createStepPorts, type RehearsalWorld } from '../../src/adapters/step-ports.js';
import { defaultConfig } from '../../src/core/config/defaults.js';
import { withRehearsal } from '../../src/core/config/environment.js';
import type { LendosConfig } from '../../src/core/config/types.js';
import { checkSetup, setupReport, type SetupCheck } from '../../src/steps/setup-check.js';
import { kubectlPath } from '../../scripts/tools.mjs';
import { startTestWorld, type TestWorld } from './rehearsal/world-helpers.js';

describe('Check Codespace Setup (rehearsal world)', function () {
  this.timeout(120_000);
  let test: TestWorld;
  let config: LendosConfig;
  let kubectlDir = '';
  const savedPath = process.env.PATH;

  before(async () => {
    test = await startTestWorld('happy-path');
    config = withRehearsal(defaultConfig(), test.world.description);
    // Debian's kubectl from .tools, first on PATH (the machine's own is left alone).
    kubectlDir = path.dirname(await kubectlPath());
  });
  after(async () => {
    process.env.PATH = savedPath;
    await test?.cleanup();
  });

  const run = (overrides: Partial<LendosConfig> = {}, root = test.world.description.workspace.lendos): Promise<SetupCheck[]> => {
    const world = test.world.description as unknown as RehearsalWorld;
    const ports = createStepPorts(root, () => ({ ...config, ...overrides }), () => world, async () => 'Ada');
    return checkSetup(ports, { ...config, ...overrides });
  };
  const find = (checks: SetupCheck[], name: string) => checks.find((c) => c.check === name);

  it("finds kubectl, the world's contexts, the workloads clone and the token's reach into lendos-eks-workloads", async () => {
    process.env.PATH = `${kubectlDir}:${savedPath}`;
    const checks = await run();
    assert.deepEqual(checks.map((c) => c.check), ['kubectl', 'AWS CLI', 'GitHub CLI', 'kube contexts', 'AWS profiles', 'workloads clone', 'GitHub access']);
    assert.equal(find(checks, 'AWS profiles')?.status, 'ok', JSON.stringify(checks));
    assert.match(find(checks, 'AWS profiles')?.detail ?? '', /^staging: \S+ → account \d{12}; production: \S+ → account \d{12}$/);
    assert.equal(find(checks, 'kubectl')?.status, 'ok', JSON.stringify(checks));
    assert.match(find(checks, 'kubectl')?.detail ?? '', /Client Version/);
    assert.deepEqual(find(checks, 'kube contexts'), { check: 'kube contexts', status: 'ok', detail: 'lendos-stg/SREOperatorAccess, bxci-prod/SREOperatorAccess' });
    assert.equal(find(checks, 'workloads clone')?.status, 'ok');
    assert.match(find(checks, 'GitHub access')?.detail ?? '', /lendos-eks-workloads/);
    assert.equal(find(checks, 'GitHub access')?.status, 'ok');
    const md = setupReport(checks);
    assert.match(md, /^# LendOS: Codespace setup/);
    assert.equal(md.split('\n').filter((line) => line.startsWith('| ✅') || line.startsWith('| ❌') || line.startsWith('| ⚠️')).length, 7);
  });

  it('says when a profile is not the account recorded for its environment', async () => {
    const production = { ...config.environments.production, identity: { ...config.environments.production.identity, account: '000000000000' } };
    const checks = await run({ environments: { ...config.environments, production } });
    assert.equal(find(checks, 'AWS profiles')?.status, 'missing');
    assert.match(find(checks, 'AWS profiles')?.detail ?? '', /production: \S+ is account \d{12}, but 000000000000 is recorded for production/);
    assert.match(find(checks, 'AWS profiles')?.fix ?? '', /aws sso login --profile/);
  });

  it('says what to do for a missing tool, a missing context and a missing clone', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'lendos-empty-path-'));
    try {
      process.env.PATH = empty;
      const checks = await run({ repositories: { ...config.repositories, workloadsPath: '../no-such-clone' } });
      for (const name of ['kubectl', 'AWS CLI', 'GitHub CLI', 'kube contexts', 'workloads clone']) {
        const check = find(checks, name);
        assert.equal(check?.status, 'missing', name);
        assert.ok((check?.fix ?? '').length > 10, `${name} says what to do`);
      }
      assert.match(find(checks, 'workloads clone')?.detail ?? '', /no-such-clone is not a clone of lendos-eks-workloads/);
    } finally {
      process.env.PATH = savedPath;
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
