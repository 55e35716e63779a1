/** Section 3.3, after the stages: Argo CD sync, scale up, validate. */
import {
  argoSyncCommands,
  backendLogCommands,
  getDeploymentsCommands,
  getPodsCommands,
  portalServices,
  scaleUpCommands,
} from './commands.js';
import type { UpgradeContext } from './context.js';
import { manualStep, paragraph, procedureStep } from './step.js';
import type { StepDef } from './types.js';

export function postUpgradeSteps(context: UpgradeContext, lastStage: string): StepDef[] {
  return [argoSync(context, lastStage), scaleUp(context), validate(context)];
}

function code(values: readonly string[]): string {
  return values.length === 0 ? '(none configured)' : values.map((value) => `\`${value}\``).join(' and ');
}

function argoSync(context: UpgradeContext, after: string): StepDef {
  const { env } = context;
  return manualStep({
    ...procedureStep(context, 'argocd-sync'),
    title: 'Sync Argo CD applications',
    section: '3.3.1',
    anchor: '3.3.1 Sync ArgoCD Applications',
    guidance: paragraph(
      `Sync ${code(env.argoApplications)} so that Argo CD deploys the images named in the merged values-tags, pruning resources that are gone from git.`,
      'Wait until each application is both Synced and Healthy.',
      `The \`argocd\` CLI talks to the Argo CD server it is logged in to, not to your kube context: check that it is ${env.label}'s.`,
    ),
    commands: argoSyncCommands(env),
    success: 'Each application is Synced and Healthy.',
    dependsOn: [after],
  });
}

function scaleUp(context: UpgradeContext): StepDef {
  const { env } = context;
  const counts = env.services.map((service) => `${service.deployment} ${service.replicas}`).join(', ');
  return manualStep({
    ...procedureStep(context, 'scale-up'),
    title: 'Scale up services',
    section: '3.3.2',
    anchor: '3.3.2 Scale Up Services',
    guidance: paragraph(
      `Restore the configured replica counts (${counts}), the services the portals depend on first.`,
      'The Argo CD sync may already have scaled some of them up: check the deployments and scale only what is still at zero.',
    ),
    commands: [...scaleUpCommands(env), ...getPodsCommands(env), ...getDeploymentsCommands(env)],
    success: 'Every deployment has its configured number of replicas available.',
    dependsOn: [`${context.group}.argocd-sync`],
  });
}

function validate(context: UpgradeContext): StepDef {
  const { env } = context;
  const portals = portalServices(env).map((service) => service.deployment);
  return manualStep({
    ...procedureStep(context, 'validate'),
    title: 'Validate services',
    section: '3.3.3',
    anchor: '3.3.3 Validate Services',
    guidance: paragraph(
      'Check that every pod is Running with all its containers Ready.',
      `Read the startup logs of the ${code(portals)} backends: they should connect to the ledger and see the new DARs, without errors.`,
      'This is the current, thin validation ("the backends started"); a before/after PQS contract count comparison is planned.',
      'Anything odd goes to Recovery before Product starts smoke testing.',
    ),
    commands: [...getPodsCommands(env), ...backendLogCommands(env)],
    success:
      'All pods are Running and Ready, and the backend logs show the ledger connection and the new DARs with no errors.',
    dependsOn: [`${context.group}.scale-up`],
  });
}
