import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { main } from '../../src/cli/main.js';
import { capture, ensureBuiltCli, runBuiltCli } from './cli-helpers.js';
import { lendosRepo, type TempRepo } from './helpers.js';

describe('lendos CLI', () => {
  let repo: TempRepo;
  before(ensureBuiltCli);
  beforeEach(() => (repo = lendosRepo()));
  afterEach(() => repo.cleanup());

  it('plan --json lists every step in runbook order with the documented fields', async () => {
    const io = capture();
    assert.equal(await main(['plan', '--release', '2025.4.0', '--json', '--workspace', repo.root], io), 0);
    const steps = JSON.parse(io.out.join('')) as Record<string, unknown>[];
    assert.equal(steps[0]?.id, 'prep.cut-release-branch');
    for (const key of ['id', 'phase', 'environment', 'title', 'kind', 'optional', 'dependsOn']) assert.ok(key in (steps[0] ?? {}), key);
    const ids = steps.map((s) => s.id);
    assert.ok(ids.indexOf('staging.upgrade.snapshot') < ids.indexOf('staging.upgrade.stage.upload-dars'));
    assert.ok(ids.includes('production.upgrade.stage.cleanup-coordinator'));
    assert.equal(steps.find((s) => s.id === 'production.upgrade.scale-down')?.environment, 'production');
  });

  it('status reads the journal the extension writes', async () => {
    writeFileSync(path.join(repo.root, 'x'), '');
    const start = capture();
    assert.equal(await main(['plan', '--workspace', repo.root], start), 1, 'no active release is a failure');
    assert.match(start.err.join('\n'), /No release is active.*--release/);
    // Start a release through the same engine the extension uses.
    const { createContext } = await import('../../src/cli/context.js');
    const ctx = await createContext(repo.root);
    await ctx.service.startRelease('2025.4.0');
    await ctx.service.markDone('2025.4.0', 'prep.cut-release-branch');
    const io = capture();
    assert.equal(await main(['status', '--json', '--workspace', repo.root], io), 0);
    const status = JSON.parse(io.out.join(''));
    assert.equal(status.version, '2025.4.0');
    assert.equal(status.current, 'prep.bump-version');
    assert.equal(status.steps.find((s: { id: string }) => s.id === 'prep.cut-release-branch').status, 'succeeded');
    const text = capture();
    assert.equal(await main(['status', '--workspace', repo.root], text), 0);
    assert.match(text.out.join('\n'), /✔ 1\.1 +- +Cut release branch — succeeded/);
  });

  it('the built CLI keeps its exit codes: 0 ok, 1 failure, 2 usage', async () => {
    assert.equal((await runBuiltCli(['plan', '--help'], repo.root)).code, 0);
    assert.match((await runBuiltCli(['status', '--help'], repo.root)).stdout, /Usage: lendos status/);
    const plan = await runBuiltCli(['plan', '--release', '2025.4.0'], repo.root);
    assert.equal(plan.code, 0);
    assert.match(plan.stdout, /Phase 1 · Preparation/);
    assert.equal((await runBuiltCli(['frobnicate'], repo.root)).code, 2);
    assert.equal((await runBuiltCli(['plan', '--bogus'], repo.root)).code, 2);
    assert.equal((await runBuiltCli([], repo.root)).code, 2);
    const bad = await runBuiltCli(['plan', '--release', 'v2025.4.0'], repo.root);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /leading v/i);
    const missing = await runBuiltCli(['status', '--release', '2030.1.0'], repo.root);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /no release 2030\.1\.0/);
  });

  it('refuses a config file with an unknown environment or an empty context, saying what to fix', async () => {
    mkdirSync(path.join(repo.root, '.lendos'));
    writeFileSync(path.join(repo.root, '.lendos/config.yaml'), 'environments:\n  stagging:\n    kubeContext: x\n  production:\n    kubeContext: ""\n');
    const result = await runBuiltCli(['plan', '--release', '2025.4.0'], repo.root);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /unknown environment "stagging"/);
    assert.match(result.stderr, /environments\.production\.kubeContext: is empty/);
    writeFileSync(path.join(repo.root, '.lendos/config.yaml'), 'environments: [unclosed');
    const broken = await runBuiltCli(['plan', '--release', '2025.4.0'], repo.root);
    assert.equal(broken.code, 1);
    assert.match(broken.stderr, /not valid YAML/);
  });
});
