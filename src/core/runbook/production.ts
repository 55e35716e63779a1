/** Phase 3 · Production deployment: values-tags, the upgrade, smoke test, gitflow back to develop. */
import { gitflowPrBody, gitflowPrTitle } from '../names.js';
import { upgradeContext, type RunbookContext } from './context.js';
import { upgradeProcedure } from './procedure.js';
import { approvalStep, manualStep, paragraph } from './step.js';
import type { StepDef } from './types.js';
import { valuesTagsStep } from './values-tags.js';

export function productionSteps(context: RunbookContext): StepDef[] {
  return [
    valuesTagsStep(context, 'production', ['staging.smoke-approval']),
    // Production stays behind the staging approval even if its values-tags were prepared early.
    ...upgradeProcedure(upgradeContext(context, 'production'), [
      'production.values-tags',
      'staging.smoke-approval',
    ]),
    smokeTest(),
    gitflow(context),
  ];
}

function smokeTest(): StepDef {
  return approvalStep({
    id: 'production.smoke-test',
    phase: 'production',
    environment: 'production',
    title: 'Product smoke testing',
    section: '3.3',
    anchor: '3.3 Product Smoke Testing',
    guidance: paragraph(
      'Product repeats the smoke tests, this time in production.',
      'DevOps stays available to address anything they find; a problem here goes to Recovery, where fixing forward is preferred to restoring the snapshot.',
    ),
    commands: [],
    success: 'Product confirms the smoke tests pass in production, and who confirmed and when is recorded.',
    dependsOn: ['production.upgrade.validate'],
  });
}

function gitflow(context: RunbookContext): StepDef {
  return manualStep({
    id: 'production.gitflow',
    phase: 'production',
    environment: 'production',
    title: 'Complete gitflow (main → develop)',
    section: '3.4',
    anchor: '3.4 Complete Gitflow Process',
    guidance: paragraph(
      'Open a PR from `main` to `develop` and merge it with a merge commit, so that develop receives the actual release merge commit from main and the two branches stay in step (BRANCHING.md).',
      'Afterwards the release branch may be deleted or kept for reference; the upgrade branch stays open for now.',
    ),
    commands: [
      `gh pr create --base develop --head main --title "${gitflowPrTitle(context.version)}" --body "${gitflowPrBody(context.version)}"`,
      'gh pr merge <PR_NUMBER> --merge',
    ],
    success: 'The main → develop PR is merged and develop contains the release merge commit.',
    dependsOn: ['production.smoke-test'],
  });
}
