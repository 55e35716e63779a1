/** The step executors, by phase; a step without one stays manual (guidance + Mark done). */
import type { StepExecutor } from '../engine/step-types.js';
import type { Phase1Ports, UpgradePorts } from '../ports.js';
import { releasePullExecutors } from './github/index.js';
import { cutReleaseBranch } from './release-branch.js';
import { identifyBuiltTags } from './github/built-tags.js';
import { createUpgradeBranch } from './upgrade-branch.js';
import { buildUpgradeImages } from './upgrade-images.js';
import { updateValuesTags } from './values-tags/step.js';
import { devChangelogStep } from './dev/changelog.js';
import { devImageTags } from './dev/image-tags.js';
import { devSyncApps } from './dev/sync-apps.js';
import { bumpVersion } from './version-file.js';

/** Phase 1 · Preparation (1.1–1.4); they need `Phase1Ports`. */
export const phase1Executors: readonly StepExecutor<Phase1Ports>[] = [
  cutReleaseBranch,
  bumpVersion,
  createUpgradeBranch,
  buildUpgradeImages,
];

/** Phase 2 and 3 · the GitHub steps, and Section 4's dev flow; they need `UpgradePorts` (GitHub, ECR, git, Kubernetes). */
export const githubExecutors: readonly StepExecutor<UpgradePorts>[] = [identifyBuiltTags, updateValuesTags, devChangelogStep, devImageTags, devSyncApps];

/** Every executor: Phase 1, the GitHub steps, the Section 3 procedure and the rollback in both environments. */
export async function allExecutors(): Promise<readonly StepExecutor<UpgradePorts>[]> {
  const [{ upgradeKubeExecutors }, { upgradeAwsExecutors }, { approvalAndGitflowExecutors }, { rollbackExecutors }] = await Promise.all([
    import('./upgrade/index.js'),
    import('./upgrade/aws.js'),
    import('./github/approvals-gitflow.js'),
    import('./rollback/index.js'),
  ]);
  return [
    ...(phase1Executors as readonly StepExecutor<UpgradePorts>[]),
    ...releasePullExecutors,
    ...githubExecutors,
    ...upgradeAwsExecutors,
    ...upgradeKubeExecutors,
    ...approvalAndGitflowExecutors,
    ...rollbackExecutors,
  ];
}

/** Preflight outside a step run (`lendos preflight`) and the preflight workflow's PR (LendOS: Add Preflight Workflow). */
export * as preflight from './github/index.js';
export * as setup from './setup-check.js';
export * as reportComment from './github/report-comment.js';
export * as troubleshoot from './troubleshoot/diagnose.js';
