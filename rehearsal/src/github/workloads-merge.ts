import { PEOPLE } from '../git/identities.js';
import { HttpError } from './http.js';
import { mergePull } from './merge.js';
import { pullShas } from './pull-shapes.js';
import { addReview } from './routes-reviews.js';
import type { GitHubState, PullRecord, RepoContext } from './state.js';

/** World time between a values-tags PR's creation and the platform team's approval and merge. */
export const VALUES_MERGE_DELAY_MS = 30_000;

const isValuesPull = (repo: RepoContext, pr: PullRecord) =>
  repo.name === 'lendos-eks-workloads' && pr.base === 'main' && (/^release\/\d{4}\.\d+\.\d+-values(-production)?(-revert)?$/.test(pr.head) || /^dev\/values-\d{8}-\d{4}$/.test(pr.head));

/**
 * The platform team (Tom) approves a values-tags PR in lendos-eks-workloads a little after it opens and merges it with
 * a merge commit, as the team does; a PR that conflicts with main, or was closed meanwhile, is left as it is.
 */
export function scheduleValuesMerge(state: GitHubState, repo: RepoContext, pr: PullRecord): void {
  if (!isValuesPull(repo, pr)) return;
  state.track(
    (async () => {
      await state.world.clock.sleep(VALUES_MERGE_DELAY_MS);
      if (state.closed || pr.state !== 'open') return;
      const head = (await pullShas(repo, pr)).head;
      if ((await repo.git.mergeTree((await pullShas(repo, pr)).base, head)) === undefined) return;
      addReview(state, pr, PEOPLE.tom.login, 'APPROVED', 'Tags checked against ECR. Approved.', head);
      try {
        await mergePull(state, repo, pr, { method: 'merge', sha: head }, PEOPLE.tom.login);
      } catch (error) {
        if (!(error instanceof HttpError)) throw error;
      }
    })(),
  );
}
