import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'mocha';
import { VERSION, git, usePhase1Worlds } from './phase1-world.js';

const RELEASE = `release/${VERSION}`;

describe('phase 1 git steps: refusals, adoption and resumption (real git)', function () {
  this.timeout(60_000);
  const { world } = usePhase1Worlds();

  const hasRef = (cwd: string, ref: string) => {
    try {
      git(cwd, 'rev-parse', '--verify', '--quiet', ref);
      return true;
    } catch {
      return false;
    }
  };

  it('refuses a dirty working tree, naming the files, and changes nothing', async () => {
    const w = await world();
    writeFileSync(path.join(w.root, 'README.md'), 'edited\n');
    writeFileSync(path.join(w.root, 'notes.txt'), 'untracked files do not count\n');
    const refs = w.remoteRefs();
    const { result, log } = await w.run('prep.cut-release-branch');
    assert.equal(result.status, 'failed');
    assert.equal(
      result.summary,
      'The working tree has uncommitted changes: README.md (modified). Commit or stash them (git stash) and run the step again; nothing was changed.',
    );
    assert.ok(log.lines.includes(`error: ${result.summary}`));
    assert.equal(w.remoteRefs(), refs);
    assert.equal(hasRef(w.root, `refs/heads/${RELEASE}`), false);
    assert.deepEqual(
      (await w.events('prep.cut-release-branch')).map((e) => e.type),
      ['step.started', 'step.failed'],
    );
  });

  it('refuses a develop that diverged from origin/develop and says so', async () => {
    const w = await world({
      prepare: (root) => {
        git(root, 'commit', '--allow-empty', '-qm', 'pushed by a colleague');
        git(root, 'push', '-q', 'origin', 'develop');
        git(root, 'reset', '-q', '--hard', 'HEAD~1');
        git(root, 'commit', '--allow-empty', '-qm', 'local only');
      },
    });
    const { result } = await w.run('prep.cut-release-branch');
    assert.equal(result.status, 'failed');
    assert.match(
      result.summary,
      /^Your local develop and origin\/develop have diverged: 1 local commit\(s\) are not on origin and 1 commit\(s\) on origin are not local\. LendOS only fast-forwards/,
    );
    assert.equal(hasRef(w.root, `refs/heads/${RELEASE}`), false);
    assert.equal(hasRef(w.remote, `refs/heads/${RELEASE}`), false);
  });

  it('refuses local develop commits that are not on origin', async () => {
    const w = await world({ prepare: (root) => git(root, 'commit', '--allow-empty', '-qm', 'local only') });
    const { result } = await w.run('prep.cut-release-branch');
    assert.equal(result.status, 'failed');
    assert.match(result.summary, /^Your local develop has 1 commit\(s\) that are not on origin\/develop/);
    assert.equal(hasRef(w.remote, `refs/heads/${RELEASE}`), false);
  });

  it('fast-forwards a develop that is behind origin before cutting', async () => {
    const w = await world({
      prepare: (root) => {
        git(root, 'commit', '--allow-empty', '-qm', 'merged feature');
        git(root, 'push', '-q', 'origin', 'develop');
        git(root, 'reset', '-q', '--hard', 'HEAD~1');
      },
    });
    const { result, log } = await w.run('prep.cut-release-branch');
    assert.equal(result.status, 'succeeded', result.summary);
    assert.ok(log.lines.includes('info: git pull --ff-only origin develop (1 new commit(s))'), log.text());
    assert.equal(git(w.remote, 'log', '-1', '--format=%s', RELEASE), 'merged feature');
  });

  it('stops at an existing release branch that was not cut from develop, explaining why', async () => {
    const w = await world({
      prepare: (root) => git(root, 'push', '-q', 'origin', `origin/main:refs/heads/${RELEASE}`),
    });
    const refs = w.remoteRefs();
    const { result } = await w.run('prep.cut-release-branch');
    assert.equal(result.status, 'failed');
    assert.match(
      result.summary,
      new RegExp(
        `^${RELEASE} already exists \\(on origin\\) but was not cut from develop: it does not contain origin/develop's tip [0-9a-f]{7}, and its last commit in common with origin/develop \\([0-9a-f]{7}\\) is already on origin/main`,
      ),
    );
    assert.match(result.summary, /mark this step done; if it is a leftover, delete it/);
    assert.equal(w.remoteRefs(), refs);
  });

  it('adopts an unpushed release branch cut from develop earlier, pushes it and records the adoption', async () => {
    const w = await world({ prepare: (root) => git(root, 'branch', RELEASE, 'origin/develop~1') });
    const cutAt = git(w.root, 'rev-parse', 'origin/develop~1');
    const { result, log } = await w.run('prep.cut-release-branch');
    assert.equal(result.status, 'succeeded', result.summary);
    assert.equal(result.summary, `Adopted the existing ${RELEASE} at ${cutAt.slice(0, 7)} and pushed it`);
    assert.ok(
      log.lines.includes(
        `warn: develop has 1 commit(s) that are not in ${RELEASE}; they will not be in this release.`,
      ),
      log.text(),
    );
    assert.equal(git(w.remote, 'rev-parse', RELEASE), cutAt);
    const evidence = await w.evidence('prep.cut-release-branch');
    assert.deepEqual([evidence.adopted, evidence.pushed, evidence.commit], [true, true, cutAt]);
  });

  it('pushes a VERSION bump committed before a crash without committing it again', async () => {
    const w = await world();
    assert.equal((await w.run('prep.cut-release-branch')).result.status, 'succeeded');
    writeFileSync(path.join(w.root, 'VERSION'), `${VERSION}\n`);
    git(w.root, 'commit', '-qam', `Bump VERSION to ${VERSION} for release`);
    const { result, prompt } = await w.run('prep.bump-version');
    assert.equal(result.status, 'succeeded', result.summary);
    assert.equal(prompt.confirms.length, 0, 'nothing to confirm: the bump is committed');
    assert.equal(git(w.remote, 'rev-list', '--count', `develop..${RELEASE}`), '1');
    assert.equal((await w.evidence('prep.bump-version')).committed, false);
  });

  it('asks before cutting and pushing the release branch; declined, nothing is created or pushed', async () => {
    const w = await world();
    const { result, prompt } = await w.run('prep.cut-release-branch', { confirm: false });
    assert.deepEqual(result, { status: 'cancelled', summary: 'Cancelled; nothing was changed.' });
    assert.match(prompt.confirms[0]?.message ?? '', new RegExp(`^Cut ${RELEASE} from origin/develop at [0-9a-f]{7} and push it to origin\\?$`));
    assert.equal(git(w.root, 'branch', '--list', RELEASE), '');
    assert.throws(() => git(w.remote, 'rev-parse', '--verify', '--quiet', RELEASE));
    const again = await w.run('prep.cut-release-branch');
    assert.equal(again.result.status, 'succeeded');
    assert.equal(again.prompt.confirms.length, 1);
  });

  it('changes nothing when the VERSION diff is declined', async () => {
    const w = await world();
    await w.run('prep.cut-release-branch');
    const { result, prompt } = await w.run('prep.bump-version', { confirm: false });
    assert.deepEqual(result, { status: 'cancelled', summary: 'Cancelled; nothing was changed.' });
    assert.match(prompt.confirms[0]?.detail ?? '', /^--- a\/VERSION/);
    assert.equal(git(w.root, 'show', `${RELEASE}:VERSION`), '2025.3.0');
    assert.deepEqual(await w.events('prep.bump-version'), []);
  });

  it('stops at an existing upgrade branch that was not cut from the release branch', async () => {
    const w = await world();
    await w.run('prep.cut-release-branch');
    await w.run('prep.bump-version');
    git(w.root, 'push', '-q', 'origin', `origin/develop:refs/heads/upgrade/${VERSION}`);
    const { result } = await w.run('prep.upgrade-branch');
    assert.equal(result.status, 'failed');
    assert.match(
      result.summary,
      new RegExp(
        `^upgrade/${VERSION} already exists but was not cut from ${RELEASE}: .*is already on origin/develop`,
      ),
    );
    assert.equal(git(w.remote, 'rev-parse', `upgrade/${VERSION}`), git(w.remote, 'rev-parse', 'develop'));
  });

  it('pushes upgrade code generated before a crash with the same versions, without generating or committing again', async () => {
    const w = await world();
    for (const step of ['prep.cut-release-branch', 'prep.bump-version', 'prep.upgrade-branch'])
      await w.run(step);
    const generated = git(w.root, 'rev-parse', `upgrade/${VERSION}`);
    git(w.root, 'push', '-q', 'origin', '--delete', `upgrade/${VERSION}`);
    await w.service.reset(VERSION, 'prep.upgrade-branch');
    const { result, prompt, log } = await w.run('prep.upgrade-branch');
    assert.equal(result.status, 'succeeded', result.summary);
    assert.match(
      prompt.forms[0]?.fields[1]?.source ?? '',
      /^services\/portal-daml-upgrade\/src\/main\/daml\/Generated\/manifest\.json on upgrade\/2025\.4\.0 \(generated earlier\)/,
    );
    assert.ok(
      log.lines.includes(
        `info: upgrade/${VERSION} already holds the upgrade code for 0.1.92 -> 0.1.93; not generating it again.`,
      ),
      log.text(),
    );
    assert.equal(git(w.remote, 'rev-parse', `upgrade/${VERSION}`), generated);
    const evidence = await w.evidence('prep.upgrade-branch');
    assert.deepEqual([evidence.committed, evidence.pushed, evidence.exitCode], [false, true, null]);
  });
});
