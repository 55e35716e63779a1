/** Section 3.2: run the seven upgrade stages, one parent step and a child step per stage. */
import {
  chartDirectoryCommand,
  runUpgradeCommand,
  stageLogsCommand,
  upgradeJobsCommand,
} from './commands.js';
import type { UpgradeContext } from './context.js';
import { manualStep, paragraph, procedureStep } from './step.js';
import { UPGRADE_STAGES, type StepDef, type UpgradeEnvironment, type UpgradeStage } from './types.js';

/** The runbook's timeline for all stages; the split across stages is our estimate, weighted to `upgrade`. */
const TIMELINE: Record<UpgradeEnvironment, { text: string; minutes: Record<UpgradeStage, number> }> = {
  staging: {
    text: '30–45 minutes',
    minutes: {
      'upload-dars': 4,
      'init-upgrade-coordinator': 2,
      'initialize-upgraders': 6,
      'upgrade-consent': 4,
      upgrade: 18,
      'cleanup-upgraders': 4,
      'cleanup-coordinator': 2,
    },
  },
  production: {
    text: '1–1.5 hours',
    minutes: {
      'upload-dars': 8,
      'init-upgrade-coordinator': 4,
      'initialize-upgraders': 12,
      'upgrade-consent': 8,
      upgrade: 36,
      'cleanup-upgraders': 8,
      'cleanup-coordinator': 4,
    },
  },
};

/** Stages whose Job runs several pods at once (the runbook's "runs in parallel"). */
const PARALLEL: ReadonlySet<UpgradeStage> = new Set(['initialize-upgraders', 'upgrade', 'cleanup-upgraders']);

const STAGE_GUIDANCE: Record<UpgradeStage, string> = {
  'upload-dars': "Uploads the release's new DAR files to the ledger; no contract is changed yet.",
  'init-upgrade-coordinator': 'Creates the upgrade coordinator contract that the later stages work through.',
  'initialize-upgraders':
    'Creates the upgrader contracts, in several pods in parallel. Read the logs of every pod (prefixed with its name), not just the first.',
  'upgrade-consent':
    'Obtains the consent of every party to the upgrade. Nothing is migrated until all parties have consented.',
  upgrade:
    'Migrates the contracts to the new DAML version, in several pods in parallel. This is the longest stage and the one where timeouts show up; after fixing the cause, rerun only this stage.',
  'cleanup-upgraders': 'Removes the upgrader contracts, in several pods in parallel.',
  'cleanup-coordinator': 'Removes the upgrade coordinator contract; when it completes, the upgrade is done.',
};

export function upgradeRunSteps(context: UpgradeContext, after: string): StepDef[] {
  const run = runStep(context, after);
  const stages = UPGRADE_STAGES.map((stage, index) =>
    stageStep(context, stage, index === 0 ? after : `${context.group}.stage.${UPGRADE_STAGES[index - 1]}`),
  );
  return [run, ...stages];
}

/** The parent of the stages; its duration is theirs, so it carries no `typicalMinutes` of its own. */
function runStep(context: UpgradeContext, after: string): StepDef {
  const { env, upgradeArgument } = context;
  return manualStep({
    ...procedureStep(context, 'run'),
    title: 'Run the seven upgrade stages',
    section: '3.2',
    anchor: '3.2 Execute DAML Upgrade',
    guidance: paragraph(
      `From \`charts/daml-upgrade\` in lendos-eks-workloads, \`run-upgrade.sh --from <from> --to <to> ${upgradeArgument}\` runs the seven stages in order as Helm Jobs in the namespace \`${env.upgradeNamespace}\`.`,
      '`<from>` and `<to>` are the DAML package versions before and after the upgrade (e.g. 0.1.92 and 0.1.93).',
      'The chart is idempotent: after a failure, fix the cause and rerun only the failed stage with `--stage`.',
      `All stages together typically take ${TIMELINE[context.environment].text} in ${env.label}.`,
    ),
    commands: [
      chartDirectoryCommand(context.config),
      runUpgradeCommand(upgradeArgument),
      upgradeJobsCommand(env),
    ],
    success: 'The Jobs of all seven stages are Complete.',
    dependsOn: [after],
  });
}

function stageStep(context: UpgradeContext, stage: UpgradeStage, after: string): StepDef {
  const { env, upgradeArgument } = context;
  const number = UPGRADE_STAGES.indexOf(stage) + 1;
  return manualStep({
    ...procedureStep(context, `stage.${stage}`),
    title: stage,
    section: '3.2',
    anchor: 'What Happens: The 7 Stages',
    guidance: paragraph(
      `Stage ${number} of 7. ${STAGE_GUIDANCE[stage]}`,
      `To run or rerun it alone: \`run-upgrade.sh --from <from> --to <to> ${upgradeArgument} --stage ${stage}\`.`,
    ),
    commands: [
      chartDirectoryCommand(context.config),
      runUpgradeCommand(upgradeArgument, stage),
      stageLogsCommand(env, stage, { follow: true, prefix: PARALLEL.has(stage) }),
    ],
    success: `The ${stage} Job in \`${env.upgradeNamespace}\` is Complete.`,
    dependsOn: [after],
    parent: `${context.group}.run`,
    stage,
    typicalMinutes: TIMELINE[context.environment].minutes[stage],
  });
}
