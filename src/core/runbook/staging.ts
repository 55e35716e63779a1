/** Phase 2 · Staging deployment: preflight, release PR, built tags, values-tags, the upgrade, approval. */
import { releaseBranch, releasePrTitle } from '../names.js';
import { ecrImagesCommand } from './commands.js';
import { upgradeContext, type RunbookContext } from './context.js';
import { upgradeProcedure } from './procedure.js';
import { approvalStep, manualStep, paragraph } from './step.js';
import type { StepDef } from './types.js';
import { valuesTagsStep } from './values-tags.js';

export function stagingSteps(context: RunbookContext): StepDef[] {
  return [
    preflight(),
    mergeToMain(context),
    identifyTags(context),
    valuesTagsStep(context, 'staging', ['staging.identify-tags']),
    ...upgradeProcedure(upgradeContext(context, 'staging'), ['staging.values-tags']),
    smokeApproval(),
  ];
}

function preflight(): StepDef {
  return manualStep({
    id: 'staging.preflight',
    phase: 'staging',
    environment: 'staging',
    title: 'Run preflight checks',
    section: '2.1',
    anchor: '2.1 Run Preflight Checks',
    guidance: paragraph(
      'Preflight checks the release branch before it goes to main: VERSION matches the branch, no generated code is committed, the milestone has no open issues, and Product has approved the PR.',
      '`lendos preflight` runs the local checks; `--pr` adds the milestone and approval checks against the release PR opened in 2.2.',
      'GitHub Actions runs the same checks on release PRs to main, and they must pass before the merge.',
    ),
    commands: ['lendos preflight', 'lendos preflight --pr <PR_NUMBER>'],
    success: 'Every preflight check passes, locally and on the release PR.',
    dependsOn: ['prep.upgrade-images'],
  });
}

function mergeToMain(context: RunbookContext): StepDef {
  const version = context.version.format();
  const release = releaseBranch(context.version);
  return manualStep({
    id: 'staging.merge-to-main',
    phase: 'staging',
    environment: 'staging',
    title: 'Merge release branch to main',
    section: '2.2',
    anchor: '2.2 Merge Release Branch to Main',
    guidance: paragraph(
      `Open the PR \`${release}\` → \`main\` titled "${releasePrTitle(context.version)}" and merge it with a merge commit once it is approved and preflight passes.`,
      'The merge makes GitHub Actions build every changed service and push the images to ECR under new semver tags from `codacy/git-version`.',
      'These artifacts are rebuilt on main, not promoted from the tested branch, so make sure the builds succeed before going on.',
    ),
    commands: [
      `gh pr create --base main --head ${release} --title "${releasePrTitle(context.version)}" --body "Release ${version} - includes [list key features/fixes]"`,
      `gh pr merge ${release} --merge`,
    ],
    success: 'The release PR is merged into main and the main build has started.',
    dependsOn: ['staging.preflight'],
  });
}

function identifyTags(context: RunbookContext): StepDef {
  const repositories = Object.values(context.config.ecr.serviceRepositories);
  const seconds = context.config.github.buildStartTimeoutSeconds;
  const startWait = seconds % 60 === 0 ? `${seconds / 60} min` : `${seconds} s`;
  return manualStep({
    id: 'staging.identify-tags',
    phase: 'staging',
    environment: 'staging',
    title: 'Identify built artifact tags',
    section: '2.2',
    anchor: '2.2 Identify Built Artifact Tags',
    guidance: paragraph(
      `Run after 2.2 Merge: it follows the GitHub Actions runs of the merge commit on \`main\` until they finish, their state shown on the step; a failed run, or no run starting within \`github.buildStartTimeoutSeconds\` (${startWait}), stops it with the link to look at.`,
      'For each service — LendOS Portal backend and frontend, Signing Portal backend and frontend — it takes the image pushed to ECR while that build ran (preferring the `codacy/git-version` semver tag, e.g. `v0.0.830`), never merely the newest or highest tag, and shows tag, digest and push time to confirm.',
      'A tag you change is checked in ECR and recorded as an override with your reason. The values-tags updates for staging and production both use the recorded tags.',
    ),
    commands: [
      'gh run list --branch main --commit <merge-sha>',
      'gh run watch <run-id> --exit-status',
      ...repositories.map((repository) =>
        ecrImagesCommand(context.config, repository, 'sort_by(imageDetails,&imagePushedAt)[-5:].[imageTags[0],imagePushedAt,imageDigest]'),
      ),
    ],
    success: 'The four image tags pushed by the main build of the release merge are recorded with digest and push time (a changed tag with its reason).',
    dependsOn: ['staging.merge-to-main'],
  });
}

function smokeApproval(): StepDef {
  return approvalStep({
    id: 'staging.smoke-approval',
    phase: 'staging',
    environment: 'staging',
    title: 'Product smoke testing and approval',
    section: '2.5',
    anchor: '2.5 Product Smoke Testing & Approval',
    guidance: paragraph(
      'Product (usually Luis, or the designated backup) runs the smoke tests against staging, checks the key workflows and approves the release for production; approvals are moving from Teams to tickets.',
      'Meanwhile DevOps watches for reported problems, fixes them, and writes down each issue and how it was resolved.',
      'Production does not start before this approval is recorded.',
    ),
    commands: [],
    success: 'Product has approved the production deployment, and who approved and when is recorded.',
    dependsOn: ['staging.upgrade.validate'],
  });
}
