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
      'Preflight checks the release PR `release/<version>` → `main` before it merges: VERSION on the PR head is the release version, nothing is committed under the DAML upgrade\'s `Generated` folder, the milestone named by the version has no open issues, and a product approver has approved the PR.',
      'Run Step adopts the open release PR — or, once you confirm, opens it (2.2) — runs the four checks at once on its head and records each with its evidence; it fails, listing each failing check with what to do, unless all pass.',
      '`lendos preflight --pr N` runs the same checks from a terminal or GitHub Actions (LendOS: Add Preflight Workflow proposes the workflow); `lendos preflight` alone checks VERSION and generated code on the local release branch.',
    ),
    commands: ['lendos preflight', 'lendos preflight --pr <PR_NUMBER>'],
    success: 'All four preflight checks pass on the release PR\'s head, recorded with the PR and its head SHA.',
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
      `Run Step adopts the open PR \`${release}\` → \`main\` — or, once you confirm, opens it titled "${releasePrTitle(context.version)}" with the milestone's closed issues — and shows its reviews and whether GitHub can merge it.`,
      'When the PR\'s head moved since preflight, preflight runs again on the new head and must pass; then, once you confirm, the PR is merged with a merge commit at that head (a head that moves meanwhile is refused). A conflict with main stops before anything is merged, with how to resolve it.',
      'The merge makes GitHub Actions build every changed service and push the images to ECR under new semver tags from `codacy/git-version`. These artifacts are rebuilt on main, not promoted from the tested branch, so make sure the builds succeed before going on.',
    ),
    commands: [
      `gh pr create --base main --head ${release} --title "${releasePrTitle(context.version)}" --body "Release ${version} - includes [list key features/fixes]"`,
      `gh pr merge ${release} --merge`,
    ],
    success: 'The release PR is merged into main with a merge commit (its SHA and time recorded) and the main build has started.',
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
