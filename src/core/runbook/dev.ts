/** Section 4, the dev environment: no DAML upgrade, a manual Argo CD sync when Product asks for one. */
import { ecrImagesCommand, getPodsCommands, shellWord } from './commands.js';
import type { RunbookContext } from './context.js';
import { manualStep, paragraph, type StepInput } from './step.js';
import type { StepDef } from './types.js';

type DevInput = Omit<StepInput, 'phase' | 'environment' | 'group' | 'section' | 'optional'>;

function devStep(input: DevInput): StepDef {
  return manualStep({
    ...input,
    phase: 'dev',
    environment: 'dev',
    group: 'dev',
    section: '4',
    optional: true,
  });
}

export function devSteps(context: RunbookContext): StepDef[] {
  const dev = context.config.environments.dev;
  const apps = dev.argoApplications.map((app) => `\`${app}\``).join(' and ') || '(none configured)';
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
    }),
    devStep({
      id: 'dev.changelog',
      title: 'Generate the changelog since the last sync',
      anchor: 'Generate changelog of merged items since last sync',
      guidance: paragraph(
        'List what was merged since the previous dev sync, so that Product knows what to test.',
        `The previous sync is the last commit on lendos-eks-workloads' main that changed \`${context.config.environments.dev.valuesTagsFile}\`; the PRs merged to lendos' main since then are listed, grouped as features, fixes and other changes.`,
      ),
      commands: ['git fetch origin', 'git log --oneline --merges <last-synced-commit>..origin/main'],
      success: 'A changelog of the items merged since the last sync is shared with Product.',
      dependsOn: ['dev.request-sync'],
    }),
    imageTags(context),
    devStep({
      id: 'dev.sync-apps',
      title: 'Sync Argo CD applications',
      anchor: 'Manually sync ArgoCD apps:',
      guidance: paragraph(
        `Sync ${apps} by hand. The sync runs the \`data-loader-service\` pre-sync hook, which reloads the test data.`,
        `The \`argocd\` CLI must be logged in to the Argo CD server that manages dev (\`${dev.kubeContext}\`).`,
      ),
      commands: dev.argoApplications.flatMap((app) => [
        `argocd app sync ${shellWord(app)} --prune`,
        `argocd app wait ${shellWord(app)} --health`,
      ]),
      success: 'Each application is Synced and Healthy.',
      dependsOn: ['dev.image-tags'],
    }),
    verify(context),
    devStep({
      id: 'dev.data-reseeding',
      title: 'Data reseeding',
      anchor: 'Data reseeding: The',
      guidance: paragraph(
        'Nothing to run: the `data-loader-service` pre-sync hook reloads the test data on every sync.',
        'The hook is idempotent, so syncing again is safe; if test data is missing after a sync, look at that hook in Argo CD.',
      ),
      commands: [],
      success: 'The test data is present after the sync.',
      dependsOn: ['dev.verify'],
    }),
  ];
}

function imageTags(context: RunbookContext): StepDef {
  const version = context.version.format();
  const repositories = Object.values(context.config.ecr.serviceRepositories);
  return devStep({
    id: 'dev.image-tags',
    title: 'Choose image tags',
    anchor: 'Image tags:',
    guidance: paragraph(
      `Dev usually runs the latest tags built from \`main\`; to test pre-release work, use specific tags in the \`deploy/dev-YYYY.R.H.BUILD\` format (for this release: \`deploy/dev-${version}.<build>\`).`,
      `Set them in \`${context.config.environments.dev.valuesTagsFile}\`.`,
      'Both portals currently share one tag, which becomes a problem as soon as the services diverge: check that the tag exists for each of them.',
    ),
    commands: repositories.map((repository) =>
      ecrImagesCommand(context.config, repository, 'sort_by(imageDetails,&imagePushedAt)[-5:].imageTags'),
    ),
    success: 'The tags to deploy are chosen and exist in ECR for every service.',
    dependsOn: ['dev.changelog'],
  });
}

function verify(context: RunbookContext): StepDef {
  const dev = context.config.environments.dev;
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
