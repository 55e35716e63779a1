/**
 * The release report: the journal as the release's audit record — each phase's steps with who did them, when and how
 * long, their key evidence, the approvals, the built tags, failures and reruns, and a timeline. Markdown for people
 * (a file, a PR comment) and JSON for tools. Pure: the journal's events and the plan in, text out. Everything that
 * came from outside (messages, evidence, actors) is made inert: no escapes, no links, no HTML.
 */
import type { JournalEvent, JsonValue } from './journal/types.js';
import type { PlannedStep } from './plan.js';
import type { PhaseDef } from './runbook/types.js';
import { escapeMarkdown, neutraliseLine } from './text.js';
import { flowTitle } from './flows.js';
import { BUILT_TAGS_STEP } from './values-tags/facts.js';

export interface ReportInput {
  readonly version: string;
  readonly phases: readonly PhaseDef[];
  readonly plan: readonly PlannedStep[];
  readonly events: readonly JournalEvent[];
}

export interface ReportStep {
  readonly id: string;
  readonly section: string;
  readonly title: string;
  readonly phase: string;
  readonly status: string;
  readonly by?: string;
  readonly startedAt?: string;
  readonly endedAt?: string;
  readonly durationMs?: number;
  readonly attempts: number;
  readonly markedByHand: boolean;
  readonly summary?: string;
  readonly evidence: Record<string, JsonValue>;
}

export interface ReportJson {
  readonly version: string;
  readonly startedAt?: string;
  readonly startedBy?: string;
  readonly lastEventAt?: string;
  /** Fix-forward links between releases (Section 3.4). */
  readonly hotfix?: string;
  readonly hotfixOf?: string;
  readonly done: number;
  readonly total: number;
  readonly steps: readonly ReportStep[];
  readonly failures: readonly { readonly time: string; readonly step: string; readonly by: string; readonly message: string }[];
}

const text = (value: string | undefined): string => escapeMarkdown(neutraliseLine(value ?? ''));
/** A person's name without their e-mail address. */
const person = (actor: string | undefined): string => text(neutraliseLine(actor ?? '').replace(/\s*<[^>]*>/g, ''));
const firstLine = (value: string | undefined): string => (value ?? '').split(/\r?\n/)[0] ?? '';
const durationOf = (start?: string, end?: string): number | undefined =>
  start && end ? Math.max(0, Date.parse(end) - Date.parse(start)) : undefined;

export function formatDuration(ms: number | undefined): string {
  if (ms === undefined) return '';
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return `${Math.max(1, Math.round(ms / 1000))}s`;
  return minutes < 60 ? `${minutes}m` : `${Math.floor(minutes / 60)}h ${minutes % 60}m`;
}

export function reportJson(input: ReportInput): ReportJson {
  const steps = input.plan.map((p): ReportStep => {
    const { step, state } = p;
    const durationMs = durationOf(state.startedAt, state.endedAt);
    return {
      id: step.id,
      section: step.section,
      title: step.title,
      phase: step.phase,
      status: p.status,
      ...(state.actor && state.status !== 'pending' ? { by: neutraliseLine(state.actor) } : {}),
      ...(state.startedAt ? { startedAt: state.startedAt } : {}),
      ...(state.endedAt ? { endedAt: state.endedAt } : {}),
      ...(durationMs !== undefined ? { durationMs } : {}),
      attempts: state.attempts,
      markedByHand: state.markedByHand,
      ...(state.message ? { summary: neutraliseLine(firstLine(state.message)) } : {}),
      evidence: state.evidence,
    };
  });
  const failures = input.events
    .filter((e) => e.type === 'step.failed' && e.step)
    .map((e) => ({ time: e.time, step: e.step ?? '', by: neutraliseLine(e.actor), message: neutraliseLine(firstLine(e.message)) }));
  const first = input.events[0];
  const last = input.events.at(-1);
  const required = input.plan.filter((p) => !p.step.optional && !p.step.parent);
  const links: { hotfix?: string; hotfixOf?: string } = {};
  for (const event of input.events.filter((e) => e.type === 'release.linked')) {
    for (const key of ['hotfix', 'hotfixOf'] as const) {
      const value = event.data?.[key];
      if (typeof value === 'string') links[key] = neutraliseLine(value);
    }
  }
  return {
    version: input.version,
    ...links,
    ...(first ? { startedAt: first.time, startedBy: neutraliseLine(first.actor) } : {}),
    ...(last ? { lastEventAt: last.time } : {}),
    done: required.filter((p) => p.status === 'succeeded' || p.status === 'skipped').length,
    total: required.length,
    steps,
    failures,
  };
}

/** The one piece of evidence that says the most about a step, as inert text. */
function keyEvidence(evidence: Record<string, JsonValue>): string {
  const parts: string[] = [];
  for (const key of ['pr', 'branch', 'commit', 'mergeSha', 'snapshotId', 'headline', 'note']) {
    const value = evidence[key];
    if (typeof value !== 'string' && typeof value !== 'number') continue;
    const shown = key === 'pr' ? `PR #${value}` : /^[0-9a-f]{40}$/.test(String(value)) ? String(value).slice(0, 7) : String(value);
    parts.push(shown);
  }
  return parts.slice(0, 3).join(', ');
}

function stepRows(steps: readonly ReportStep[]): string[] {
  const rows = steps
    .filter((s) => s.status !== 'ready' && s.status !== 'blocked' || !s.id.includes('.stage.'))
    .map((s) => {
      const by = s.by ? `${person(s.by)}${s.markedByHand ? ' (by hand)' : ''}` : '';
      const when = s.startedAt ? s.startedAt.slice(0, 16).replace('T', ' ') : '';
      const rerun = s.attempts > 1 ? ` (${s.attempts} runs)` : '';
      return `| ${s.section} | ${text(s.title)} | ${s.status}${rerun} | ${by} | ${when} | ${formatDuration(s.durationMs)} | ${text(keyEvidence(s.evidence))} |`;
    });
  return ['| § | Step | Status | By | Started (UTC) | Took | Evidence |', '|---|---|---|---|---|---|---|', ...rows];
}

function builtTags(steps: readonly ReportStep[]): string[] {
  const tags = steps.find((s) => s.id === BUILT_TAGS_STEP)?.evidence['tags'];
  if (!tags || typeof tags !== 'object' || Array.isArray(tags)) return [];
  const rows = Object.entries(tags).map(([service, found]) => {
    const record = found && typeof found === 'object' && !Array.isArray(found) ? found : {};
    return `| ${text(service)} | ${text(String(record['tag'] ?? ''))} | ${text(String(record['digest'] ?? '').slice(0, 19))} |`;
  });
  return ['## Built image tags (2.2)', '', '| Service | Tag | Digest |', '|---|---|---|', ...rows, ''];
}

function failureLines(json: ReportJson): string[] {
  if (json.failures.length === 0) return [];
  const title = (id: string) => json.steps.find((s) => s.id === id)?.title ?? id;
  const lines = json.failures.map((f) => `- ${f.time.slice(0, 16).replace('T', ' ')} — ${text(title(f.step))}: ${text(f.message)} (${person(f.by)})`);
  return ['## Failures and reruns', '', ...lines, ''];
}

export function reportMarkdown(input: ReportInput): string {
  const json = reportJson(input);
  const span = formatDuration(durationOf(json.startedAt, json.lastEventAt));
  const out = [
    `# ${flowTitle(input.version)}`,
    '',
    `Started ${json.startedAt?.slice(0, 16).replace('T', ' ') ?? '—'} UTC by ${json.startedBy ? person(json.startedBy) : '—'}; ` +
      `${json.done} of ${json.total} steps done${span ? `; ${span} from the first event to the last` : ''}.`,
    '',
    ...(json.hotfixOf ? [`Hotfix release: fixes ${text(json.hotfixOf)} forward.`, ''] : []),
    ...(json.hotfix ? [`Fixed forward by hotfix release ${text(json.hotfix)}.`, ''] : []),
  ];
  for (const phase of input.phases) {
    const steps = json.steps.filter((s) => s.phase === phase.id && (s.status !== 'ready' && s.status !== 'blocked' || !input.plan.find((p) => p.step.id === s.id)?.step.optional));
    if (steps.length === 0) continue;
    out.push(`## ${text(phase.title)}`, '', ...stepRows(steps), '');
  }
  out.push(...builtTags(json.steps), ...failureLines(json));
  return out.join('\n');
}
