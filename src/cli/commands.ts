/** `lendos plan` and `lendos status`: the same core and journal the extension uses. */
import { CalVer } from '../core/calver.js';
import { UserError } from '../core/errors.js';
import { currentStep, durationOf, formatDuration, progressOf, type PlannedStep } from '../core/plan.js';
import { DEV_FLOW, flowTitle, isDevFlow } from '../core/runbook/index.js';
import type { StepDef } from '../core/runbook/types.js';
import { ownerData, whereOf } from '../core/run-owner.js';
import { scriptedPrompt } from '../engine/scripted-prompt.js';
import type { CliContext } from './context.js';
import type { Output } from './output.js';

/**
 * The journal to act on: `--release` (a version, or `dev` for the dev flow), else the dev flow for a `dev.` step,
 * else the active release.
 */
export async function releaseVersion(ctx: CliContext, requested: string | undefined, stepId?: string): Promise<string> {
  if (requested !== undefined && isDevFlow(requested)) return DEV_FLOW;
  if (requested !== undefined) {
    const parsed = CalVer.tryParse(requested);
    if (!parsed.ok) throw new UserError(`--release ${requested}: ${parsed.error.message} (or --release dev for the dev flow)`);
    return parsed.value.format();
  }
  if (stepId?.startsWith(`${DEV_FLOW}.`)) return DEV_FLOW;
  const active = await ctx.service.activeRelease();
  if (!active) throw new UserError(`No release is active in ${ctx.root}: pass --release YYYY.R.H, or start one (lendos start YYYY.R.H; lendos start dev for a dev sync).`);
  return active;
}

/** The release to act on (as `releaseVersion`), which must have been started: its journal exists. */
export async function startedRelease(ctx: CliContext, requested: string | undefined, stepId?: string): Promise<string> {
  const version = await releaseVersion(ctx, requested, stepId);
  if (isDevFlow(version)) {
    if (!(await ctx.service.hasDevFlow())) throw new UserError(`The dev flow was never started in ${ctx.root}: start a dev sync first (lendos start dev, or LendOS: Sync Dev Environment in VS Code).`);
    return version;
  }
  if (!(await ctx.service.versions()).includes(version)) {
    throw new UserError(`There is no release ${version} in ${ctx.root}: start it first (lendos start ${version}, or LendOS: Start Release… in VS Code).`);
  }
  // Named with --release while none is active, it becomes the active one (the editor's view follows it).
  if (requested !== undefined && (await ctx.service.activeRelease()) === undefined) await ctx.service.switchRelease(version);
  return version;
}

/** The environment a step acts on, as shown in a row: `staging`, `production`, `dev`, or `-` for none. */
export const environmentOf = (step: StepDef): string => step.environment ?? '-';

export async function planCommand(ctx: CliContext, out: Output, opts: { release?: string; json: boolean }): Promise<void> {
  const version = await releaseVersion(ctx, opts.release);
  // The view marks the steps that have an executor as automated; a release that was not started reads as pending.
  const { runbook } = await ctx.service.view(version);
  if (opts.json) {
    out.json(
      runbook.steps.map((s) => ({
        id: s.id,
        phase: s.phase,
        environment: s.environment ?? null,
        title: s.title,
        section: s.section,
        kind: s.kind,
        optional: s.optional,
        dependsOn: s.dependsOn,
        ...(s.parent ? { parent: s.parent } : {}),
        ...(s.checkable ? { checkable: true } : {}),
      })),
    );
    return;
  }
  out.line(`${flowTitle(version)}: ${runbook.steps.length} steps`);
  for (const phase of runbook.phases) {
    out.line('');
    out.line(phase.title);
    for (const s of runbook.steps.filter((x) => x.phase === phase.id)) {
      const indent = s.parent ? '      ' : s.group ? '    ' : '  ';
      const flags = [s.kind, s.checkable ? 'lendos run looks for it' : '', s.optional ? 'optional' : ''].filter(Boolean).join(', ');
      out.line(`${indent}${s.section.padEnd(6)} ${s.title}  [${s.id}] (${flags})`);
    }
  }
}

const SYMBOLS: Record<string, string> = {
  succeeded: '✔', failed: '✖', running: '…', cancelled: '⊘', skipped: '↷', ready: '○', blocked: '·', 'waiting-approval': '?',
};

export async function statusCommand(ctx: CliContext, out: Output, opts: { release?: string; json: boolean }): Promise<void> {
  const version = await startedRelease(ctx, opts.release);
  const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined, output: () => undefined };
  const shell = { prompt: scriptedPrompt({ yes: false }, quiet), log: quiet, signal: new AbortController().signal };
  const reconciled = await ctx.runner.reconcile(version, shell, { observe: false });
  if (reconciled.length > 0) out.warn(`recorded as interrupted (their runs are gone): ${reconciled.join(', ')}`);
  const view = await ctx.service.view(version);
  for (const w of view.warnings) out.warn(`journal: ${w.message}`);
  const core = view.plan.filter((p) => p.step.phase !== 'recovery');
  const current = currentStep(core);
  const { done, total } = progressOf(core);
  if (opts.json) {
    out.json({
      version,
      startedAt: view.state.startedAt ?? null,
      startedBy: view.state.startedBy ?? null,
      journal: ctx.journalPath(version),
      progress: { done, total },
      current: current?.step.id ?? null,
      warnings: view.warnings.map((w) => w.message),
      steps: view.plan.map(statusJson),
    });
    return;
  }
  out.line(`${isDevFlow(version) ? 'Dev sync' : `Release ${version}`}: ${done}/${total} required steps done${current ? ` · current: ${current.step.section} ${current.step.title}` : ''}`);
  if (view.state.hotfixOf) out.line(`Hotfix release: fixes ${view.state.hotfixOf} forward.`);
  if (view.state.hotfix) out.line(`Fixed forward by hotfix release ${view.state.hotfix} (lendos status --release ${view.state.hotfix}).`);
  for (const p of view.plan) {
    if ((p.step.phase === 'recovery') && p.state.status === 'pending') continue;
    const ms = durationOf(p.state, new Date());
    const time = ms !== undefined && p.status !== 'skipped' ? ` ${formatDuration(ms)}` : '';
    const where = p.status === 'running' && p.state.run ? ` in ${whereOf(p.state.run)} by ${p.state.run.actor}` : '';
    out.line(`  ${SYMBOLS[p.status] ?? ' '} ${p.step.section.padEnd(6)} ${environmentOf(p.step).padEnd(10)} ${p.step.title} — ${p.status}${where}${time}`);
  }
}

function statusJson(p: PlannedStep) {
  return {
    id: p.step.id,
    environment: p.step.environment ?? null,
    status: p.status,
    startedAt: p.state.startedAt ?? null,
    endedAt: p.state.endedAt ?? null,
    actor: p.state.actor ?? null,
    markedByHand: p.state.markedByHand,
    message: p.state.message ?? null,
    blockedBy: p.blockedBy,
    run: p.state.run ? ownerData(p.state.run) : null,
    evidence: p.state.evidence,
  };
}
