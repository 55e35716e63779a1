/** Section 3, the DAML upgrade procedure for one environment: prerequisites and the pre-upgrade steps (3.1). */
import { snapshotNamePattern } from '../names.js';
import {
  deleteCantonPodsCommand,
  ecrImagesCommand,
  getPodsCommands,
  rdsFlags,
  scaleDownCommands,
  shellWord,
  waitCantonReadyCommand,
} from './commands.js';
import type { UpgradeContext } from './context.js';
import { postUpgradeSteps } from './post-upgrade.js';
import { upgradeRunSteps } from './stages.js';
import { manualStep, paragraph, procedureStep } from './step.js';
import type { StepDef } from './types.js';

/** The whole procedure in runbook order; `after` are the steps its prerequisites wait for. */
export function upgradeProcedure(context: UpgradeContext, after: readonly string[]): StepDef[] {
  const pre = [
    prerequisites(context, after),
    scaleDown(context),
    restartCanton(context),
    takeSnapshot(context),
  ];
  const run = upgradeRunSteps(context, `${context.group}.snapshot`);
  const lastStage = run[run.length - 1]?.id ?? `${context.group}.run`;
  return [...pre, ...run, ...postUpgradeSteps(context, lastStage)];
}

function prerequisites(context: UpgradeContext, after: readonly string[]): StepDef {
  const { env, config } = context;
  const approval =
    context.environment === 'production'
      ? 'the staging smoke test passed and Product approved production'
      : 'Product is ready to smoke-test staging';
  return manualStep({
    ...procedureStep(context, 'prerequisites'),
    title: 'Check upgrade prerequisites',
    section: '3',
    anchor: 'Prerequisites',
    guidance: paragraph(
      `Before touching ${env.label}, confirm that ${approval}, that the kube context \`${env.kubeContext}\` works, and that you can reach RDS for the snapshot.`,
      'lendos-eks-workloads must be cloned and current, and the upgrade images from 1.4 must be in ECR with known tags (e.g. `v0.1.93.0.1.92.1-init` and `-runner`).',
      'A gap found halfway through keeps the services down for longer than needed.',
    ),
    commands: [
      `kubectl config get-contexts ${shellWord(env.kubeContext)}`,
      `aws rds describe-db-clusters --db-cluster-identifier ${shellWord(context.cantonCluster)} ${rdsFlags(env)} --query 'DBClusters[0].Status'`,
      `git -C ${shellWord(config.repositories.workloadsPath)} pull origin main`,
      ecrImagesCommand(config, config.ecr.upgradeRepository, 'imageDetails[*].imageTags'),
    ],
    success: 'Approval, kube context, RDS access, the workloads clone and both upgrade images are confirmed.',
    dependsOn: after,
  });
}

function scaleDown(context: UpgradeContext): StepDef {
  const { env } = context;
  const names = [...env.services]
    .reverse()
    .map((service) => `\`${service.deployment}\``)
    .join(', ');
  return manualStep({
    ...procedureStep(context, 'scale-down'),
    title: 'Scale down services',
    section: '3.1.1',
    anchor: '3.1.1 Scale Down Services',
    guidance: paragraph(
      `Scale ${names} to zero replicas in \`${env.kubeContext}\`, so that nothing writes contracts while they are migrated.`,
      'Wait until every pod has terminated, not just until the commands return.',
      'An Argo CD application with automated sync and self-heal scales them straight back up: turn that off first.',
    ),
    commands: [...scaleDownCommands(env), ...getPodsCommands(env)],
    success: 'Every listed deployment is at 0 replicas and no pods remain in their namespaces.',
    dependsOn: [`${context.group}.prerequisites`],
  });
}

function restartCanton(context: UpgradeContext): StepDef {
  const { env } = context;
  const { participant, domain } = env.canton;
  return manualStep({
    ...procedureStep(context, 'canton-restart'),
    title: 'Restart Canton',
    section: '3.1.2',
    anchor: '3.1.2 Optional: Restart Canton (Performance Optimization)',
    guidance: paragraph(
      'Optional: delete the Canton participant and domain pods so that they restart with a clean heap, which frees garbage-collector space and can speed up the upgrade.',
      'Wait until both are Ready again before taking the snapshot.',
    ),
    commands: [
      deleteCantonPodsCommand(env, participant),
      deleteCantonPodsCommand(env, domain),
      waitCantonReadyCommand(env, participant),
      waitCantonReadyCommand(env, domain),
    ],
    success: 'The Canton participant and domain pods are back and Ready.',
    optional: true,
    dependsOn: [`${context.group}.scale-down`],
  });
}

function takeSnapshot(context: UpgradeContext): StepDef {
  const { env, cantonCluster } = context;
  const name = snapshotNamePattern(context.version);
  return manualStep({
    ...procedureStep(context, 'snapshot'),
    title: 'Take RDS snapshot',
    section: '3.1.3',
    anchor: '3.1.3 Take RDS Snapshot',
    guidance: paragraph(
      `Snapshot the Canton Aurora cluster \`${cantonCluster}\` as \`${name}\` (time in UTC; dashes, because RDS identifiers cannot hold dots).`,
      'This snapshot is the rollback point, the only way back if the upgrade damages ledger data, so it is never skipped.',
      'Do not start the upgrade until its status is `available`; a large cluster can take longer than the 30 minutes `aws rds wait` allows.',
    ),
    commands: [
      `aws rds create-db-cluster-snapshot --db-cluster-identifier ${shellWord(cantonCluster)} --db-cluster-snapshot-identifier ${name} ${rdsFlags(env)}`,
      `aws rds describe-db-cluster-snapshots --db-cluster-snapshot-identifier ${name} ${rdsFlags(env)} --query 'DBClusterSnapshots[0].Status'`,
    ],
    success: `Snapshot \`${name}\` of \`${cantonCluster}\` has status "available".`,
    dependsOn: [`${context.group}.scale-down`, `${context.group}.canton-restart`],
  });
}
