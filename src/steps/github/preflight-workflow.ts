/**
 * The GitHub Actions workflow that runs `lendos preflight --pr N` on release PRs to main (runbook 2.1: "The workflow
 * runs automatically on release PRs to main and must pass before merge"), and the PR that adds it to lendos.
 */
import type { GitHub, PullInfo, RepoRef } from '../../ports.js';
import { DEVELOP } from '../layout.js';

export const PREFLIGHT_WORKFLOW_PATH = '.github/workflows/lendos-preflight.yml';
export const PREFLIGHT_WORKFLOW_BRANCH = 'lendos/preflight-workflow';

export const PREFLIGHT_WORKFLOW = `# LendOS preflight (release runbook 2.1): runs \`lendos preflight --pr N\` on every release PR to main and fails
# unless all four checks pass — VERSION on the PR head is the release's, no generated DAML code is committed, the
# milestone named by the version has no open issues, and a product approver has approved the PR.
#
# Installing the CLI: lendos-release is not published to a public registry. Set the repository variable
# LENDOS_CLI_PACKAGE (Settings → Secrets and variables → Actions → Variables) to where your team keeps it, as npm
# understands it: a package in your registry (@your-scope/lendos-release@0.1.0), a tarball URL (the output of
# \`npm run build:prod && npm pack\` in the lendos-release repository, attached to one of its releases), or a git URL
# (git+https://github.com/YOUR-ORG/lendos-release.git#v0.1.0; a private repository needs a token npm can use).
#
# Product approvers are read from .lendos/config.yaml in this repository (github.productApprovers). A team
# (github.productApproverTeam) needs a token that may read the organisation's teams: GITHUB_TOKEN cannot, so pass a
# secret with read:org instead. Make "LendOS preflight / preflight" a required status check of main so a release PR
# cannot merge before it passes. An approval re-runs it; after closing milestone issues, re-run the job from the PR.
name: LendOS preflight

on:
  pull_request:
    branches: [main]
    types: [opened, synchronize, reopened, edited, ready_for_review]
  pull_request_review:
    types: [submitted, dismissed]

permissions:
  contents: read
  pull-requests: read
  issues: read

jobs:
  preflight:
    if: github.event.pull_request.base.ref == 'main' && startsWith(github.event.pull_request.head.ref, 'release/')
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 20
      - name: Install the lendos CLI
        env:
          LENDOS_CLI_PACKAGE: \${{ vars.LENDOS_CLI_PACKAGE }}
        run: |
          if [ -z "$LENDOS_CLI_PACKAGE" ]; then
            echo "::error::Set the repository variable LENDOS_CLI_PACKAGE to where your team keeps the lendos-release CLI (see the top of ${PREFLIGHT_WORKFLOW_PATH})."
            exit 1
          fi
          npm install --global "$LENDOS_CLI_PACKAGE"
      - name: lendos preflight
        env:
          GITHUB_TOKEN: \${{ secrets.GITHUB_TOKEN }}
        run: lendos preflight --pr \${{ github.event.pull_request.number }}
`;

const PULL_BODY = [
  `Adds ${PREFLIGHT_WORKFLOW_PATH}: GitHub Actions runs \`lendos preflight --pr N\` on every release PR to main (release runbook 2.1).`,
  '',
  'Before merging:',
  '- set the repository variable `LENDOS_CLI_PACKAGE` to where the team keeps the lendos-release CLI (see the comments at the top of the workflow);',
  '- list the product approvers in `.lendos/config.yaml` (`github.productApprovers`);',
  '- afterwards, make "LendOS preflight / preflight" a required status check of `main`.',
  '',
  'Opened by LendOS: Add Preflight Workflow.',
].join('\n');

export type WorkflowProposal =
  | { readonly kind: 'up-to-date'; readonly branch: string }
  | { readonly kind: 'pull'; readonly pull: PullInfo; readonly created: boolean };

/**
 * The PR adding the workflow to `repo`'s develop, from branch `lendos/preflight-workflow`: an open one is brought up to
 * date and answered; nothing is opened when develop already has the workflow as it is.
 */
export async function proposePreflightWorkflow(gh: GitHub, repo: RepoRef): Promise<WorkflowProposal> {
  if ((await gh.fileAt(repo, DEVELOP, PREFLIGHT_WORKFLOW_PATH)) === PREFLIGHT_WORKFLOW)
    return { kind: 'up-to-date', branch: DEVELOP };
  await gh.createBranch(repo, PREFLIGHT_WORKFLOW_BRANCH, DEVELOP);
  await gh.createOrUpdateFile(repo, {
    branch: PREFLIGHT_WORKFLOW_BRANCH,
    path: PREFLIGHT_WORKFLOW_PATH,
    content: PREFLIGHT_WORKFLOW,
    message: 'Add the LendOS preflight workflow (release runbook 2.1)',
  });
  const [open] = await gh.findPulls(repo, { head: PREFLIGHT_WORKFLOW_BRANCH, base: DEVELOP, state: 'open' });
  if (open) return { kind: 'pull', pull: open, created: false };
  const pull = await gh.createPull(repo, {
    head: PREFLIGHT_WORKFLOW_BRANCH,
    base: DEVELOP,
    title: 'Add the LendOS preflight workflow',
    body: PULL_BODY,
  });
  return { kind: 'pull', pull, created: true };
}
