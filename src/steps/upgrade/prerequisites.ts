/**
 * Section 3 Prerequisites: every check the runbook asks for before touching the environment, each with its evidence —
 * approval, kube context reachable, AWS identity, the Canton cluster, the upgrade images in ECR, the workloads clone, the
 * release's tags on the workloads main and in ECR —
 * plus the PQS contract counts before the upgrade, which validation compares against afterwards.
 */
import path from 'node:path';
import { UserError, messageOf } from '../../core/errors.js';
import type { EventData, JsonValue } from '../../core/journal/types.js';
import type { StepExecutor } from '../../engine/step-types.js';
import type { UpgradePorts } from '../../ports.js';
import { approvalNote, describeApproval, recordedApproval } from '../github/approval-finder.js';
import { PQS_COUNTS, PQS_COUNTS_AT, countContracts, countLines, recordedCounts, totalOf } from './pqs-counts.js';
import { assertAccount, assertCluster } from './identity.js';
import { valuesTagsOnMain } from './values-tags-check.js';
import { cantonClusterOf, upgradeTargetOf, type UpgradeAwsContext, type UpgradeTarget } from './snapshot.js';

const RUN_UPGRADE = 'charts/daml-upgrade/run-upgrade.sh';

export interface CheckResult {
  readonly check: string;
  readonly ok: boolean;
  /** What was found (ok) or what is wrong (failed). */
  readonly detail: string;
  /** What to do when it failed. */
  readonly next?: string;
  /** Kept in the journal under the check's own keys. */
  readonly evidence?: EventData;
}

type Check = (ctx: UpgradeAwsContext, target: UpgradeTarget) => Promise<CheckResult>;

const passed = (check: string, detail: string, evidence?: EventData): CheckResult => ({ check, ok: true, detail, evidence });
const failed = (check: string, detail: string, next: string, evidence?: EventData): CheckResult => ({ check, ok: false, detail, next, evidence });

const approval: Check = async (ctx, target) => {
  const step = target.environment === 'production' ? 'staging.smoke-approval' : `${target.environment}.values-tags`;
  const status = ctx.statusOf(step);
  if (status !== 'succeeded') {
    return failed('approval', `${step} is ${status}`, `Finish ${step} first.`);
  }
  if (target.environment !== 'production') return passed('approval', `${step} is done`, { approval: { step } });
  const evidence = ctx.evidenceOf(step);
  const found = recordedApproval(evidence);
  if (found) {
    return passed('approval', `${step}: approved by ${describeApproval(found)}`, { approval: { step, by: found.by, at: found.at, where: found.where } });
  }
  const note = approvalNote(evidence);
  if (!note) {
    return failed(
      'approval',
      `${step} is done but records neither an approval found on GitHub nor a note saying who approved production and when`,
      `Reset ${step} and mark it done again with a note, e.g. "Approved by Luis in REL-123 on 2025-11-10", or run it to find product's approval on the release PR.`,
    );
  }
  return passed('approval', `${step}: ${note}`, { approval: { step, note } });
};

/** The cluster of the context, asserted by identity (and against the account, when the AWS check found it). */
const kubeContext: Check = async (ctx, target) => {
  const { kubeContext: context, upgradeNamespace } = target.env;
  const kube = await ctx.ports.kube();
  const info = await kube.clusterInfo(context);
  const account = await assertAccount(ctx, target.environment).then((facts) => facts.account, () => undefined);
  const cluster = await assertCluster(ctx, kube, info, account);
  if (!(await kube.namespaceExists(context, upgradeNamespace))) {
    return failed('kube context', `${context} (${info.server}) has no namespace ${upgradeNamespace}`, `Check lendos.environments.${target.env.name}.kubeContext and .upgradeNamespace.`);
  }
  return passed('kube context', `${context} answers at ${info.server}, cluster ${cluster.clusterUid} (namespace ${upgradeNamespace} exists)`, {
    kube: { context, server: info.server, cluster: info.cluster, clusterUid: cluster.clusterUid },
  });
};

const awsIdentity: Check = async (ctx, target) => {
  const identity = await assertAccount(ctx, target.environment);
  const profile = target.env.awsProfile;
  return passed('AWS identity', `account ${identity.account} as ${identity.arn}`, {
    awsIdentity: { account: identity.account, arn: identity.arn, profile },
  });
};

const cantonCluster: Check = async (ctx, target) => {
  const id = cantonClusterOf(target);
  const cluster = await (await ctx.ports.rds(target.environment)).describeCluster(id);
  const setting = `lendos.environments.${target.env.name}.cantonCluster`;
  if (!cluster) return failed('Canton cluster', `RDS has no cluster ${id} in ${target.env.region} for these credentials`, `Check ${setting} and the AWS profile.`);
  const evidence = { cantonCluster: { id: cluster.id, status: cluster.status, engine: cluster.engine, arn: cluster.arn } };
  if (cluster.status !== 'available') {
    return failed('Canton cluster', `${id} is ${cluster.status}`, 'Wait until it is available: a snapshot needs an available cluster.', evidence);
  }
  return passed('Canton cluster', `${id} (${cluster.engine}) is available`, evidence);
};

/** The `-init` and `-runner` tags and digests Phase 1 (1.4) recorded. */
function recordedImages(evidence: EventData): { tag: string; digest: string }[] {
  const images: JsonValue[] = Array.isArray(evidence['images']) ? evidence['images'] : [];
  return images.flatMap((image) =>
    typeof image === 'object' && image !== null && !Array.isArray(image) && typeof image['tag'] === 'string'
      ? [{ tag: image['tag'], digest: typeof image['digest'] === 'string' ? image['digest'] : '' }]
      : [],
  );
}

const upgradeImages: Check = async (ctx) => {
  const recorded = recordedImages(ctx.evidenceOf('prep.upgrade-images'));
  if (recorded.length < 2) {
    return failed('upgrade images', '1.4 recorded no -init and -runner image tags', 'Run 1.4 (prep.upgrade-images): it records the tags it built or finds in ECR.');
  }
  const repository = ctx.config.ecr.upgradeRepository;
  const found = await (await ctx.ports.ecr()).describeImages(repository, recorded.map((image) => image.tag));
  const evidence = { upgradeImages: found.map((image) => ({ tag: image.tag, digest: image.digest, pushedAt: image.pushedAt })) };
  const missing = recorded.filter((image) => !found.some((f) => f.tag === image.tag));
  if (missing.length > 0) {
    return failed('upgrade images', `ECR ${repository} has no ${missing.map((m) => m.tag).join(' and ')}`, 'Run 1.4 again to build and push the images.', evidence);
  }
  const moved = recorded.filter((image) => image.digest && !found.some((f) => f.tag === image.tag && f.digest === image.digest));
  if (moved.length > 0) {
    const tags = moved.map((m) => m.tag).join(' and ');
    return failed('upgrade images', `${tags} now point at another image than 1.4 verified`, 'Find out who pushed them; then reset 1.4 and run it again.', evidence);
  }
  return passed('upgrade images', `${recorded.map((image) => image.tag).join(' and ')} are in ECR ${repository}`, evidence);
};

const workloadsRepo: Check = async (ctx) => {
  const { git, workspaceRoot } = ctx.ports;
  const dir = path.resolve(workspaceRoot, ctx.config.repositories.workloadsPath);
  const clone = `git -C ${dir}`;
  const commit = await git.revParse(dir, 'HEAD').catch(() => undefined);
  if (!commit) return failed('workloads repo', `${dir} is not a clone of lendos-eks-workloads`, `Clone it there, or set lendos.repositories.workloadsPath.`);
  const script = await git.showFile(dir, 'HEAD', RUN_UPGRADE);
  const deleted = (await git.status(dir, { paths: [RUN_UPGRADE] })).some((entry) => entry.code.includes('D'));
  if (script === undefined || deleted) return failed('workloads repo', `${dir} has no ${RUN_UPGRADE}`, `${clone} checkout main && ${clone} pull origin main`);
  await git.fetch(dir, 'origin', ctx.signal);
  const behind = (await git.remoteBranchExists(dir, 'origin', 'main')) ? await git.countCommits(dir, 'HEAD', 'origin/main') : 0;
  const evidence = { workloads: { path: dir, commit, behindMain: behind } };
  if (behind > 0) return failed('workloads repo', `${dir} is ${behind} commit(s) behind origin/main`, `${clone} checkout main && ${clone} pull origin main`, evidence);
  return passed('workloads repo', `${dir} at ${commit.slice(0, 7)}, up to date with origin/main, has ${RUN_UPGRADE}`, evidence);
};

const pqsCounts: Check = async (ctx, target) => {
  const kept = recordedCounts(ctx.evidenceOf(ctx.step.id));
  // Once the snapshot exists the upgrade may have begun: counting again could record post-upgrade numbers.
  if (kept && ctx.statusOf(`${target.group}.snapshot`) !== 'pending') {
    return passed('PQS counts', `kept the counts taken at ${kept.at ?? 'the first run'} (the procedure is past the snapshot)`, {
      [PQS_COUNTS]: kept.counts,
      ...(kept.at ? { [PQS_COUNTS_AT]: kept.at } : {}),
    });
  }
  const counts = await countContracts(() => ctx.ports.pqs(target.environment));
  const at = ctx.clock.now().toISOString();
  const templates = Object.keys(counts).length;
  if (templates === 0) {
    return failed('PQS counts', 'PQS lists no templates', `Check that lendos.environments.${target.env.name}.pqs points at PQS's database.`);
  }
  for (const line of countLines(counts)) ctx.log.info(`  ${line}`);
  return passed('PQS counts', `${totalOf(counts)} active contracts over ${templates} templates`, { [PQS_COUNTS]: counts, [PQS_COUNTS_AT]: at });
};

const CHECKS: readonly [string, Check][] = [
  ['approval', approval],
  ['kube context', kubeContext],
  ['AWS identity', awsIdentity],
  ['Canton cluster', cantonCluster],
  ['upgrade images', upgradeImages],
  ['workloads repo', workloadsRepo],
  ['values-tags', valuesTagsOnMain],
  ['PQS counts', pqsCounts],
];

/** Runs one check; an error (credentials, network) is that check's failure, with the error's own advice. */
async function runCheck(ctx: UpgradeAwsContext, target: UpgradeTarget, [name, check]: [string, Check]): Promise<CheckResult> {
  try {
    return await check(ctx, target);
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    const next = error instanceof UserError ? 'Do as the message says, then run this step again.' : 'Fix the cause, then run this step again.';
    return failed(name, messageOf(error), next);
  }
}

function report(results: readonly CheckResult[]): string {
  const bad = results.filter((result) => !result.ok);
  const lines = bad.map((result) => `- ${result.check}: ${result.detail}. Next: ${result.next ?? 'run this step again.'}`);
  return `${bad.length} of ${results.length} prerequisites failed:\n${lines.join('\n')}`;
}

export const checkPrerequisites: StepExecutor<UpgradePorts> = {
  stepId: /^(staging|production)\.upgrade\.prerequisites$/,

  // Prerequisites describe the world now, so they are checked afresh on every run.
  async observe() {
    return { done: false };
  },

  async run(ctx) {
    const target = upgradeTargetOf(ctx);
    const results: CheckResult[] = [];
    for (const entry of CHECKS) {
      ctx.signal.throwIfAborted();
      await ctx.progress(`checking ${entry[0]}`);
      const result = await runCheck(ctx, target, entry);
      ctx.log[result.ok ? 'info' : 'error'](`${result.ok ? '✓' : '✗'} ${result.check}: ${result.detail}${result.next ? ` — ${result.next}` : ''}`);
      results.push(result);
    }
    const evidence: EventData = Object.assign({}, ...results.map((result) => result.evidence ?? {}), {
      checks: results.map((result) => ({ check: result.check, ok: result.ok, detail: result.detail })),
    });
    if (results.some((result) => !result.ok)) {
      await ctx.record(evidence);
      throw new UserError(report(results), 'prerequisites-failed');
    }
    const counts = recordedCounts(evidence);
    return {
      summary: `All ${results.length} prerequisites hold${counts ? `; PQS: ${totalOf(counts.counts)} active contracts` : ''}`,
      evidence,
    };
  },
};
