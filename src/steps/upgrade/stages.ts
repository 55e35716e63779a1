/** The seven upgrade stages as the daml-upgrade chart runs them: Jobs labelled with the target version and the stage. */
import { isStackFrame } from '../../core/text.js';
import { UserError } from '../../core/errors.js';
import { UPGRADE_STAGES, type UpgradeEnvironment, type UpgradeStage } from '../../core/runbook/types.js';
import type { JobInfo } from '../../ports.js';
import type { UpgradeStepContext } from './target.js';

export const VERSION_LABEL = 'io.lendos.app/current-version';
export const STAGE_LABEL = 'io.lendos.app/upgrade-stage';
/** Phase 1's step whose evidence holds the DAML versions of the upgrade (`from`, `to`). */
export const VERSIONS_STEP = 'prep.upgrade-branch';

export type JobState = 'running' | 'complete' | 'failed';

export interface UpgradeVersions {
  readonly from: string;
  readonly to: string;
}

export function stageStepId(environment: UpgradeEnvironment, stage: UpgradeStage): string {
  return `${environment}.upgrade.stage.${stage}`;
}

export function stageOf(job: JobInfo): UpgradeStage | undefined {
  return UPGRADE_STAGES.find((s) => s === job.labels[STAGE_LABEL]);
}

export function jobState(job: JobInfo): JobState {
  const holds = (type: string) => job.conditions.some((c) => c.type === type && c.status === 'True');
  if (holds('Complete')) return 'complete';
  return holds('Failed') ? 'failed' : 'running';
}

export function podCounts(job: JobInfo): string {
  const failed = job.failed > 0 ? `, ${job.failed} failed` : '';
  return `${job.succeeded}/${job.completions} pod(s) succeeded, ${job.active} running${failed}`;
}

export function durationSeconds(job: JobInfo): number | undefined {
  if (!job.startTime || !job.completionTime) return undefined;
  return Math.max(0, Math.round((Date.parse(job.completionTime) - Date.parse(job.startTime)) / 1000));
}

/** Why a Job failed, from its Failed condition. */
export function failureOf(job: JobInfo): string {
  const condition = job.conditions.find((c) => c.type === 'Failed' && c.status === 'True');
  if (!condition) return 'failed';
  return `${condition.message ?? 'failed'}${condition.reason ? ` (${condition.reason})` : ''}`;
}

/**
 * The line of a failed stage's log that says why: the first ERROR (or FATAL) line, its logger prefix dropped, shortened;
 * else the first exception line that is not a stack frame. Undefined when no line says.
 */
export function causeOf(lines: readonly string[]): string | undefined {
  const line = lines.find((l) => /\b(ERROR|FATAL)\b/.test(l)) ?? lines.find((l) => !isStackFrame(l) && /Exception|\berror\b/i.test(l));
  if (!line) return undefined;
  const text = line.replace(/^.*?\b(ERROR|FATAL)\s+(\S+\s+-\s+)?/, '').replace(/^\[[^\]]*\] ?/, '').trim();
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}

const VERSION = /^\d+\.\d+\.\d+$/;

/** `--from` and `--to` of run-upgrade.sh, from the evidence of 1.3 (the upgrade branch and its generated code). */
export function upgradeVersions(ctx: UpgradeStepContext): UpgradeVersions {
  const evidence = ctx.evidenceOf(VERSIONS_STEP);
  const from = evidence['from'];
  const to = evidence['to'];
  if (typeof from !== 'string' || typeof to !== 'string' || !VERSION.test(from) || !VERSION.test(to)) {
    throw new UserError(
      `The DAML versions of the upgrade are not recorded: 1.3 (${VERSIONS_STEP}) keeps --from and --to in its evidence. Run it (it adopts an existing upgrade branch) first.`,
      'missing-versions',
    );
  }
  return { from, to };
}
