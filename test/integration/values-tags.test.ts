/**
 * 2.3 and 3.1 Update values-tags on the rehearsal world, with real git and the world's GitHub: bad inputs refused with
 * what to do and nothing written; a declined diff writes nothing; staging from 2.2's tags to a merged PR (the world's
 * main then deploys them); a rerun adopting; production reusing what staging recorded.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'mocha';
import { applyTagEdits } from '../../src/core/values-tags/index.js';
import { readValuesTags } from '../../rehearsal/src/git/values-tags.js';
import type { BuiltTagsWorld } from './built-tags-world.js';
import { CollectingLog } from './phase1-world.js';
import { octokitFor } from './rehearsal/github-merge.js';
import { waitFor } from './rehearsal/world-helpers.js';
import {
  ReviewPrompt,
  VERSION,
  builtTags,
  commitAndPush,
  remoteWorkloadsGit,
  runValuesTags,
  valuesTagsWorld,
  workloadsGit,
} from './values-tags-world.js';

const STAGING = 'staging.values-tags';
const PRODUCTION = 'production.values-tags';
const BRANCH = `release/${VERSION}-values`;
const FILE = 'values-tags-staging.yaml';

describe('2.3 / 3.1 Update values-tags (rehearsal world)', function () {
  this.timeout(180_000);
  let w: BuiltTagsWorld;
  let tags: Record<string, string>;
  const clone = () => w.world.description.workspace.workloads;
  const pulls = async () =>
    (await octokitFor(w.world).rest.pulls.list({ owner: 'rplendos', repo: 'lendos-eks-workloads', state: 'all' })).data;
  const branches = () => remoteWorkloadsGit(w, 'branch', '--list', 'release/2025.4.0*');

  /** Nothing written: no branch here or on GitHub, no PR, the clone clean on main, nothing journalled. */
  async function nothingWritten(): Promise<void> {
    assert.equal(branches(), '');
    assert.equal(workloadsGit(w, 'branch', '--list', 'release/2025.4.0*'), '');
    assert.deepEqual((await pulls()).filter((p) => p.head.ref.startsWith('release/2025.4.0')), []);
    assert.equal(workloadsGit(w, 'status', '--porcelain'), '');
    assert.equal(workloadsGit(w, 'branch', '--show-current'), 'main');
    assert.deepEqual(await w.events(STAGING), []);
  }

  async function refused(pattern: RegExp): Promise<void> {
    const { result, log } = await runValuesTags(w, STAGING);
    assert.equal(result.status, 'failed', log.text());
    assert.match(result.summary, pattern);
    assert.match(result.summary, /nothing was (changed|written)/i);
  }

  before(async function () {
    this.timeout(300_000);
    w = await valuesTagsWorld();
    tags = await builtTags(w);
    await w.world.github.settled();
  });
  after(async () => w?.cleanup());

  it('a declined diff writes nothing; the diff showed only the four tag lines', async () => {
    const prompt = new ReviewPrompt(false);
    const { result } = await runValuesTags(w, STAGING, prompt);
    assert.equal(result.status, 'cancelled');
    assert.match(result.summary, /Not applied: values-tags-staging\.yaml and lendos-eks-workloads are unchanged/);
    const [change] = prompt.changes;
    assert.equal(change?.title, `Staging values-tags for release ${VERSION}`);
    assert.equal(change?.action, 'Apply and open the PR');
    const removed = change?.diff.split('\n').filter((l) => /^-[^-]/.test(l)) ?? [];
    const added = change?.diff.split('\n').filter((l) => /^\+[^+]/.test(l)) ?? [];
    assert.equal(removed.length, 4, change?.diff);
    assert.deepEqual(added.map((l) => /tag: (\S+)/.exec(l)?.[1]).sort(), Object.values(tags).sort(), change?.diff);
    await nothingWritten();
  });

  it('refuses a dirty clone, another branch checked out, and a missing clone — saying what to do', async () => {
    writeFileSync(path.join(clone(), 'README.md'), 'edited\n');
    await refused(/uncommitted changes: README\.md \(M\).*stash/);
    workloadsGit(w, 'checkout', '-q', 'README.md');
    workloadsGit(w, 'checkout', '-q', '-b', 'scratch');
    await refused(/has scratch checked out, not main: run git -C .* checkout main/);
    workloadsGit(w, 'checkout', '-q', 'main');
    workloadsGit(w, 'branch', '-q', '-D', 'scratch');
    const configured = w.config;
    w.config = { ...configured, repositories: { ...configured.repositories, workloadsPath: '../nowhere' } };
    try {
      // Offered a clone from the lendos origin's sibling, and declining it.
      const declining = Object.assign(new ReviewPrompt(), { confirm: async () => false });
      const { result } = await runValuesTags(w, STAGING, declining);
      assert.equal(result.status, 'failed');
      assert.match(result.summary, /no clone of lendos-eks-workloads at .*nowhere.*git clone \S*\/lendos-eks-workloads\.git .*Nothing was changed/);
      assert.equal(existsSync(path.join(clone(), '..', 'nowhere')), false);
    } finally {
      w.config = configured;
    }
    await nothingWritten();
  });

  it('offers to clone a missing clone: accepted, the clone is made and the change reviewed in it', async () => {
    const configured = w.config;
    w.config = { ...configured, repositories: { ...configured.repositories, workloadsPath: '../fresh-workloads' } };
    try {
      const prompt = new ReviewPrompt(false);
      const { result } = await runValuesTags(w, STAGING, prompt);
      assert.equal(result.status, 'cancelled', result.summary);
      assert.match(prompt.changes[0]?.path ?? '', /fresh-workloads\/values-tags-staging\.yaml$/);
      assert.ok(existsSync(path.join(clone(), '..', 'fresh-workloads', FILE)), 'cloned beside the workspace');
    } finally {
      w.config = configured;
    }
    await nothingWritten();
  });

  it('refuses malformed YAML (line, column), duplicate keys, a missing service, a bad path and a bad tag', async () => {
    const good = readFileSync(path.join(clone(), FILE), 'utf8');
    commitAndPush(
      w,
      'main',
      {
        'bad-malformed.yaml': good.replace('  frontend:\n', '  frontend: [\n'),
        'bad-duplicate.yaml': `${good}lendos-portal:\n  other: 1\n`,
        'bad-missing.yaml': good.replace(/signing-portal:[\s\S]*$/, ''),
      },
      'Files for the bad-input test',
    );
    const configured = w.config;
    const withStaging = (fields: object) => {
      const staging = { ...configured.environments.staging, ...fields };
      w.config = { ...configured, environments: { ...configured.environments, staging } };
    };
    try {
      withStaging({ valuesTagsFile: 'bad-malformed.yaml' });
      await refused(/bad-malformed\.yaml is not valid YAML at line \d+, column \d+/);
      withStaging({ valuesTagsFile: 'bad-duplicate.yaml' });
      await refused(/bad-duplicate\.yaml is not valid YAML at line \d+, column \d+: .*unique/i);
      withStaging({ valuesTagsFile: 'bad-missing.yaml' });
      await refused(/has no image tag for signing-portal-backend \(it has: lendos-portal-backend, lendos-portal-frontend\)/);
      withStaging({ valuesTagsPaths: { 'lendos-portal-backend': 'lendos-portal.api.image.tag' } });
      await refused(/has no tag at lendos-portal\.api\.image\.tag, the path configured for lendos-portal-backend/);
    } finally {
      w.config = configured;
    }
    const recorded = (await w.evidence('staging.identify-tags'))['tags'] as Record<string, { tag: string }>;
    await w.service.appendEvent({
      release: VERSION,
      step: 'staging.identify-tags',
      type: 'step.evidence',
      data: { tags: { ...recorded, 'signing-portal-frontend': { ...recorded['signing-portal-frontend'], tag: '-v1 bad' } } },
    });
    try {
      await refused(/signing-portal-frontend: "-v1 bad" is not an image tag/);
    } finally {
      await w.service.appendEvent({ release: VERSION, step: 'staging.identify-tags', type: 'step.evidence', data: { tags: recorded } });
    }
    await nothingWritten();
  });

  it('refuses a branch of its name that holds other content, and writes nothing', async () => {
    workloadsGit(w, 'checkout', '-q', '-b', BRANCH, 'origin/main');
    commitAndPush(w, BRANCH, { [FILE]: readFileSync(path.join(clone(), FILE), 'utf8').replace('v0.0.812', 'v0.0.999') }, 'Someone else');
    workloadsGit(w, 'checkout', '-q', 'main');
    const tip = remoteWorkloadsGit(w, 'rev-parse', BRANCH);
    await refused(/The branch release\/2025\.4\.0-values already exists \(on origin, at [0-9a-f]{7}\) with other content/);
    assert.equal(remoteWorkloadsGit(w, 'rev-parse', BRANCH), tip, 'the branch is untouched');
    assert.deepEqual(await pulls().then((p) => p.filter((x) => x.head.ref === BRANCH)), []);
    workloadsGit(w, 'push', '-q', 'origin', '--delete', BRANCH);
    workloadsGit(w, 'branch', '-q', '-D', BRANCH);
    await nothingWritten();
  });

  it('a PR in conflict with main, then closed: each stops with what to do', async () => {
    // The step's own edit on its branch; then main changes the same line, so GitHub cannot merge the PR.
    const main = readFileSync(path.join(clone(), FILE), 'utf8');
    workloadsGit(w, 'checkout', '-q', '-b', BRANCH, 'origin/main');
    commitAndPush(w, BRANCH, { [FILE]: applyTagEdits(FILE, main, tags).text }, `Update values-tags for release ${VERSION} (staging)`);
    workloadsGit(w, 'checkout', '-q', 'main');
    commitAndPush(w, 'main', { [FILE]: main.replace('v0.0.812', 'v0.0.813') }, 'Hotfix backend tag');
    const conflict = await runValuesTags(w, STAGING);
    assert.equal(conflict.result.status, 'failed', conflict.log.text());
    assert.match(conflict.result.summary, /PR #\d+ .* conflicts with main: values-tags-staging\.yaml changed on main since release\/2025\.4\.0-values was cut/);
    assert.match(conflict.result.summary, /push origin --delete release\/2025\.4\.0-values/);
    const [pull] = (await pulls()).filter((p) => p.head.ref === BRANCH);
    assert.ok(pull);
    await octokitFor(w.world).rest.pulls.update({ owner: 'rplendos', repo: 'lendos-eks-workloads', pull_number: pull.number, state: 'closed' });
    const closed = await runValuesTags(w, STAGING);
    assert.equal(closed.result.status, 'failed');
    assert.match(closed.result.summary, new RegExp(`PR #${pull.number} .* was closed without being merged. If that was a mistake, reopen it`));
    assert.equal((await pulls()).filter((p) => p.head.ref === BRANCH).length, 1, 'no second PR');
    workloadsGit(w, 'push', '-q', 'origin', '--delete', BRANCH);
    workloadsGit(w, 'branch', '-q', '-D', BRANCH);
    await w.service.appendEvent({ release: VERSION, step: STAGING, type: 'step.reset' });
  });

  it('staging: from 2.2’s tags to a merged PR; the world’s main then deploys them', async () => {
    const prompt = new ReviewPrompt();
    const { result, log } = await runValuesTags(w, STAGING, prompt);
    assert.equal(result.status, 'succeeded', `${result.summary}\n${log.text()}`);
    assert.equal(prompt.changes.length, 1);
    const evidence = await w.evidence(STAGING);
    assert.deepEqual(evidence['tags'], tags);
    assert.equal(evidence['file'], FILE);
    assert.equal(evidence['branch'], BRANCH);
    assert.equal(evidence['tagsFrom'], 'staging.identify-tags');
    assert.equal(typeof evidence['pr'], 'number');
    const mergeSha = evidence['mergeSha'] as string;
    assert.equal(remoteWorkloadsGit(w, 'rev-parse', 'main'), mergeSha);
    assert.equal(remoteWorkloadsGit(w, 'log', '-1', '--format=%s', `${mergeSha}^2`), `Update values-tags for release ${VERSION} (staging)`);
    assert.deepEqual(await readValuesTags(w.world.description.remotes.workloads, 'staging'), tags);
    const progress = (await w.events(STAGING)).filter((e) => e.type === 'step.progress').map((e) => e.message);
    assert.ok(progress.some((m) => /^PR #\d+ waits for approval and merge$/.test(m ?? '')), progress.join('\n'));
    assert.equal(workloadsGit(w, 'rev-parse', 'main'), mergeSha, 'the clone’s main is up to date');
    assert.equal(workloadsGit(w, 'branch', '--show-current'), 'main');
  });

  it('a rerun adopts the merged PR without asking', async () => {
    const prompt = new ReviewPrompt();
    const { result } = await runValuesTags(w, STAGING, prompt);
    assert.deepEqual([result.status, 'adopted' in result && result.adopted], ['succeeded', true], result.summary);
    assert.equal(prompt.changes.length, 0);
    assert.match(result.summary, /PR #\d+ merged into main/);
  });

  it('production: reuses staging’s tags; resumes a branch committed but not pushed (a crash), a cancel while waiting, a rerun adopting', async () => {
    await w.service.markDone(VERSION, 'staging.smoke-approval', { force: true, note: 'approved (test)' });
    const declined = new ReviewPrompt(false);
    assert.equal((await runValuesTags(w, PRODUCTION, declined)).result.status, 'cancelled');
    assert.equal(declined.changes[0]?.title, `Production (BXCI) values-tags for release ${VERSION}`);
    // The step's own commit, left unpushed as by a crash between commit and push.
    const file = 'values-tags-production.yaml';
    const branch = `release/${VERSION}-values-production`;
    workloadsGit(w, 'pull', '-q', '--ff-only', 'origin', 'main');
    workloadsGit(w, 'checkout', '-q', '-b', branch);
    writeFileSync(path.join(clone(), file), applyTagEdits(file, readFileSync(path.join(clone(), file), 'utf8'), tags).text);
    workloadsGit(w, 'commit', '-qam', `Update values-tags for release ${VERSION} (production)`);
    workloadsGit(w, 'checkout', '-q', 'main');
    const prompt = new ReviewPrompt();
    const abort = new AbortController();
    const log = new CollectingLog();
    const running = w.runStep(PRODUCTION, { prompt, log, signal: abort.signal });
    await waitFor('the wait for the merge', async () =>
      (await w.events(PRODUCTION)).some((e) => e.type === 'step.progress' && /waits for approval and merge/.test(e.message ?? '')) ? true : undefined,
    );
    abort.abort();
    const cancelled = await running;
    assert.equal(cancelled.status, 'cancelled', log.text());
    assert.match(cancelled.summary, /Stopped waiting for the values-tags PR #\d+ .* to be merged; it stays open\. Run this step again to keep waiting: it adopts the PR\./);
    assert.equal(prompt.changes.length, 0, 'the branch held exactly the edit: nothing to ask');
    assert.match(log.text(), /already holds the release's tags .*: adopting it/);
    assert.equal(remoteWorkloadsGit(w, 'rev-parse', branch), workloadsGit(w, 'rev-parse', branch), 'pushed');
    await w.world.github.settled();
    const again = await runValuesTags(w, PRODUCTION);
    assert.deepEqual([again.result.status, 'adopted' in again.result && again.result.adopted], ['succeeded', true], again.result.summary);
    const evidence = await w.evidence(PRODUCTION);
    assert.deepEqual(evidence['tags'], (await w.evidence(STAGING))['tags']);
    assert.equal(evidence['tagsFrom'], STAGING);
    assert.equal(evidence['branch'], branch);
    assert.equal(typeof evidence['pr'], 'number');
    assert.deepEqual(await readValuesTags(w.world.description.remotes.workloads, 'production'), tags);
  });
});
