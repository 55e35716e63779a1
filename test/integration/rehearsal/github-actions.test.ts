/**
 * The world's GitHub Actions API as Octokit sees it after a merge into lendos `main`: runs filtered by `head_sha`,
 * `branch` and `status` as GitHub filters them (status matches a run's status or its conclusion), the main build
 * pushing the four images, and the `main-build` faults — a build that fails and pushes nothing, one that never starts.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'mocha';
import { SERVICE_BUILDS } from '../../../rehearsal/src/github/main-build.js';
import { loadScenario } from '../../../rehearsal/src/index.js';
import { mergeIntoMain, octokitFor, OWNER, pushCommit, REPO } from './github-merge.js';
import { atFastPace, startTestWorld, waitFor, type TestWorld } from './world-helpers.js';

const at = { owner: OWNER, repo: REPO };

function imageCounts(t: TestWorld): number[] {
  return SERVICE_BUILDS.map((build) => t.world.ecr.images(build.repository).length);
}

describe('rehearsal GitHub: Actions runs of the main build', function () {
  this.timeout(120_000);
  let t: TestWorld | undefined;
  after(async () => t?.cleanup());

  it('filters by head_sha, branch and status as GitHub does, and the build pushes the four images of its commit', async () => {
    const fast = loadScenario('fast');
    // A build of five seconds, so that it is seen running before it completes.
    t = await startTestWorld({ ...fast, durations: { ...fast.durations, mainBuild: 1_000_000 } });
    const world = t.world;
    const gh = octokitFor(world);
    const before = imageCounts(t);
    pushCommit(world, 'release/2025.4.0', 'VERSION', '2025.4.0');
    const sha = await mergeIntoMain(world, 'release/2025.4.0');
    const ofSha = (await gh.rest.actions.listWorkflowRunsForRepo({ ...at, head_sha: sha, branch: 'main' }))
      .data;
    assert.equal(ofSha.total_count, 1);
    assert.deepEqual(
      ofSha.workflow_runs.map((r) => [r.name, r.head_sha, r.head_branch, r.event]),
      [['Build and Publish', sha, 'main', 'push']],
    );
    assert.match(
      ofSha.workflow_runs[0]?.html_url ?? '',
      /^https:\/\/github\.com\/rplendos\/lendos\/actions\/runs\/\d+$/,
    );
    assert.equal(
      (await gh.rest.actions.listWorkflowRunsForRepo({ ...at, head_sha: sha, branch: 'develop' })).data
        .total_count,
      0,
      'another branch: none',
    );
    const completed = () =>
      gh.rest.actions.listWorkflowRunsForRepo({ ...at, head_sha: sha, status: 'completed' });
    const running = (await completed()).data.total_count;
    assert.equal(running, 0, 'status=completed leaves out a run that has not finished');
    await world.github.settled();
    const done = (await completed()).data.workflow_runs;
    assert.deepEqual(
      done.map((r) => [r.status, r.conclusion]),
      [['completed', 'success']],
    );
    assert.equal(
      (await gh.rest.actions.listWorkflowRunsForRepo({ ...at, head_sha: sha, status: 'success' })).data
        .total_count,
      1,
      'status matches a conclusion too',
    );
    assert.deepEqual(
      imageCounts(t),
      before.map((n) => n + 1),
    );
    for (const build of SERVICE_BUILDS) {
      const pushed = t.world.ecr.images(build.repository).at(-1);
      assert.match(pushed?.manifest ?? '', new RegExp(`"org.opencontainers.image.revision":"${sha}"`));
      const when = Date.parse(pushed?.pushedAt.toISOString() ?? '');
      assert.ok(
        when >= Date.parse(done[0]?.created_at ?? '') && when <= Date.parse(done[0]?.updated_at ?? '') + 1000,
        'pushed while the run ran',
      );
    }
    const main = (await gh.rest.actions.listWorkflowRunsForRepo({ ...at, branch: 'main', per_page: 100 }))
      .data.workflow_runs;
    assert.equal(main[0]?.head_sha, sha, 'newest first');
    assert.ok(main.length > 1 && main.every((r) => r.head_branch === 'main'));
  });

  it('main-build-fails: the build completes with failure and pushes nothing', async () => {
    await t?.cleanup();
    t = await startTestWorld(atFastPace('main-build-fails'));
    const world = t.world;
    const gh = octokitFor(world);
    const before = imageCounts(t);
    pushCommit(world, 'release/2025.4.0', 'VERSION', '2025.4.0');
    const sha = await mergeIntoMain(world, 'release/2025.4.0');
    const run = await waitFor('the failed run', async () => {
      const [r] = (
        await gh.rest.actions.listWorkflowRunsForRepo({
          ...at,
          head_sha: sha,
          branch: 'main',
          status: 'failure',
        })
      ).data.workflow_runs;
      return r;
    });
    assert.deepEqual([run.name, run.status, run.conclusion], ['Build and Publish', 'completed', 'failure']);
    assert.equal(
      (await gh.rest.actions.getWorkflowRun({ ...at, run_id: run.id })).data.conclusion,
      'failure',
    );
    await world.github.settled();
    assert.deepEqual(imageCounts(t), before, 'no image pushed');
  });

  it('main-build-never-starts: the merge lands on main, and no run appears for it', async () => {
    await t?.cleanup();
    t = await startTestWorld(atFastPace('main-build-never-starts'));
    const world = t.world;
    const gh = octokitFor(world);
    const before = imageCounts(t);
    pushCommit(world, 'release/2025.4.0', 'VERSION', '2025.4.0');
    const sha = await mergeIntoMain(world, 'release/2025.4.0');
    await world.github.settled();
    assert.equal((await gh.rest.repos.getBranch({ ...at, branch: 'main' })).data.commit.sha, sha);
    assert.equal(
      (await gh.rest.actions.listWorkflowRunsForRepo({ ...at, head_sha: sha })).data.total_count,
      0,
    );
    assert.deepEqual(imageCounts(t), before);
  });
});
