import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { FileJournalStore } from '../../src/adapters/journal-file.js';
import type { JournalEvent } from '../../src/core/journal/types.js';
import { git, lendosRepo, type TempRepo } from './helpers.js';

const event = (release: string, type: JournalEvent['type'], step?: string): JournalEvent => ({
  v: 1,
  time: new Date().toISOString(),
  actor: 'Ada Release <ada@example.com>',
  release,
  type,
  ...(step ? { step } : {}),
});

describe('file journal store (real git repository)', () => {
  let repo: TempRepo;
  let store: FileJournalStore;
  beforeEach(() => {
    repo = lendosRepo();
    store = new FileJournalStore(repo.root);
  });
  afterEach(() => repo.cleanup());

  it('appends whole lines under .lendos/runs and keeps them out of git', async () => {
    await store.append(event('2025.4.0', 'release.started'));
    await store.append(event('2025.4.0', 'step.marked-done', 'prep.cut-release-branch'));
    const text = readFileSync(store.pathOf('2025.4.0'), 'utf8');
    assert.equal(text.split('\n').filter(Boolean).length, 2);
    assert.ok(text.endsWith('\n'));
    assert.equal(git(repo.root, 'status', '--porcelain'), '', 'the journal is not an untracked change');
    assert.match(readFileSync(path.join(repo.root, '.git/info/exclude'), 'utf8'), /^\/\.lendos\/runs\/$/m);
    const read = await store.read('2025.4.0');
    assert.equal(read.events.length, 2);
  });

  it('adds the exclude line once across stores', async () => {
    await store.append(event('2025.4.0', 'release.started'));
    await new FileJournalStore(repo.root).append(event('2025.4.0', 'step.started', 'x'));
    const exclude = readFileSync(path.join(repo.root, '.git/info/exclude'), 'utf8');
    assert.equal(exclude.match(/\/\.lendos\/runs\//g)?.length, 1);
  });

  it('keeps several releases and one active release', async () => {
    await store.append(event('2025.4.0', 'release.started'));
    await store.append(event('2025.5.0', 'release.started'));
    await store.setActiveRelease('2025.5.0');
    assert.deepEqual((await store.list()).sort(), ['2025.4.0', '2025.5.0']);
    assert.equal(await store.activeRelease(), '2025.5.0');
    assert.equal(await store.exists('2025.6.0'), false);
  });

  it('after a torn last line, the next append starts on a fresh line and only the torn line is lost', async () => {
    await store.append(event('2025.4.0', 'release.started'));
    appendFileSync(store.pathOf('2025.4.0'), '{"v":1,"time":"2025-');
    await store.append(event('2025.4.0', 'step.marked-done', 'a'));
    const read = await store.read('2025.4.0');
    assert.equal(read.events.length, 2);
    assert.equal(read.warnings.length, 1);
    assert.match(read.warnings[0]?.message ?? '', /line 2 is not valid JSON/);
  });

  it('reads a missing journal as empty', async () => {
    assert.deepEqual(await store.read('2030.1.0'), { events: [], warnings: [] });
    assert.equal(await store.activeRelease(), undefined);
  });

  it('checks an existing journal against the version it is read as: an empty one, and lines of another release', async () => {
    await store.append(event('2025.4.0', 'release.started'));
    writeFileSync(store.pathOf('2025.5.0'), readFileSync(store.pathOf('2025.4.0')));
    const copied = await store.read('2025.5.0');
    assert.deepEqual(copied.events, []);
    assert.match(copied.warnings[0]?.message ?? '', /^line 1 is for release 2025\.4\.0, not 2025\.5\.0: was this journal copied/);
    writeFileSync(store.pathOf('2025.6.0'), '');
    assert.match((await store.read('2025.6.0')).warnings[0]?.message ?? '', /^the journal of 2025\.6\.0 is empty/);
  });
});
