/**
 * `lendos start`, `done`, `skip` and `reset`: what a person records by hand, through the same engine (and rules) as
 * the editor's Start Release, Mark Step Done, Skip Step and Reset Step. Each prints what the journal now says.
 */
import { CalVer } from '../core/calver.js';
import { UserError } from '../core/errors.js';
import type { PlannedStep } from '../core/plan.js';
import { DEV_FLOW, isDevFlow } from '../core/runbook/index.js';
import { UsageError } from './args.js';
import { startedRelease } from './commands.js';
import type { CliContext } from './context.js';
import type { Output } from './output.js';

const EXIT = { ok: 0, failure: 1 } as const;

const describe = (p: PlannedStep) => `${p.step.section} ${p.step.title} [${p.step.id}]`;

async function plannedStep(ctx: CliContext, version: string, stepId: string): Promise<PlannedStep> {
  const planned = (await ctx.service.view(version)).plan.find((p) => p.step.id === stepId);
  if (!planned)
    throw new UserError(
      `There is no step "${stepId}" in release ${version}: run "lendos plan" to list the step ids.`,
    );
  return planned;
}

/** Prints the step as the journal now folds it (status, who), and the note or reason that was recorded. */
async function printRecorded(
  ctx: CliContext,
  out: Output,
  version: string,
  stepId: string,
  what: string,
  detail?: string,
): Promise<void> {
  const planned = await plannedStep(ctx, version, stepId);
  const by = planned.state.actor ? `, by ${planned.state.actor}` : '';
  out.line(`${what}: ${describe(planned)}${by} (release ${version}; now ${planned.status})`);
  if (detail) out.line(`  ${detail}`);
  out.line(`Recorded in ${ctx.journalPath(version)}`);
}

export async function startCommand(ctx: CliContext, out: Output, text: string, hotfixOf?: string): Promise<number> {
  if (hotfixOf !== undefined) {
    const hotfix = await ctx.service.startHotfix(hotfixOf, text);
    out.line(`Started hotfix release ${hotfix}, fixing ${hotfixOf} forward; it is now the active release.`);
    out.line(`Both journals name the other: ${ctx.journalPath(hotfix)} and ${ctx.journalPath(hotfixOf)}`);
    out.line('Next: the same Phase 1 steps (lendos plan), on release/' + hotfix + '.');
    return EXIT.ok;
  }
  if (isDevFlow(text)) return startDevCommand(ctx, out);
  const parsed = CalVer.tryParse(text);
  if (!parsed.ok) throw new UserError(`cannot start the release: ${parsed.error.message} (or lendos start dev for a dev sync)`);
  const version = parsed.value.format();
  const { state } = await ctx.service.view(version);
  if (state.startedAt !== undefined) {
    const by = state.startedBy ? ` by ${state.startedBy}` : '';
    const active = (await ctx.service.activeRelease()) === version;
    out.error(
      `Release ${version} was already started on ${state.startedAt.slice(0, 16).replace('T', ' ')} UTC${by}; it is not started again.\n` +
        `Continue it: lendos status${active ? '' : ` --release ${version}`} shows where it stands, then lendos run / done${active ? '' : ` … --release ${version}`}` +
        ` (in VS Code: LendOS: Switch Release). Journal: ${ctx.journalPath(version)}`,
    );
    return EXIT.failure;
  }
  await ctx.service.startRelease(version);
  out.line(`Started release ${version}; it is now the active release.`);
  out.line(`Journal: ${ctx.journalPath(version)}`);
  out.line('Next: lendos plan lists the steps, lendos status shows where the release stands.');
  return EXIT.ok;
}

/** `lendos start dev`: the dev flow (Section 4) becomes the active one; a new sync begins once the last one is done. */
async function startDevCommand(ctx: CliContext, out: Output): Promise<number> {
  const { reset, fresh } = await ctx.service.startDevSync();
  if (fresh) out.line('Started the dev flow (Section 4); it is now the active one.');
  else if (reset.length > 0) out.line(`The last dev sync was done: a new one begins (${reset.length} step(s) reset; their history stays in the journal).`);
  else out.line('A dev sync is in progress: it is the active one again.');
  out.line(`Journal: ${ctx.journalPath(DEV_FLOW)}`);
  out.line('Next: lendos status shows where it stands; lendos run dev.changelog lists what is new since the last sync.');
  return EXIT.ok;
}

export interface DoneOptions {
  readonly stepId: string;
  readonly release?: string;
  readonly note?: string;
  readonly force: boolean;
}

export async function doneCommand(ctx: CliContext, out: Output, opts: DoneOptions): Promise<number> {
  const version = await startedRelease(ctx, opts.release, opts.stepId);
  const planned = await plannedStep(ctx, version, opts.stepId);
  const { step } = planned;
  if (step.kind === 'automated' && !opts.force) {
    throw new UserError(
      `${step.title} is automated: run it (lendos run ${step.id}; it adopts work already done), or pass --force to mark it done by hand.`,
    );
  }
  try {
    await ctx.service.markDone(version, step.id, { note: opts.note, force: opts.force });
  } catch (error) {
    // The engine's rules, shared with the editor (which asks for the note and confirms out-of-order marks); here they are options.
    if (!(error instanceof UserError)) throw error;
    if (error.reason === 'note-required') throw new UsageError(`${error.message} Pass it with --note "…".`);
    if (error.reason === 'blocked') {
      throw new UserError(
        `${step.title} depends on steps that are not done: ${planned.blockedBy.join(', ')}. Finish them first, or pass --force to mark it done anyway.`,
        'blocked',
      );
    }
    throw error;
  }
  await printRecorded(
    ctx,
    out,
    version,
    step.id,
    'Marked done',
    opts.note?.trim() ? `note: ${opts.note}` : undefined,
  );
  return EXIT.ok;
}

export interface SkipOptions {
  readonly stepId: string;
  readonly release?: string;
  readonly reason: string;
}

export async function skipCommand(ctx: CliContext, out: Output, opts: SkipOptions): Promise<number> {
  if (!opts.reason.trim()) throw new UsageError('say why the step is skipped: --reason TEXT');
  const version = await startedRelease(ctx, opts.release, opts.stepId);
  await ctx.service.skip(version, opts.stepId, opts.reason);
  await printRecorded(ctx, out, version, opts.stepId, 'Skipped', `reason: ${opts.reason}`);
  return EXIT.ok;
}

export async function resetCommand(
  ctx: CliContext,
  out: Output,
  opts: { stepId: string; release?: string },
): Promise<number> {
  const version = await startedRelease(ctx, opts.release, opts.stepId);
  await ctx.service.reset(version, opts.stepId);
  await printRecorded(ctx, out, version, opts.stepId, 'Reset');
  out.line('Its earlier history stays in the journal.');
  return EXIT.ok;
}
