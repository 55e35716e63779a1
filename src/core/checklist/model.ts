/**
 * What the release checklist shows, built from the plan: every phase with its progress, every step with its state, who
 * did it and when, its duration against the runbook's typical time, its evidence as label/value rows, an upgrade run's
 * stages, validation's table, a failure's cause and last log lines, and the actions the tree offers for it. Pure and
 * plain data (it crosses into the webview as JSON); every string from outside is neutralised here.
 */
import { flowTitle } from '../flows.js';
import type { JsonValue } from '../journal/types.js';
import { aggregateStatus, durationOf, phaseSteps, progressOf, stepAbilities, type DisplayStatus, type PlannedStep } from '../plan.js';
import type { PhaseDef } from '../runbook/types.js';
import { neutralise, neutraliseLine } from '../text.js';
import type { ChecklistAction } from './protocol.js';

export interface EvidenceRow {
  readonly label: string;
  readonly value: string;
  readonly link?: string;
}

export interface ChecklistStage {
  readonly id: string;
  readonly stage: string;
  readonly status: DisplayStatus;
  readonly durationMs?: number;
  readonly pods?: number;
  readonly progress?: string;
}

export interface ChecklistStep {
  readonly id: string;
  readonly section: string;
  readonly title: string;
  readonly status: DisplayStatus;
  readonly kind: string;
  readonly optional: boolean;
  readonly by?: string;
  readonly startedAt?: string;
  readonly durationMs?: number;
  readonly typicalMinutes?: number;
  readonly attempts: number;
  readonly markedByHand: boolean;
  readonly progress?: string;
  readonly message?: string;
  readonly evidence: readonly EvidenceRow[];
  readonly stages: readonly ChecklistStage[];
  readonly validation: readonly { readonly check: string; readonly target: string; readonly status: string; readonly detail: string }[];
  readonly lastLines: readonly string[];
  readonly blockedBy: readonly string[];
  readonly actions: readonly ChecklistAction[];
}

export interface ChecklistPhase {
  readonly id: string;
  readonly title: string;
  readonly status: DisplayStatus;
  readonly done: number;
  readonly total: number;
  readonly durationMs?: number;
  readonly steps: readonly ChecklistStep[];
}

export interface ChecklistModel {
  readonly version: string;
  /** `Release 2025.4.0`, or `Dev sync`. */
  readonly title: string;
  readonly now: string;
  readonly done: number;
  readonly total: number;
  readonly startedAt?: string;
  readonly elapsedMs?: number;
  readonly phases: readonly ChecklistPhase[];
}

/** The runbook's typical durations, shown beside the measured ones. */
export const TYPICAL = { release: '2–3 h', stagingUpgrade: '30–45 min', productionUpgrade: '1–1.5 h' } as const;

const SKIPPED_EVIDENCE = new Set(['validation', 'lastLines', 'tags', 'uid', 'pods', 'preflight', 'identity', 'owner']);
const MAX_ROWS = 12;

const line = (value: string | undefined): string | undefined => (value ? neutraliseLine(value).slice(0, 500) : undefined);
const isRecord = (value: JsonValue | undefined): value is Record<string, JsonValue> => typeof value === 'object' && value !== null && !Array.isArray(value);

function scalar(value: JsonValue): string | undefined {
  if (typeof value === 'string') return /^[0-9a-f]{40}$/.test(value) ? value.slice(0, 12) : value;
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number')) return value.join(', ');
  return undefined;
}

/** The step's evidence as rows: image tags with digests first, then the scalars (links where the journal has them). */
export function evidenceRows(evidence: Record<string, JsonValue>): EvidenceRow[] {
  const rows: EvidenceRow[] = [];
  const tags = evidence['tags'];
  if (isRecord(tags)) {
    for (const [service, found] of Object.entries(tags)) {
      const tag = isRecord(found) ? scalar(found['tag'] ?? '') : scalar(found);
      const digest = isRecord(found) && typeof found['digest'] === 'string' ? ` (${found['digest'].slice(0, 19)})` : '';
      if (tag) rows.push({ label: neutraliseLine(service), value: neutraliseLine(`${tag}${digest}`) });
    }
  }
  const url = typeof evidence['url'] === 'string' ? evidence['url'] : typeof evidence['prUrl'] === 'string' ? evidence['prUrl'] : undefined;
  for (const [key, value] of Object.entries(evidence)) {
    if (SKIPPED_EVIDENCE.has(key) || key === 'url' || key === 'prUrl') continue;
    const shown = scalar(value);
    if (shown === undefined || shown === '') continue;
    const row = { label: neutraliseLine(key), value: neutraliseLine(key === 'pr' ? `#${shown}` : shown).slice(0, 300) };
    rows.push(key === 'pr' && url ? { ...row, link: url } : row);
  }
  if (url && !rows.some((r) => r.link)) rows.push({ label: 'link', value: neutraliseLine(url), link: url });
  return rows.slice(0, MAX_ROWS);
}

function validationRows(evidence: Record<string, JsonValue>): ChecklistStep['validation'] {
  const validation = evidence['validation'];
  const rows = isRecord(validation) && Array.isArray(validation['rows']) ? validation['rows'] : [];
  return rows.filter(isRecord).map((r) => ({
    check: neutraliseLine(String(r['check'] ?? '')),
    target: neutraliseLine(String(r['target'] ?? '')),
    status: neutraliseLine(String(r['status'] ?? '')),
    detail: neutraliseLine(String(r['detail'] ?? '')).slice(0, 300),
  }));
}

/** The tree's actions for a step: the same abilities its context menu offers. */
export function actionsOf(planned: PlannedStep): ChecklistAction[] {
  const can = stepAbilities(planned);
  const actions: ChecklistAction[] = [];
  if (can.run) actions.push('run');
  if (can.diagnose) actions.push('diagnose');
  if (can.markDone) actions.push('markDone');
  if (can.skip) actions.push('skip');
  if (can.reset) actions.push('reset');
  if (planned.step.stage) actions.push('showLog');
  actions.push('showGuidance', 'openRunbook');
  return actions;
}

function checklistStep(planned: PlannedStep, plan: readonly PlannedStep[], now: Date): ChecklistStep {
  const { step, state } = planned;
  const evidence = state.evidence;
  const lastLines = Array.isArray(evidence['lastLines']) ? evidence['lastLines'].filter((l): l is string => typeof l === 'string') : [];
  const stages = plan.filter((p) => p.step.parent === step.id);
  const title = (id: string) => plan.find((p) => p.step.id === id)?.step;
  return {
    id: step.id,
    section: step.section,
    title: step.title,
    status: planned.status,
    kind: step.kind,
    optional: step.optional,
    ...(state.actor && state.status !== 'pending' ? { by: neutraliseLine(state.actor).replace(/\s*<[^>]*>/g, '') } : {}),
    ...(state.startedAt ? { startedAt: state.startedAt } : {}),
    ...(state.startedAt ? { durationMs: durationOf(state, now) } : {}),
    ...(step.typicalMinutes ? { typicalMinutes: step.typicalMinutes } : {}),
    attempts: state.attempts,
    markedByHand: state.markedByHand,
    ...(line(state.progress) ? { progress: line(state.progress) } : {}),
    ...(state.message ? { message: neutralise(state.message).slice(0, 2_000) } : {}),
    evidence: evidenceRows(evidence),
    stages: stages.map((s) => ({
      id: s.step.id,
      stage: s.step.stage ?? s.step.title,
      status: s.status,
      ...(s.state.startedAt ? { durationMs: durationOf(s.state, now) } : {}),
      ...(typeof s.state.evidence['pods'] === 'number' ? { pods: s.state.evidence['pods'] } : {}),
      ...(line(s.state.progress) ? { progress: line(s.state.progress) } : {}),
    })),
    validation: validationRows(evidence),
    lastLines: planned.status === 'failed' ? lastLines.slice(-12).map((l) => neutraliseLine(l).slice(0, 400)) : [],
    blockedBy: planned.blockedBy.map((id) => { const s = title(id); return s ? `${s.section} ${s.title}` : id; }),
    actions: actionsOf(planned),
  };
}

/** The checklist of release `version` at `now`. Stages appear under their run, not as steps of their own. */
export function checklistModel(version: string, phases: readonly PhaseDef[], plan: readonly PlannedStep[], now: Date): ChecklistModel {
  const starts = plan.map((p) => p.state.startedAt).filter((t): t is string => Boolean(t)).sort();
  // Counted as the tree and the status bar count it: the runbook's phases, stages included.
  const { done, total } = progressOf(plan.filter((p) => p.step.phase !== 'recovery'));
  return {
    version,
    title: flowTitle(version),
    now: now.toISOString(),
    done,
    total,
    ...(starts[0] ? { startedAt: starts[0], elapsedMs: Math.max(0, now.getTime() - Date.parse(starts[0])) } : {}),
    phases: phases.map((phase) => {
      const steps = phaseSteps(plan, phase.id);
      const progress = progressOf(steps.filter((p) => !p.step.parent));
      const phaseStarts = steps.map((p) => p.state.startedAt).filter((t): t is string => Boolean(t)).sort();
      const ends = steps.map((p) => p.state.endedAt).filter((t): t is string => Boolean(t)).sort();
      const end = steps.some((p) => p.state.status === 'running') || !ends.at(-1) ? now.getTime() : Date.parse(ends.at(-1) as string);
      return {
        id: phase.id,
        title: phase.title,
        status: aggregateStatus(steps),
        ...progress,
        ...(phaseStarts[0] ? { durationMs: Math.max(0, end - Date.parse(phaseStarts[0])) } : {}),
        steps: steps.filter((p) => !p.step.parent).map((p) => checklistStep(p, plan, now)),
      };
    }),
  };
}
