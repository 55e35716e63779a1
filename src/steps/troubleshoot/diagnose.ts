/**
 * Diagnoses a failed step of the upgrade (Section 3.4's "Common Issues") by looking at the environment read-only:
 * a failed stage — its Job's conditions, its pods' last lines, their events; services that won't start — the
 * backends' DAR lines (which still run the old DARs), the stages' completion, the participant's log; data validation —
 * PQS's counts before and after, per template. It changes nothing; the actions it offers are steps of their own.
 */
import { CalVer } from '../../core/calver.js';
import type { LendosConfig } from '../../core/config/types.js';
import { diagnosisKinds, type Diagnosis, type DiagnosisAction, type DiagnosisSection } from '../../core/diagnosis.js';
import { UserError, messageOf } from '../../core/errors.js';
import type { PlannedStep } from '../../core/plan.js';
import { rollbackStepId } from '../../core/runbook/rollback.js';
import { UPGRADE_STAGES, type UpgradeEnvironment } from '../../core/runbook/types.js';
import type { Kube, UpgradePorts } from '../../ports.js';
import { STAGE_LABEL } from '../upgrade/stages.js';

export interface DiagnoseInput {
  readonly version: string;
  readonly config: LendosConfig;
  readonly plan: readonly PlannedStep[];
  readonly ports: UpgradePorts;
}

const LOG_LINES = 40;
const DAR_LINE = /DAR|ERROR|Exception|FAILED|WARN/;

function planned(input: DiagnoseInput, id: string): PlannedStep | undefined {
  return input.plan.find((p) => p.step.id === id);
}

async function stageSection(kube: Kube, context: string, namespace: string, stage: string): Promise<DiagnosisSection[]> {
  const selector = `${STAGE_LABEL}=${stage}`;
  const [jobs, logs] = await Promise.all([kube.listJobs(context, namespace, selector), kube.tailPodLogs(context, namespace, selector, LOG_LINES)]);
  const events = await kube.listEvents(context, namespace, jobs.map((j) => j.name));
  const conditions = jobs.flatMap((j) => j.conditions.map((c) => `${j.name}: ${c.type}=${c.status}${c.reason ? ` (${c.reason})` : ''}${c.message ? ` — ${c.message}` : ''}`));
  return [
    { heading: `Job of stage ${stage}`, notes: jobs.length === 0 ? [`No Job of stage ${stage} in ${namespace}: it was deleted, or never created.`] : [], lines: conditions },
    ...logs.map((pod) => ({ heading: `Last lines of pod ${pod.pod}`, lines: pod.lines.slice(-LOG_LINES) })),
    { heading: 'Events', lines: events.map((e) => `${e.lastTime ?? ''} ${e.type} ${e.reason} ${e.object}: ${e.message}${e.count > 1 ? ` (×${e.count})` : ''}`), notes: events.length === 0 ? ['No events (Kubernetes keeps them for an hour).'] : [] },
  ];
}

function failedStage(input: DiagnoseInput, environment: UpgradeEnvironment): string | undefined {
  return UPGRADE_STAGES.find((stage) => planned(input, `${environment}.upgrade.stage.${stage}`)?.state.status === 'failed');
}

async function servicesSections(input: DiagnoseInput, environment: UpgradeEnvironment, to: string | undefined): Promise<{ sections: DiagnosisSection[]; stale: string[] }> {
  const env = input.config.environments[environment];
  const kube = await input.ports.kube();
  const stale: string[] = [];
  const sections: DiagnosisSection[] = [];
  for (const backend of input.config.validation.backends) {
    const pods = await kube.tailDeploymentLogs(env.kubeContext, backend.namespace, backend.deployment, 300);
    const lines = pods.flatMap((p) => p.lines.filter((l) => DAR_LINE.test(l)).slice(-10).map((l) => `${p.pod}: ${l}`));
    const onNew = to !== undefined && pods.length > 0 && pods.every((p) => p.lines.some((l) => /DAR/.test(l) && l.includes(to)));
    if (to !== undefined && pods.length > 0 && !onNew) stale.push(`${backend.namespace}/${backend.deployment}`);
    const note = pods.length === 0 ? 'No running pod.' : to === undefined ? '' : onNew ? `Every pod loaded the DARs of ${to}.` : `Not every pod shows the DARs of ${to}: a backend started before the upgrade still has the old DARs.`;
    sections.push({ heading: `Backend ${backend.namespace}/${backend.deployment}: DAR lines`, notes: note ? [note] : [], lines });
  }
  const stages = UPGRADE_STAGES.map((stage) => `${stage.padEnd(26)} ${planned(input, `${environment}.upgrade.stage.${stage}`)?.state.status ?? 'pending'}`);
  sections.push({ heading: 'Upgrade stages', lines: stages });
  const participant = env.canton.participant;
  const logs = await kube.tailPodLogs(env.kubeContext, participant.namespace, participant.selector, 100);
  sections.push(...logs.map((pod) => ({ heading: `Canton participant ${pod.pod}`, lines: pod.lines.slice(-30) })));
  return { sections, stale };
}

function pqsSection(input: DiagnoseInput, stepId: string): DiagnosisSection {
  const comparison = planned(input, stepId)?.state.evidence['pqsComparison'] as { rows?: { template: string; before: number | null; after: number | null; difference: number | null }[] } | undefined;
  const rows = comparison?.rows ?? [];
  const width = Math.max(8, ...rows.map((r) => r.template.length));
  const lines = [`${'template'.padEnd(width)}  before   after    diff`, ...rows.map((r) => `${r.template.padEnd(width)}  ${String(r.before ?? '—').padStart(6)}  ${String(r.after ?? '—').padStart(6)}  ${String(r.difference ?? '—').padStart(6)}`)];
  return {
    heading: 'PQS contract counts, before and after',
    notes: [rows.length === 0 ? 'Validation recorded no comparison (PQS not configured, or no counts from before the upgrade).' : 'Agree with the product team on the data problem; it is usually fixed forward with an additional migration, not rolled back.'],
    lines: rows.length === 0 ? [] : lines,
  };
}

function upgradeTo(input: DiagnoseInput): string | undefined {
  const to = planned(input, 'prep.upgrade-branch')?.state.evidence['to'];
  return typeof to === 'string' ? to : undefined;
}

/** The diagnosis of a failed step; a UserError when the step did not fail or LendOS has none for it. */
export async function diagnose(input: DiagnoseInput, stepId: string): Promise<Diagnosis> {
  const step = planned(input, stepId);
  if (!step) throw new UserError(`There is no step ${stepId} in release ${input.version}: see lendos plan for the ids.`, 'unknown-step');
  const kinds = diagnosisKinds(stepId, step.state.evidence);
  if (kinds.length === 0 || (step.state.status !== 'failed' && step.state.status !== 'cancelled')) {
    throw new UserError(`${stepId} has not failed, or is not a step of the upgrade: LendOS diagnoses a failed stage, scale-up or validation.`, 'nothing-to-diagnose');
  }
  const environment = stepId.startsWith('production.') ? 'production' : 'staging';
  const env = input.config.environments[environment];
  const sections: DiagnosisSection[] = [];
  const actions: DiagnosisAction[] = [];
  try {
    if (kinds.includes('stage-failed')) {
      const stage = failedStage(input, environment) ?? (stepId.includes('.stage.') ? stepId.split('.stage.')[1] : undefined);
      if (stage) {
        sections.push(...(await stageSection(await input.ports.kube(), env.kubeContext, env.upgradeNamespace, stage)));
        actions.push({ kind: 'rerun-stage', step: `${environment}.upgrade.stage.${stage}`, stage }, { kind: 'show-stage-log', step: `${environment}.upgrade.stage.${stage}` });
      }
    }
    if (kinds.includes('services-wont-start')) {
      const { sections: found, stale } = await servicesSections(input, environment, stepId.includes('.rollback.') ? undefined : upgradeTo(input));
      sections.push(...found);
      if (stale.length > 0) actions.push({ kind: 'restart-backends', step: `${environment}.recovery.restart-backends` });
    }
  } catch (error) {
    sections.push({ heading: `Could not look at ${env.label}`, notes: [messageOf(error)] });
  }
  if (kinds.includes('data-validation')) sections.push(pqsSection(input, stepId));
  const hotfix = CalVer.parse(input.version).nextHotfix().format();
  actions.push({ kind: 'fix-forward', hotfix, of: input.version }, { kind: 'rollback', step: rollbackStepId(environment, 'stop-services') });
  const what = { 'stage-failed': 'an upgrade stage failed', 'services-wont-start': "services won't start", 'data-validation': 'data validation failed' };
  return { step: stepId, kinds, title: `${env.label}: ${kinds.map((k) => what[k]).join(', ')} (${step.step.title})`, sections, actions };
}
