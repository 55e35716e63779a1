import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClock } from '../../../rehearsal/src/clock.js';
import type { Scenario } from '../../../rehearsal/src/contracts.js';
import { cloneWorkspace, createRemotes, readValuesTags, SEEDED_SERVICE_TAGS, type Remotes } from '../../../rehearsal/src/git/index.js';

const scenario: Scenario = {
  name: 'git-remotes-test',
  description: 'git remotes fidelity',
  seed: 7,
  timeScale: 0.001,
  durations: { podReady: 1, podTerminate: 1, stage: 1, snapshot: 1, restore: 1, argoSync: 1, mainBuild: 1 },
  faults: [{ kind: 'script-fails', script: 'generate-upgrade', exitCode: 3 }],
};

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

describe('rehearsal git remotes', function () {
  let dir: string;
  let remotes: Remotes;

  before(async function () {
    dir = mkdtempSync(join(tmpdir(), 'lendos-remotes-'));
    remotes = await createRemotes(join(dir, 'remotes'), { clock: createClock({ timeScale: 1, seed: 7 }), scenario });
  });

  after(function () {
    rmSync(dir, { recursive: true, force: true });
  });

  it('seeds lendos with gitflow branches, VERSION 2025.3.0 and main behind develop', function () {
    const branches = git(remotes.lendos, 'for-each-ref', '--format=%(refname:short)', 'refs/heads').split('\n');
    assert.deepEqual(branches.sort(), ['develop', 'main', 'release/2025.3.0', 'upgrade/2025.3.0']);
    assert.equal(git(remotes.lendos, 'symbolic-ref', 'HEAD'), 'refs/heads/develop');
    assert.equal(git(remotes.lendos, 'show', 'main:VERSION'), '2025.3.0');
    assert.equal(git(remotes.lendos, 'show', 'develop:VERSION'), '2025.3.0');
    const [behind, ahead] = git(remotes.lendos, 'rev-list', '--left-right', '--count', 'main...develop').split(/\s+/);
    assert.equal(behind, '0');
    assert.ok(Number(ahead) >= 3, `develop is ahead of main by ${ahead}`);
    git(remotes.lendos, 'merge-base', '--is-ancestor', 'release/2025.3.0', 'main');
    const authors = new Set(git(remotes.lendos, 'log', '--format=%an', 'develop').split('\n'));
    assert.ok(authors.size >= 3, 'several authors');
  });

  it('keeps the versions where the Phase 1 step reads them, and no Generated code on develop', function () {
    const version = (path: string) => /^version: (.+)$/m.exec(git(remotes.lendos, 'show', `develop:${path}`))?.[1];
    assert.equal(version('services/lendos-daml/daml.yaml'), '0.1.92');
    assert.equal(version('services/data-loader-service/daml.yaml'), '0.1.92');
    const files = git(remotes.lendos, 'ls-tree', '-r', '--name-only', 'develop').split('\n');
    assert.ok(files.includes('services/portal-daml-upgrade/generate-upgrade.sh'));
    assert.ok(files.includes('BRANCHING.md'));
    assert.equal(files.filter((f) => f.includes('/Generated/')).length, 0);
    const upgradeFiles = git(remotes.lendos, 'ls-tree', '-r', '--name-only', 'upgrade/2025.3.0').split('\n');
    assert.ok(upgradeFiles.some((f) => f.includes('src/main/daml/Generated/')));
    const modes = git(remotes.lendos, 'ls-tree', 'develop', 'services/portal-daml-upgrade/docker-build.sh');
    assert.match(modes, /^100755 /);
    const ignored = git(remotes.lendos, 'show', 'develop:services/portal-daml-upgrade/.gitignore').split('\n');
    assert.equal(ignored.filter((line) => !line.startsWith('#') && line.includes('Generated')).length, 0);
  });

  it('seeds identical history on every run (deterministic SHAs)', async function () {
    const again = await createRemotes(join(dir, 'again'), { clock: createClock({ timeScale: 1, seed: 1 }), scenario });
    assert.equal(git(again.lendos, 'rev-parse', 'develop'), git(remotes.lendos, 'rev-parse', 'develop'));
    assert.equal(git(again.workloads, 'rev-parse', 'main'), git(remotes.workloads, 'rev-parse', 'main'));
  });

  it('reads the values-tags of each cluster from the workloads main branch', async function () {
    assert.deepEqual(await readValuesTags(remotes.workloads, 'staging'), SEEDED_SERVICE_TAGS);
    assert.deepEqual(await readValuesTags(remotes.workloads, 'production'), SEEDED_SERVICE_TAGS);
    const staging = git(remotes.workloads, 'show', 'main:values-tags-staging.yaml');
    assert.match(staging, /^# /);
    assert.match(staging, /: 0755$/m);
    assert.match(staging, /\[https:\/\/portal\.stg\.app\.lendos\.io, /);
  });

  it('clones a workspace that can commit, push and pull, with the scenario faults beside .git', async function () {
    const first = join(dir, 'ws-first');
    const second = join(dir, 'ws-second');
    await cloneWorkspace(remotes.lendos, first, { scenario });
    await cloneWorkspace(remotes.lendos, second);
    assert.equal(git(first, 'rev-parse', '--abbrev-ref', 'HEAD'), 'develop');
    const faults = JSON.parse(readFileSync(join(first, '.git', 'lendos-rehearsal', 'faults.json'), 'utf8')) as unknown[];
    assert.deepEqual(faults, scenario.faults);
    assert.equal(existsSync(join(second, '.git', 'lendos-rehearsal', 'faults.json')), false);
    assert.equal(git(first, 'status', '--porcelain'), '');

    git(first, 'checkout', '-q', '-b', 'release/2025.4.0');
    writeFileSync(join(first, 'VERSION'), '2025.4.0\n');
    git(first, 'commit', '-qam', 'Bump VERSION to 2025.4.0 for release');
    git(first, 'push', '-q', '-u', 'origin', 'release/2025.4.0');
    assert.equal(git(remotes.lendos, 'show', 'release/2025.4.0:VERSION'), '2025.4.0');
    assert.equal(git(remotes.lendos, 'log', '-1', '--format=%an', 'release/2025.4.0'), 'Rehearsal Engineer');

    git(second, 'fetch', '-q', 'origin');
    git(second, 'checkout', '-q', 'release/2025.4.0');
    assert.equal(readFileSync(join(second, 'VERSION'), 'utf8'), '2025.4.0\n');
    writeFileSync(join(second, 'NOTES.md'), 'release notes\n');
    git(second, 'add', 'NOTES.md');
    git(second, 'commit', '-qm', 'Add release notes');
    git(second, 'push', '-q');
    git(first, 'pull', '-q', '--ff-only');
    assert.equal(readFileSync(join(first, 'NOTES.md'), 'utf8'), 'release notes\n');
  });
});
