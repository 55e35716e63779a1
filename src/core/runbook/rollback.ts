/**
 * Section 3.4, "Catastrophic Failure: RDS Restore", per environment: the runbook's console procedure as steps, with
 * Aurora's real semantics (a restore makes a new cluster without instances, so the broken one is renamed away first).
 */
import { rollbackAsideName } from '../names.js';
import {
  argoSyncCommands,
  deleteCantonPodsCommand,
  getPodsCommands,
  rdsFlags,
  scaleDownCommands,
  scaleUpCommands,
  shellWord,
} from './commands.js';
import { UPGRADE_ENVIRONMENTS, upgradeContext, type RunbookContext, type UpgradeContext } from './context.js';
import { manualStep, paragraph, type StepInput } from './step.js';
import type { StepDef } from './types.js';

/** The steps of the rollback, in order; `<env>.rollback.<name>`. */
export const ROLLBACK_STEPS = [
  'stop-services',
  'choose-snapshot',
  'rename-cluster',
  'restore-cluster',
  'revert-values-tags',
  'argocd-sync',
  'scale-up',
  'validate',
] as const;
export type RollbackStepName = (typeof ROLLBACK_STEPS)[number];

export function rollbackStepId(environment: string, name: RollbackStepName): string {
  return `${environment}.rollback.${name}`;
}

export function rollbackSteps(context: RunbookContext): StepDef[] {
  return UPGRADE_ENVIRONMENTS.flatMap((environment) => stepsOf(upgradeContext(context, environment)));
}

type Input = Omit<StepInput, 'id' | 'phase' | 'environment' | 'group' | 'section' | 'anchor' | 'optional' | 'dependsOn'>;

function stepsOf(context: UpgradeContext): StepDef[] {
  const inputs: Record<RollbackStepName, Input> = { ...restoreInputs(context), ...redeployInputs(context) };
  return ROLLBACK_STEPS.map((name, index) =>
    manualStep({
      ...inputs[name],
      id: rollbackStepId(context.environment, name),
      phase: 'recovery',
      environment: context.environment,
      group: `${context.environment}.rollback`,
      section: '3.4',
      anchor: 'Catastrophic Failure: RDS Restore',
      optional: true,
      dependsOn: index === 0 ? [] : [rollbackStepId(context.environment, ROLLBACK_STEPS[index - 1] as RollbackStepName)],
    }),
  );
}

type RestoreName = 'stop-services' | 'choose-snapshot' | 'rename-cluster' | 'restore-cluster';

function restoreInputs(context: UpgradeContext): Record<RestoreName, Input> {
  const { env } = context;
  const flags = rdsFlags(env);
  const cluster = shellWord(context.cantonCluster);
  const aside = shellWord(rollbackAsideName(context.cantonCluster, context.version));
  const snapshot = `<snapshot of 3.1.3>`;
  return {
    'stop-services': {
      title: 'Stop all services',
      guidance: paragraph(
        `Scale every service of ${env.label} to zero and delete the Canton participant pod, so that nothing writes to the ledger while its database is restored.`,
        'Argo CD automation that would scale them back up is suspended until the rollback scales up.',
      ),
      commands: [...scaleDownCommands(env), deleteCantonPodsCommand(env, env.canton.participant), ...getPodsCommands(env)],
      success: 'Every service is at 0 replicas, no pods are left, and the participant pod was deleted.',
    },
    'choose-snapshot': {
      title: 'Choose the snapshot',
      guidance: paragraph(
        `The snapshot this release took in 3.1.3 is the default; any available snapshot of \`${context.cantonCluster}\` can be chosen instead.`,
        'It must exist and be available: nothing is changed by this step.',
      ),
      commands: [`aws rds describe-db-cluster-snapshots --db-cluster-identifier ${cluster} ${flags} --query 'DBClusterSnapshots[].[DBClusterSnapshotIdentifier,Status,SnapshotCreateTime]'`],
      success: 'The snapshot to restore is chosen, exists and is available.',
    },
    'rename-cluster': {
      title: 'Rename the cluster away',
      guidance: paragraph(
        `RDS cannot restore onto an existing cluster: \`${context.cantonCluster}\` is renamed to ${aside} (applied immediately), after its settings are recorded for the restore.`,
        'The renamed cluster is kept — LendOS never deletes it; remove it yourself once the rollback is validated.',
      ),
      commands: [
        `aws rds describe-db-clusters --db-cluster-identifier ${cluster} ${flags}`,
        `aws rds modify-db-cluster --db-cluster-identifier ${cluster} --new-db-cluster-identifier ${aside} --apply-immediately ${flags}`,
      ],
      success: `The cluster is renamed to ${aside} and available; the original identifier is free.`,
    },
    'restore-cluster': {
      title: 'Restore the snapshot',
      guidance: paragraph(
        `Restore the snapshot under the original identifier with the old cluster's engine, version, subnet group, parameter group and security groups, then create its DB instance(s) to match the old cluster's classes: a restored Aurora cluster has no instances.`,
        'Waiting until everything is available takes 15–30 minutes; there is no time limit.',
      ),
      commands: [
        `aws rds restore-db-cluster-from-snapshot --db-cluster-identifier ${cluster} --snapshot-identifier ${snapshot} --engine <engine> --engine-version <version> --db-subnet-group-name <subnet-group> --vpc-security-group-ids <security-group-ids> ${flags}`,
        `aws rds create-db-instance --db-instance-identifier <instance-id> --db-cluster-identifier ${cluster} --db-instance-class <instance-class> --engine <engine> ${flags}`,
        `aws rds wait db-instance-available --db-instance-identifier <instance-id> ${flags}`,
      ],
      success: `\`${context.cantonCluster}\` is restored from the snapshot and it and its instances are available.`,
    },
  };
}

function redeployInputs(context: UpgradeContext): Record<Exclude<RollbackStepName, RestoreName>, Input> {
  const { env } = context;
  return {
    'revert-values-tags': {
      title: 'Revert the values-tags PR',
      guidance: paragraph(
        `Put back the tags ${env.valuesTagsFile} had before this release: a revert PR in lendos-eks-workloads, shown as a diff first, followed until it is merged.`,
        'A tag someone changed on main since then is a conflict: it is named, and nothing is written.',
      ),
      commands: ['git revert -m 1 <merge commit of the values-tags PR>', 'gh pr create --base main'],
      success: 'The revert PR is merged: values-tags names the previous tags.',
    },
    'argocd-sync': {
      title: 'Sync Argo CD to the previous tags',
      guidance: paragraph(
        `Sync ${env.argoApplications.map((a) => `\`${a}\``).join(' and ')} so that the previous images are deployed.`,
        'Wait until each application is both Synced and Healthy.',
      ),
      commands: argoSyncCommands(env),
      success: 'Each application is Synced and Healthy on the previous tags.',
    },
    'scale-up': {
      title: 'Scale services back up',
      guidance: paragraph(
        'Each service goes back to the replicas recorded before the upgrade, the ones the portals depend on first.',
        'Argo CD automation suspended on the way down is restored.',
      ),
      commands: [...scaleUpCommands(env), ...getPodsCommands(env)],
      success: 'Every deployment has its pre-upgrade replicas Running and Ready.',
    },
    validate: {
      title: 'Validate the previous version',
      guidance: paragraph(
        'Pods Running and Ready, backends on the previous DARs, frontends answering, and PQS counting the same contracts per template as before the upgrade, at the previous package version.',
        'When every check holds, the upgrade lock of the environment is released.',
      ),
      commands: getPodsCommands(env),
      success: `${env.label} runs the previous version, validated against the counts taken before the upgrade.`,
    },
  };
}
