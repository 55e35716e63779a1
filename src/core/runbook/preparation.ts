/** Phase 1 · Preparation: release branch, VERSION, DAML upgrade branch and its images. */
import { commitMessageForVersionBump, releaseBranch, upgradeBranch } from '../names.js';
import { ecrImagesCommand, shellWord } from './commands.js';
import type { RunbookContext } from './context.js';
import { manualStep, paragraph } from './step.js';
import type { StepDef } from './types.js';

export function preparationSteps(context: RunbookContext): StepDef[] {
  return [
    cutReleaseBranch(context),
    bumpVersion(context),
    createUpgradeBranch(context),
    buildUpgradeImages(context),
  ];
}

function cutReleaseBranch(context: RunbookContext): StepDef {
  const release = releaseBranch(context.version);
  return manualStep({
    id: 'prep.cut-release-branch',
    phase: 'preparation',
    title: 'Cut release branch',
    section: '1.1',
    anchor: '1.1 Cut Release Branch',
    guidance: paragraph(
      `Create \`${release}\` from an up-to-date \`develop\`.`,
      'The branch name carries the CalVer release version (BRANCHING.md), and the VERSION file, tags and snapshot names of this release are all derived from it.',
      'Pull `develop` first: cutting from a stale local branch silently leaves merged work out of the release.',
    ),
    commands: ['git checkout develop', 'git pull origin develop', `git checkout -b ${release}`],
    success: `\`${release}\` exists and starts at the tip of \`origin/develop\`.`,
  });
}

function bumpVersion(context: RunbookContext): StepDef {
  const version = context.version.format();
  const release = releaseBranch(context.version);
  return manualStep({
    id: 'prep.bump-version',
    phase: 'preparation',
    title: 'Update VERSION file',
    section: '1.2',
    anchor: '1.2 Update VERSION File',
    guidance: paragraph(
      `Write \`${version}\` into the VERSION file at the repository root, commit it and push the release branch.`,
      'VERSION is the source of truth for the release version, and preflight checks that it matches the branch name, so a typo here fails the release PR later.',
      'The file holds the version and a newline, nothing else.',
    ),
    commands: [
      `echo "${version}" > VERSION`,
      'git add VERSION',
      `git commit -m "${commitMessageForVersionBump(context.version)}"`,
      `git push origin ${release}`,
    ],
    success: `VERSION on \`origin/${release}\` reads \`${version}\`.`,
    dependsOn: ['prep.cut-release-branch'],
  });
}

function createUpgradeBranch(context: RunbookContext): StepDef {
  const release = releaseBranch(context.version);
  const upgrade = upgradeBranch(context.version);
  return manualStep({
    id: 'prep.upgrade-branch',
    phase: 'preparation',
    title: 'Create DAML upgrade branch and generate upgrade code',
    section: '1.3',
    anchor: '1.3 Create DAML Upgrade Branch',
    guidance: paragraph(
      `Cut \`${upgrade}\` from the release branch and run \`generate-upgrade.sh\` in \`services/portal-daml-upgrade\` with the old and new DAML package versions and the old data-loader version.`,
      'The script regenerates `src/main/daml/Generated` but does not overwrite existing files in `src/main/daml/Upgrade` and `src/test/daml`, so review those by hand.',
      'Test the upgrade locally as the README describes, then push the branch: the image build in 1.4 checks it out from origin.',
      'The upgrade branch is not merged back.',
    ),
    commands: [
      `git checkout ${release}`,
      `git checkout -b ${upgrade}`,
      'cd services/portal-daml-upgrade',
      './generate-upgrade.sh <old-version> <new-version> <old-data-loader-version>',
      `git push -u origin ${upgrade}`,
    ],
    success: `\`${upgrade}\` is on origin with the generated upgrade code, tested locally.`,
    dependsOn: ['prep.bump-version'],
  });
}

function buildUpgradeImages(context: RunbookContext): StepDef {
  const upgrade = upgradeBranch(context.version);
  const repository = context.config.ecr.upgradeRepository;
  return manualStep({
    id: 'prep.upgrade-images',
    phase: 'preparation',
    title: 'Build and push DAML upgrade images',
    section: '1.4',
    anchor: '1.4 Build and Push DAML Upgrade Docker Images',
    guidance: paragraph(
      'From the upgrade branch (a Codespace works), assume the artifacts role and run `docker-build.sh --push`, which builds and pushes both the `-init` and the `-runner` image.',
      `Then confirm both tags are in the ECR repository \`${repository}\`: the upgrade Jobs pull them by tag, and a missing image only shows up later as a stage that never starts.`,
      'The role assumed with `assume` lives only in the shell where you ran it.',
    ),
    commands: [
      'git fetch origin',
      `git checkout ${upgrade}`,
      'cd services/portal-daml-upgrade',
      `assume ${shellWord(context.config.aws.artifactsProfile)}`,
      './docker-build.sh --push',
      ecrImagesCommand(context.config, repository, 'imageDetails[*].imageTags'),
    ],
    success: `ECR \`${repository}\` holds the \`-init\` and \`-runner\` tags of this upgrade (e.g. \`v<to>.<from>.<build>-init\`).`,
    dependsOn: ['prep.upgrade-branch'],
  });
}
