/**
 * The checks of 3.3.3 (story #5828), each answering rows of one table: pods Running and Ready, backend logs showing
 * the ledger connection and the new DARs, frontends answering 200, PQS contract counts before and after.
 */
import { UserError } from '../../core/errors.js';
import type { EventData } from '../../core/journal/types.js';
import type { PodInfo } from '../../ports.js';
import { backendImageVerdict } from './backend-image.js';
import { compareCounts, countContracts, recordedCounts } from './pqs-counts.js';
import { serviceNamespaces, type Target, type UpgradeStepContext } from './target.js';
import { livePods } from './waits.js';

export type CheckStatus = 'ok' | 'failed' | 'not checked';

export interface ValidationRow {
  readonly check: string;
  readonly target: string;
  readonly status: CheckStatus;
  readonly detail: string;
}

const BACKEND_LOG_LINES = 500;
const BACKEND_WAIT_MS = 60_000;
const BACKEND_RETRY_MS = 2_000;
const URL_TIMEOUT_MS = 10_000;

function row(check: string, target: string, status: CheckStatus, detail: string): ValidationRow {
  return { check, target, status, detail };
}

/** Every pod of the services' namespaces (finished Job pods aside) Running with all containers Ready. */
export async function podRows(target: Target): Promise<ValidationRow[]> {
  return Promise.all(
    serviceNamespaces(target.env).map(async (namespace) => {
      const pods = (await target.kube.listPods(target.context, namespace, '')).filter((p) => p.owner?.kind !== 'Job');
      const bad = livePods(pods).filter((p) => p.phase !== 'Running' || !p.ready);
      const terminating = pods.filter((p) => p.deleting);
      const unhealthy: PodInfo[] = [...bad, ...terminating];
      if (unhealthy.length === 0) return row('pods', namespace, 'ok', `${livePods(pods).length} pod(s) Running and Ready`);
      const detail = unhealthy.map((p) => `${p.name} ${p.deleting ? 'Terminating' : p.phase}${p.waiting ? ` (${p.waiting})` : ''}`).join('; ');
      return row('pods', namespace, 'failed', detail);
    }),
  );
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function pattern(source: string, setting: string): RegExp {
  try {
    return new RegExp(source);
  } catch (error) {
    throw new UserError(`lendos.validation.${setting} is not a valid regular expression (${error instanceof Error ? error.message : String(error)}).`, 'invalid-config');
  }
}

/** A line a backend's log must show, with what it means to a person (never the regular expression). */
interface Expected {
  readonly pattern: RegExp;
  readonly means: string;
}

async function backendRow(ctx: UpgradeStepContext, target: Target, backend: { namespace: string; deployment: string }, patterns: readonly Expected[], version: string): Promise<ValidationRow> {
  const name = `${backend.namespace}/${backend.deployment}`;
  const deadline = ctx.clock.now().getTime() + BACKEND_WAIT_MS;
  for (;;) {
    ctx.signal.throwIfAborted();
    const pods = await target.kube.tailDeploymentLogs(target.context, backend.namespace, backend.deployment, BACKEND_LOG_LINES);
    const missing = pods.flatMap((pod) => patterns.filter((p) => !pod.lines.some((line) => p.pattern.test(line))).map((p) => `${pod.pod} shows no ${p.means}`));
    if (pods.length > 0 && missing.length === 0) return row('backend log', name, 'ok', `${pods.length} pod(s) show the ledger connection and the DARs of ${version}`);
    // A backend that just started may not have logged its DARs yet.
    if (ctx.clock.now().getTime() >= deadline) {
      if (pods.length === 0) return row('backend log', name, 'failed', 'no running pod');
      const why = (await backendImageVerdict(ctx, target, backend)) ?? 'a backend started before the upgrade still has the old DARs: restart it';
      return row('backend log', name, 'failed', `${missing.join('; ')} — ${why}`);
    }
    // Rejects at once on a cancel, so the step ends cancelled rather than failed.
    await ctx.clock.sleep(BACKEND_RETRY_MS, ctx.signal);
  }
}

export async function backendRows(ctx: UpgradeStepContext, target: Target, to: string): Promise<ValidationRow[]> {
  const { ledgerPattern, darPattern, backends } = ctx.config.validation;
  const patterns: Expected[] = [
    { pattern: pattern(ledgerPattern, 'ledgerPattern'), means: 'ledger connection in its log' },
    { pattern: pattern(darPattern.split('{to}').join(escapeRegExp(to)), 'darPattern'), means: `DARs of version ${to} in its log` },
  ];
  if (backends.length === 0) return [row('backend log', '(none configured)', 'not checked', 'lendos.validation.backends lists no backend')];
  return Promise.all(backends.map((backend) => backendRow(ctx, target, backend, patterns, to)));
}

export async function urlRows(ctx: UpgradeStepContext, target: Target): Promise<ValidationRow[]> {
  if (target.env.urls.length === 0) {
    return [row('frontend', '(none configured)', 'not checked', `no URLs configured for ${target.env.name} (lendos.environments.${target.env.name}.urls)`)];
  }
  return Promise.all(
    target.env.urls.map(async (url) => {
      const answer = await ctx.ports.http.get(url, URL_TIMEOUT_MS);
      if ('error' in answer) return row('frontend', url, 'failed', answer.error);
      return row('frontend', url, answer.status === 200 ? 'ok' : 'failed', `HTTP ${answer.status}`);
    }),
  );
}

/** PQS counts now against the prerequisites' counts; PQS not configured is reported as not checked, never guessed. */
export async function pqsRows(ctx: UpgradeStepContext, target: Target): Promise<{ rows: ValidationRow[]; evidence: EventData }> {
  let after: Record<string, number>;
  try {
    after = await countContracts(() => ctx.ports.pqs(target.environment));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const notConfigured = error instanceof UserError && error.reason === 'not-configured';
    return { rows: [row('PQS counts', 'PQS', notConfigured ? 'not checked' : 'failed', notConfigured ? `PQS not configured: ${message}` : `could not count: ${message}`)], evidence: {} };
  }
  const before = recordedCounts(ctx.evidenceOf(`${target.environment}.upgrade.prerequisites`));
  if (!before) {
    const detail = `no counts from before the upgrade (the prerequisites step records them); now ${Object.keys(after).length} template(s) counted`;
    return { rows: [row('PQS counts', 'PQS', 'not checked', detail)], evidence: { pqsCountsAfter: after } };
  }
  const table = compareCounts(before.counts, after);
  const differences = table.filter((r) => r.delta !== 0);
  const rows = differences.map((d) => row('PQS counts', d.template, 'failed', `before ${d.before ?? '—'}, after ${d.after ?? '—'}`));
  if (differences.length === 0) rows.push(row('PQS counts', 'PQS', 'ok', `${table.length} template(s), the same counts as before the upgrade`));
  const comparison = table.map((r) => ({ template: r.template, before: r.before, after: r.after, difference: r.delta }));
  return { rows, evidence: { pqsCountsAfter: after, pqsComparison: { rows: comparison, differences: differences.length } } };
}

/** The rows as an aligned text table for the step's log. */
export function tableLines(rows: readonly ValidationRow[]): string[] {
  const width = (key: 'check' | 'target' | 'status') => Math.max(key.length, ...rows.map((r) => r[key].length));
  const line = (r: { check: string; target: string; status: string; detail: string }) =>
    `${r.check.padEnd(width('check'))}  ${r.target.padEnd(width('target'))}  ${r.status.padEnd(width('status'))}  ${r.detail}`;
  return [line({ check: 'check', target: 'target', status: 'status', detail: 'detail' }), ...rows.map(line)];
}

/** After a rollback: no active contract is left at the upgrade's version (the restore took them back). */
export async function pqsVersionRows(ctx: UpgradeStepContext, target: Target, from: string, to: string): Promise<ValidationRow[]> {
  let versions: Record<string, number>;
  try {
    const pqs = await ctx.ports.pqs(target.environment);
    try {
      versions = await pqs.activeVersions();
    } finally {
      await pqs.close();
    }
  } catch (error) {
    const notConfigured = error instanceof UserError && error.reason === 'not-configured';
    const message = error instanceof Error ? error.message : String(error);
    return [row('PQS versions', 'PQS', notConfigured ? 'not checked' : 'failed', notConfigured ? `PQS not configured: ${message}` : `could not count: ${message}`)];
  }
  const line = Object.entries(versions).map(([v, n]) => `${n} at ${v}`).join(', ') || 'no active contracts';
  const upgraded = versions[to] ?? 0;
  if (upgraded > 0) return [row('PQS versions', 'PQS', 'failed', `${upgraded} active contract(s) still at ${to} (${line}): the ledger is not back at ${from}`)];
  return [row('PQS versions', 'PQS', 'ok', `none at ${to}; ${line}`)];
}
