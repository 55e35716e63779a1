/**
 * 2.5 and 3.3, product's approval: found on the release PR — for staging a product approver's review approving it or
 * their `/approve staging` comment, for production their `/approve production` comment after the staging approval —
 * and recorded as who, when and where. Run waits for it, looking every `github.approvalPollSeconds`; with `wait: no`
 * (Check Approval Now, `lendos run … --set wait=no`) it looks once, and "not yet" changes nothing.
 */
import { UserError, messageOf } from '../../core/errors.js';
import type { EventData } from '../../core/journal/types.js';
import { Cancelled, type FormField, type StepExecutor, type StepOutcome } from '../../engine/step-types.js';
import type { PullInfo, UpgradePorts } from '../../ports.js';
import {
  approvalNote,
  describeApproval,
  findApproval,
  recordedApproval,
  type Approval,
  type ApprovalFindings,
  type ApprovalStage,
} from './approval-finder.js';
import { githubOf, productApprovers, type Approvers, type GitHubStepContext } from './context.js';
import { recordedReleasePull } from './recorded-pull.js';

const STAGING_STEP = 'staging.smoke-approval';

interface ApprovalInput {
  readonly wait: boolean;
}

interface Look {
  readonly pull: PullInfo;
  readonly approvers: Approvers;
  readonly findings: ApprovalFindings;
}

/** The look `observe` took, reused by a "look once" so that one check is one look. */
const lastLook = new WeakMap<GitHubStepContext, Look>();

const stageOf = (ctx: GitHubStepContext): ApprovalStage =>
  ctx.step.environment === 'production' ? 'production' : 'staging';

/** Runs whose "staging was approved by hand" was said already: said once, not on every look. */
const toldByHand = new WeakSet<GitHubStepContext>();

/** Production waits for staging's approval: what it was (found on GitHub), nothing (by hand), or a refusal. */
function stagingApproval(ctx: GitHubStepContext): Pick<Approval, 'at' | 'where'> | undefined {
  const status = ctx.statusOf(STAGING_STEP);
  const evidence = ctx.evidenceOf(STAGING_STEP);
  const found = recordedApproval(evidence);
  if (status === 'succeeded' && found) return found;
  const note = approvalNote(evidence);
  if (status === 'succeeded' && note) {
    if (!toldByHand.has(ctx)) {
      ctx.log.info(
        `Staging was approved by hand ("${note}"): a product approver's /approve production comment counts.`,
      );
    }
    toldByHand.add(ctx);
    return undefined;
  }
  const why =
    status === 'succeeded'
      ? 'is done but records neither an approval found on GitHub nor who approved'
      : `is ${status}`;
  throw new UserError(
    `Production's smoke test approval waits for staging's: 2.5 (${STAGING_STEP}) ${why}. Product approves staging ` +
      `first (a review approving the release PR, or a "/approve staging" comment on it): run 2.5, or mark it done ` +
      'with a note saying who approved and where. Nothing was changed.',
    'staging-not-approved',
  );
}

async function look(ctx: GitHubStepContext): Promise<Look> {
  const stage = stageOf(ctx);
  const after = stage === 'production' ? stagingApproval(ctx) : undefined;
  const site = await githubOf(ctx);
  const [pull, approvers] = await Promise.all([recordedReleasePull(ctx, site), productApprovers(ctx, site.gh)]);
  const [reviews, comments] = await Promise.all([
    site.gh.listReviews(site.lendos, pull.number),
    site.gh.listComments(site.lendos, pull.number),
  ]);
  const findings = findApproval({
    stage,
    approvers: approvers.logins,
    reviews,
    comments,
    ...(after ? { after } : {}),
  });
  return { pull, approvers, findings };
}

/** Who must approve, where, and how: for messages and the step's progress. */
function whoMustApprove(ctx: GitHubStepContext, found: Look): string {
  const how =
    stageOf(ctx) === 'staging'
      ? 'a review approving it, or a comment "/approve staging"'
      : 'a comment "/approve production", after the staging approval';
  return `${found.approvers.described} must approve release ${ctx.version.format()} on ${found.pull.url} (${how})`;
}

function notYet(ctx: GitHubStepContext, found: Look): string {
  const notes = found.findings.notes.map((note) => `\n- ignored: ${note}`).join('');
  return `Not approved yet: ${whoMustApprove(ctx, found)}.${notes}\nNothing was recorded; look again later or wait for it (Run Step).`;
}

function outcome(ctx: GitHubStepContext, found: Look, approval: Approval): StepOutcome {
  const notes = found.findings.notes;
  const evidence: EventData = {
    headline: `approved by ${approval.by} (${approval.how})`,
    approval: { ...approval },
    pr: found.pull.number,
    prUrl: found.pull.url,
    ...(notes.length > 0 ? { ignored: [...notes] } : {}),
  };
  return { summary: `Approved for ${stageOf(ctx)} by ${describeApproval(approval)}`, evidence };
}

/** Logs each note once, however often the same thing is seen again. */
function sayNew(ctx: GitHubStepContext, notes: readonly string[], said: Set<string>): void {
  for (const note of notes.filter((n) => !said.has(n))) {
    said.add(note);
    ctx.log.info(`Ignored: ${note}`);
  }
}

async function sleepOrStop(ctx: GitHubStepContext, ms: number, found: Look | undefined): Promise<void> {
  try {
    await ctx.clock.sleep(ms, ctx.signal);
  } catch (error) {
    if (!ctx.signal.aborted) throw error;
    const who = found ? ` ${whoMustApprove(ctx, found)}.` : '';
    throw new Cancelled(
      `Stopped waiting for product's approval; nothing was recorded.${who} Run the step again to wait, ` +
        `Check Approval Now (lendos run ${ctx.step.id} --set wait=no) to look once, or Mark Done with a note ` +
        'saying who approved and where if product approved elsewhere.',
    );
  }
}

/** One look while waiting: a failure that retrying may cure (the network) is said, and the wait goes on. */
async function lookWhileWaiting(ctx: GitHubStepContext): Promise<Look | undefined> {
  try {
    return await look(ctx);
  } catch (error) {
    if (error instanceof UserError || ctx.signal.aborted) throw error;
    ctx.log.warn(`Could not look at GitHub (${messageOf(error)}): trying again at the next check.`);
    return undefined;
  }
}

async function waitForApproval(ctx: GitHubStepContext, input: ApprovalInput): Promise<StepOutcome> {
  const seconds = ctx.config.github.approvalPollSeconds;
  const said = new Set<string>();
  let shown = '';
  let last: Look | undefined;
  for (;;) {
    const found = (await lookWhileWaiting(ctx)) ?? last;
    const approval = found?.findings.approval;
    if (found && approval) return outcome(ctx, found, approval);
    if (found && !input.wait) throw new UserError(notYet(ctx, found), 'not-approved');
    if (found) sayNew(ctx, found.findings.notes, said);
    const progress = `waiting for ${found?.approvers.described ?? 'product'}: next check in ${seconds} s`;
    if (progress !== shown) {
      await ctx.progress(progress, found ? { pr: found.pull.number, prUrl: found.pull.url } : {});
      if (found)
        ctx.log.info(`${whoMustApprove(ctx, found)}. Looking every ${seconds} s; cancel to stop waiting.`);
      shown = progress;
    }
    last = found;
    await sleepOrStop(ctx, seconds * 1000, found);
  }
}

const YES_NO = /^(y|yes|n|no)$/i;

function waitField(): FormField {
  return {
    id: 'wait',
    label: 'Wait until it is given (yes), or look once (no)',
    value: 'yes',
    validate: (value) =>
      YES_NO.test(value.trim()) ? undefined : 'Answer yes (wait for it) or no (look once).',
  };
}

export const productApproval: StepExecutor<UpgradePorts, ApprovalInput> = {
  stepId: /^(staging\.smoke-approval|production\.smoke-test)$/,
  fields: ['wait'],

  async observe(ctx) {
    const found = await look(ctx);
    lastLook.set(ctx, found);
    const approval = found.findings.approval;
    if (!approval) return { done: false };
    const { summary, evidence } = outcome(ctx, found, approval);
    return { done: true, summary, evidence };
  },

  async prepare(ctx) {
    const title = `${ctx.step.section} ${ctx.step.title}: look for product's approval on the release PR`;
    const values = await ctx.prompt.form(title, [waitField()]);
    if (!values) return undefined;
    const wait = /^y/i.test((values['wait'] ?? 'yes').trim());
    if (wait) return { wait };
    const found = lastLook.get(ctx) ?? (await look(ctx));
    // "Not yet" on a single look is an answer, not a failure: nothing is journalled.
    if (!found.findings.approval) throw new UserError(notYet(ctx, found), 'not-approved');
    return { wait };
  },

  run: (ctx, input) => waitForApproval(ctx, input),
};
