/**
 * Section 4, the dev environment, as its own flow (`DEV_FLOW`): no DAML upgrade, a manual Argo CD sync when Product
 * asks for one, started without a release. Each sync begins anew once the last one is done.
 */
import type { LendosConfig } from '../config/types.js';
import { ecrImagesCommand, getPodsCommands, shellWord } from './commands.js';
import { manualStep, paragraph, type StepInput } from './step.js';
import type { StepDef } from './types.js';

type DevInput = Omit<StepInput, 'phase' | 'environment' | 'section'>;

function devStep(input: DevInput): StepDef {
  return manualStep({ ...input, phase: 'dev', environment: 'dev', section: '4' });
}

/** The Argo CD applications of dev, as Markdown. */
const appsOf = (config: LendosConfig) =>
  config.environments.dev.argoApplications.map((app) => `\`${app}\``).join(' and ') || '(none configured)';

export function devSteps(config: LendosConfig): StepDef[] {
  const dev = config.environments.dev;
  return [
    devStep({
      id: 'dev.request-sync',
      title: 'Product requests a sync',
      anchor: 'Product requests sync (when they want to test merged features)',
      guidance: paragraph(
        'Dev is not deployed automatically: it is synced when Product wants to test merged features.',
        'Note who asked and which items they want to see. Dev runs no DAML upgrade; its test data is reloaded instead.',
      ),
      commands: [],
      success: 'The request and the items to test are noted.',
      optional: true,
    }),
    devStep({
      id: 'dev.changelog',
      title: 'Generate the changelog since the last sync',
      anchor: 'Generate changelog of merged items since last sync',
      guidance: paragraph(
        'List what was merged since the previous dev sync, so that Product knows what to test.',
        `The previous sync is the last commit on lendos-eks-workloads' main that changed \`${dev.valuesTagsFile}\`; the PRs merged to lendos' main since then are listed, grouped as features, fixes and other changes.`,
      ),
      commands: ['git fetch origin', 'git log --oneline --merges <last-synced-commit>..origin/main'],
      success: 'A changelog of the items merged since the last sync is shared with Product.',
      dependsOn: ['dev.request-sync'],
    }),
    imageTags(config),
    syncApps(config),
    verify(config),
    devStep({
      id: 'dev.data-reseeding',
      title: 'Data reseeding',
      anchor: 'Data reseeding: The',
      guidance: paragraph(
        'Nothing to run: the `data-loader-service` pre-sync hook reloads the test data on every sync, and the sync step shows how each hook ended and its last log lines.',
        'The hook is idempotent, so syncing again is safe; if test data is missing after a sync, look at that hook in Argo CD.',
      ),
      commands: [],
      success: 'The test data is present after the sync.',
      dependsOn: ['dev.verify'],
      optional: true,
    }),
  ];
}

function imageTags(config: LendosConfig): StepDef {
  const dev = config.environments.dev;
  const repositories = Object.values(config.ecr.serviceRepositories);
  return devStep({
    id: 'dev.image-tags',
    title: "Set dev's image tags",
    anchor: 'Image tags:',
    guidance: paragraph(
      `Choose per portal what dev runs: the newest builds of \`main\` (the usual choice), or a \`deploy/dev-YYYY.R.H.BUILD\` tag to test pre-release work.`,
      'The portals may run different tags (the runbook notes that one shared tag becomes a problem once they diverge); every chosen tag must exist in ECR for both images of its portal.',
      `The change to \`${dev.valuesTagsFile}\` is shown before anything is written, then committed on a branch of its own, pushed, and its PR to \`main\` of lendos-eks-workloads followed until it is merged.`,
    ),
    commands: repositories.map((repository) =>
      ecrImagesCommand(config, repository, 'sort_by(imageDetails,&imagePushedAt)[-5:].imageTags'),
    ),
    success: `${dev.valuesTagsFile} on main holds the chosen tags, and each exists in ECR.`,
    dependsOn: ['dev.changelog'],
  });
}

function syncApps(config: LendosConfig): StepDef {
  const dev = config.environments.dev;
  return devStep({
    id: 'dev.sync-apps',
    title: 'Sync Argo CD applications',
    anchor: 'Manually sync ArgoCD apps:',
    guidance: paragraph(
      `Sync ${appsOf(config)} in dev (\`${dev.kubeContext}\`) and wait until each is Synced and Healthy on the new tags.`,
      'Each sync first runs the `data-loader-service` pre-sync hook, which reloads the test data: the step shows how it ended.',
    ),
    commands: dev.argoApplications.flatMap((app) => [
      `argocd app sync ${shellWord(app)} --prune`,
      `argocd app wait ${shellWord(app)} --health`,
    ]),
    success: 'Each application is Synced and Healthy on the chosen tags, and its data-loader hook succeeded.',
    dependsOn: ['dev.image-tags'],
  });
}

function verify(config: LendosConfig): StepDef {
  const dev = config.environments.dev;
  const urls = dev.urls.map((url) => `<${url}>`).join(', ');
  return devStep({
    id: 'dev.verify',
    title: 'Verify the deployment',
    anchor: 'Verify deployment:',
    guidance: paragraph(
      'Check that the items in the "Waiting to Sync" column of the project board are deployed, and try them in dev' +
        (urls ? ` (${urls}).` : '.'),
      'Then move them on in the project board.',
    ),
    commands: getPodsCommands(dev),
    success: 'The synced items work in dev and are moved on in the project board.',
    dependsOn: ['dev.sync-apps'],
  });
}
