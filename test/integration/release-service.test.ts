import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fixedClock } from '../../src/adapters/clock.js';
import { FileJournalStore } from '../../src/adapters/journal-file.js';
import { GitWorkspaceRepo } from '../../src/adapters/workspace-repo.js';
import { defaultConfig } from '../../src/core/config/defaults.js';
import { UserError } from '../../src/core/errors.js';
import { ReleaseService } from '../../src/engine/release-service.js';
import { lendosRepo, tempDir, type TempRepo } from './helpers.js';

function serviceFor(root: string) {
  return new ReleaseService({
    store: new FileJournalStore(root),
    repo: new GitWorkspaceRepo(root),
    clock: fixedClock(new Date('2025-11-10T12:00:00Z')),
    config: defaultConfig,
  });
}

describe('release service (real git repository)', () => {
  const repos: TempRepo[] = [];
  const repo = (options?: Parameters<typeof lendosRepo>[0]) => {
    const r = lendosRepo(options);
    repos.push(r);
    return r;
  };
  after(() => repos.forEach((r) => r.cleanup()));

  it('suggests the next release from release branches and VERSION', async () => {
    const r = repo({ version: '2025.3.0', releaseBranches: ['release/2025.2.0', 'release/2025.3.0', 'release/garbage'] });
    const suggestion = await serviceFor(r.root).suggestVersion();
    assert.equal(suggestion.version, '2025.4.0');
    assert.match(suggestion.reason, /2025\.3\.0/);
  });

  it('starts a release, makes it active, and records the actor from git config', async () => {
    const r = repo();
    const service = serviceFor(r.root);
    assert.equal(await service.startRelease('2025.4.0'), '2025.4.0');
    assert.equal(await service.activeRelease(), '2025.4.0');
    const view = await service.view('2025.4.0');
    assert.equal(view.state.startedBy, 'Ada Release <ada@example.com>');
    assert.ok(view.plan.length > 30, 'the whole runbook is planned');
    assert.ok(view.plan.every((p) => p.state.status === 'pending'));
  });

  const badVersions: [string, RegExp][] = [
    ['2025.4', /hotfix/i],
    ['v2025.4.0', /leading v/i],
    ['2025.04.0', /leading zero/i],
    ['release/2025.4.0; rm -rf /', /./],
    ['', /./],
  ];
  for (const [text, expected] of badVersions) {
    it(`refuses to start ${JSON.stringify(text)} with a clear message and writes nothing`, async () => {
      const r = repo();
      const service = serviceFor(r.root);
      await assert.rejects(service.startRelease(text), (e: unknown) => e instanceof UserError && expected.test(e.message));
      assert.equal(existsSync(path.join(r.root, '.lendos')), false, 'nothing was written');
    });
  }

  it('refuses an already started version and says how to continue it', async () => {
    const r = repo();
    const service = serviceFor(r.root);
    await service.startRelease('2025.4.0');
    await assert.rejects(service.startRelease('2025.4.0'), /already started .* by Ada Release.*Switch Release/);
    assert.equal((await service.view('2025.4.0')).state.eventCount, 1);
  });

  it('refuses a folder without git, and one without VERSION, saying what to open', async () => {
    const plain = tempDir();
    repos.push(plain);
    await assert.rejects(serviceFor(plain.root).startRelease('2025.4.0'), /not a git repository: open the lendos repository/);
    const noVersion = repo({ version: null });
    await assert.rejects(serviceFor(noVersion.root).startRelease('2025.4.0'), /no VERSION file/);
    assert.equal(existsSync(path.join(noVersion.root, '.lendos')), false);
  });

  it('marks manual steps done, skips only optional ones, resets, and switches releases', async () => {
    const r = repo();
    const service = serviceFor(r.root);
    await service.startRelease('2025.4.0');
    await service.markDone('2025.4.0', 'prep.cut-release-branch');
    await assert.rejects(service.markDone('2025.4.0', 'prep.cut-release-branch'), /already done/);
    await assert.rejects(service.markDone('2025.4.0', 'prep.upgrade-images'), /depends on steps that are not done: prep\.upgrade-branch/);
    await service.markDone('2025.4.0', 'prep.upgrade-images', { force: true });
    await assert.rejects(service.skip('2025.4.0', 'prep.bump-version'), /required and cannot be skipped/);
    await service.skip('2025.4.0', 'staging.upgrade.canton-restart', 'GC is fine');
    await service.reset('2025.4.0', 'prep.upgrade-images');
    await assert.rejects(service.reset('2025.4.0', 'prep.bump-version'), /nothing to reset/);
    await assert.rejects(service.markDone('2025.4.0', 'no.such.step'), /no step "no.such.step".*lendos plan/);
    const view = await service.view('2025.4.0');
    const status = (id: string) => view.plan.find((p) => p.step.id === id)?.status;
    assert.equal(status('prep.cut-release-branch'), 'succeeded');
    assert.equal(status('prep.bump-version'), 'ready');
    assert.equal(status('prep.upgrade-images'), 'blocked');
    assert.equal(status('staging.upgrade.canton-restart'), 'skipped');
    await service.startRelease('2025.5.0');
    await service.switchRelease('2025.4.0');
    assert.equal(await service.activeRelease(), '2025.4.0');
    await assert.rejects(service.switchRelease('2030.1.0'), /no release 2030\.1\.0/);
    assert.deepEqual((await service.releases()).map((x) => [x.version, x.active]), [['2025.5.0', false], ['2025.4.0', true]]);
  });

  it('marks an approval done only with a note saying who approved (the rule both shells share)', async () => {
    const service = serviceFor(repo().root);
    await service.startRelease('2025.4.0');
    for (const note of [undefined, '', '   ']) {
      await assert.rejects(
        service.markDone('2025.4.0', 'staging.smoke-approval', { force: true, note }),
        (e: unknown) => e instanceof UserError && e.reason === 'note-required' && /is an approval: say who approved and where it is recorded/.test(e.message),
      );
    }
    assert.equal((await service.view('2025.4.0')).state.eventCount, 1, 'nothing was recorded');
    await service.markDone('2025.4.0', 'staging.smoke-approval', { force: true, note: 'Luis, REL-123' });
    const planned = (await service.view('2025.4.0')).plan.find((p) => p.step.id === 'staging.smoke-approval');
    assert.deepEqual([planned?.status, planned?.state.message, planned?.state.evidence['note']], ['succeeded', 'Luis, REL-123', 'Luis, REL-123']);
  });

  it('reports an empty journal and lets it be started; a line of another release is reported and not folded', async () => {
    const r = repo();
    const service = serviceFor(r.root);
    const store = new FileJournalStore(r.root);
    mkdirSync(path.dirname(store.pathOf('2025.4.0')), { recursive: true });
    writeFileSync(store.pathOf('2025.4.0'), '');
    assert.match((await service.view('2025.4.0')).warnings[0]?.message ?? '', /^the journal of 2025\.4\.0 is empty/);
    assert.equal(await service.validateNewVersion('2025.4.0'), undefined, 'an empty journal is not a started release');
    await service.startRelease('2025.4.0');
    const copied = { v: 1, time: '2025-11-10T12:00:00.000Z', actor: 'Bo', release: '2025.3.0', type: 'step.marked-done', step: 'prep.cut-release-branch' };
    appendFileSync(store.pathOf('2025.4.0'), JSON.stringify(copied) + '\n');
    const view = await service.view('2025.4.0');
    assert.deepEqual(
      view.warnings.map((w) => w.line),
      [2],
    );
    assert.equal(view.plan.find((p) => p.step.id === 'prep.cut-release-branch')?.status, 'ready');
    assert.match(await service.validateNewVersion('2025.4.0') ?? '', /already started/);
  });
});
