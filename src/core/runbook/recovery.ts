/** Section 3.4, troubleshooting and recovery: guides for whichever environment is in trouble. */
import { releaseBranch } from '../names.js';
import {
  backendLogCommands,
  cantonLogsCommand,
  chartDirectoryCommand,
  forEnvironment,
  runUpgradeCommand,
  stageLogsCommand,
} from './commands.js';
import { UPGRADE_ENVIRONMENTS, upgradeContext, type RunbookContext, type UpgradeContext } from './context.js';
import { manualStep, paragraph, type StepInput } from './step.js';
import type { StepDef } from './types.js';

export function recoverySteps(context: RunbookContext): StepDef[] {
  const environments = UPGRADE_ENVIRONMENTS.map((environment) => upgradeContext(context, environment));
  const perEnvironment = (lines: (each: UpgradeContext) => string[]): string[] =>
    environments.flatMap((each) => forEnvironment(each.env, lines(each)));
  return [
    stageFailure(perEnvironment),
    servicesWontStart(perEnvironment),
    ...environments.map(restartBackends),
    dataValidation(),
    fixForward(context),
  ];
}

function restartBackends({ env, environment, config }: UpgradeContext): StepDef {
  return manualStep({
    id: `${environment}.recovery.restart-backends`,
    phase: 'recovery',
    environment,
    group: 'recovery',
    section: '3.4',
    anchor: "Issue: Services won't start after upgrade",
    title: `Restart the backends on old DARs (${env.label})`,
    guidance: paragraph(
      `A backend that started before the upgrade finished still has the old DARs: LendOS finds the backends of ${env.label} whose log shows no DARs of the new version and restarts only those (\`kubectl rollout restart\`).`,
      'It waits until their new pods are Ready.',
    ),
    commands: config.validation.backends.map(
      (backend) => `kubectl rollout restart deployment ${backend.deployment} --context=${env.kubeContext} -n ${backend.namespace}`,
    ),
    success: 'Every backend runs a pod started after the upgrade, Ready, with the new DARs.',
    optional: true,
    dependsOn: [],
  });
}

type PerEnvironment = (lines: (each: UpgradeContext) => string[]) => string[];

function recoveryStep(
  input: Omit<StepInput, 'phase' | 'group' | 'section' | 'optional' | 'dependsOn'>,
): StepDef {
  return manualStep({
    ...input,
    phase: 'recovery',
    group: 'recovery',
    section: '3.4',
    optional: true,
    dependsOn: [],
  });
}

function stageFailure(perEnvironment: PerEnvironment): StepDef {
  return recoveryStep({
    id: 'recovery.stage-failure',
    title: 'Upgrade stage fails',
    anchor: 'Issue: Upgrade stage fails',
    guidance: paragraph(
      "Read the failed stage's Job logs to find the cause; timeouts, connection problems and data validation errors are the usual ones.",
      'Fix the cause if you can, then rerun only that stage: the Helm chart is idempotent, and the earlier stages need not run again.',
      'Keep the services scaled down until every stage has completed.',
    ),
    commands: perEnvironment(({ env, config, upgradeArgument }) => [
      stageLogsCommand(env, '<stage-name>', { follow: false, prefix: true }),
      chartDirectoryCommand(config),
      runUpgradeCommand(upgradeArgument, '<stage-name>'),
    ]),
    success: 'The failed stage reruns to completion and the remaining stages follow.',
  });
}

function servicesWontStart(perEnvironment: PerEnvironment): StepDef {
  return recoveryStep({
    id: 'recovery.services-wont-start',
    title: "Services won't start after the upgrade",
    anchor: "Issue: Services won't start after upgrade",
    guidance: paragraph(
      'Look for DAR loading errors in the backend logs, confirm that all seven upgrade stages completed, and check that the Canton participant is healthy.',
      'Scaling up again does not help until the cause is found.',
    ),
    commands: perEnvironment(({ env }) => [
      ...backendLogCommands(env),
      cantonLogsCommand(env, env.canton.participant),
    ]),
    success: 'The cause is found and the services start, Running and Ready.',
  });
}

function dataValidation(): StepDef {
  return recoveryStep({
    id: 'recovery.data-validation',
    title: 'Data validation fails',
    anchor: 'Issue: Data validation fails',
    guidance: paragraph(
      "Count the contracts in PQS by hand and compare them with the counts before the upgrade; PQS is PostgreSQL, and `active('Module:Template')` returns a template's active contracts.",
      'Agree with the product team on the specific data problem.',
      'It is usually resolved by fixing forward with an additional migration, not by a rollback.',
    ),
    commands: [
      `psql "<PQS connection string>" -c "select package_version, count(*) from active('<Module:Template>') group by 1"`,
    ],
    success: 'The data problem is understood and a fix is agreed with Product.',
  });
}

function fixForward(context: RunbookContext): StepDef {
  const hotfix = context.version.nextHotfix();
  return recoveryStep({
    id: 'recovery.fix-forward',
    title: 'Fix forward',
    anchor: 'Preferred: Fix-Forward',
    guidance: paragraph(
      'Prefer fixing forward: upgraded contracts cannot simply be turned back, so a fix usually costs less than a rollback.',
      `Identify the issue, make the fix on a hotfix branch (the next hotfix of this release is ${hotfix.format()}), then build and deploy it by following this runbook for that version.`,
      'A contract-related fix may need an additional migration step of its own.',
    ),
    commands: ['git checkout main', 'git pull origin main', `git checkout -b ${releaseBranch(hotfix)}`],
    success: `The fix is released as ${hotfix.format()} and verified.`,
  });
}
