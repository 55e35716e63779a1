/**
 * What every GitHub step starts from: the GitHub port (its waits said in the step's log), the lendos and workloads
 * repositories, and who approves for product.
 */
import { UserError } from '../../core/errors.js';
import type { StepContext } from '../../engine/step-types.js';
import type { GitHub, RepoRef, UpgradePorts } from '../../ports.js';

export type GitHubStepContext = StepContext<UpgradePorts>;

export interface GitHubSite {
  readonly gh: GitHub;
  readonly lendos: RepoRef;
  readonly workloads: RepoRef;
}

export async function githubOf(ctx: GitHubStepContext): Promise<GitHubSite> {
  const [gh, repos] = await Promise.all([ctx.ports.github((line) => ctx.log.warn(line)), ctx.ports.repositories()]);
  return { gh, ...repos };
}

export const repoName = (repo: RepoRef) => `${repo.owner}/${repo.name}`;

/** The release's milestone is named by its version, as the team names them (`2025.4.0`). */
export const milestoneTitle = (ctx: Pick<GitHubStepContext, 'version'>) => ctx.version.format();

export interface Approvers {
  readonly logins: ReadonlySet<string>;
  /** For messages: "luis-product or a member of rplendos/product". */
  readonly described: string;
}

/** Product's approvers: the configured logins, and the members of the configured team. */
export async function productApprovers(ctx: Pick<GitHubStepContext, 'config'>, gh: GitHub): Promise<Approvers> {
  const { productApprovers: logins, productApproverTeam: team } = ctx.config.github;
  const members = team ? await gh.teamMembers(...(team.split('/') as [string, string])) : [];
  const all = new Set([...logins, ...members]);
  if (all.size === 0) {
    throw new UserError(
      'No product approvers are configured: set github.productApprovers (GitHub logins) or github.productApproverTeam (ORG/TEAM) ' +
        'in .lendos/config.yaml or the lendos.github settings. Nothing was changed.',
      'config',
    );
  }
  const described = [logins.join(', '), team ? `a member of ${team}` : ''].filter(Boolean).join(' or ');
  return { logins: all, described };
}
