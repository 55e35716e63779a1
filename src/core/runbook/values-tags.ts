/** Updating an environment's values-tags file in lendos-eks-workloads (2.3 for staging, 3.1 for production). */
import { valuesBranch, valuesTagsCommitMessage, valuesTagsPrBody, valuesTagsPrTitle } from '../names.js';
import { shellWord } from './commands.js';
import type { RunbookContext } from './context.js';
import { manualStep, paragraph } from './step.js';
import type { StepDef, UpgradeEnvironment } from './types.js';

const SECTIONS: Record<UpgradeEnvironment, { section: string; anchor: string }> = {
  staging: { section: '2.3', anchor: '2.3 Update values-tags.yaml for Staging' },
  production: { section: '3.1', anchor: '3.1 Update values-tags.yaml for Production' },
};

export function valuesTagsStep(
  context: RunbookContext,
  environment: UpgradeEnvironment,
  dependsOn: readonly string[],
): StepDef {
  const env = context.config.environments[environment];
  const branch = valuesBranch(context.version, environment);
  const file = env.valuesTagsFile;
  return manualStep({
    id: `${environment}.values-tags`,
    phase: environment,
    environment,
    title: `Update values-tags for ${env.label}`,
    ...SECTIONS[environment],
    guidance: paragraph(
      `In lendos-eks-workloads, branch \`${branch}\` from an up-to-date \`main\` and set the four service image tags in \`${file}\` to the tags identified in 2.2.`,
      'Change nothing but those tags: Argo CD deploys whatever this file says once the PR is merged.',
      'Get the PR approved and merged before the upgrade, so the Argo CD sync after the upgrade deploys the new images.',
      `Run: LendOS shows the edit as a diff (staging gets 2.2's tags, production what staging's step recorded); on Apply it commits it on \`${branch}\`, pushes, opens the PR and waits for its merge.`,
    ),
    commands: valuesTagsCommands(context, environment),
    success: `The values-tags PR for ${env.label} is merged into \`main\` of lendos-eks-workloads, and \`${file}\` holds the four new tags.`,
    dependsOn,
  });
}

function valuesTagsCommands(context: RunbookContext, environment: UpgradeEnvironment): string[] {
  const { version, config } = context;
  const branch = valuesBranch(version, environment);
  return [
    `cd ${shellWord(config.repositories.workloadsPath)}`,
    'git checkout main',
    'git pull origin main',
    `git checkout -b ${branch}`,
    `git add ${shellWord(config.environments[environment].valuesTagsFile)}`,
    `git commit -m "${valuesTagsCommitMessage(version, environment)}"`,
    `git push origin ${branch}`,
    `gh pr create --base main --head ${branch} --title "${valuesTagsPrTitle(version, environment)}" --body "${valuesTagsPrBody(version, environment)}"`,
  ];
}
