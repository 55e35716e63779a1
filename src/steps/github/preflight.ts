/**
 * Preflight (runbook 2.1), one engine for the 2.1 step, LendOS: Run Preflight and `lendos preflight`: the four checks
 * run concurrently against a PR's head on GitHub — or, without a PR, the first two against the local release branch.
 */
import { UserError, messageOf } from '../../core/errors.js';
import type { EventData } from '../../core/journal/types.js';
import { releaseBranch } from '../../core/names.js';
import type { Git, GitHub, PullInfo, RepoRef } from '../../ports.js';
import { GENERATED_DIR, REMOTE, VERSION_FILE, localRef, remoteRef, short } from '../layout.js';
import type { Approvers } from './context.js';
import {
  approvalVerdict,
  findMilestone,
  generatedVerdict,
  milestoneVerdict,
  missingMilestoneVerdict,
  result,
  versionVerdict,
  type CheckId,
  type CheckResult,
} from './preflight-verdicts.js';

export type { CheckId, CheckResult, CheckStatus } from './preflight-verdicts.js';

/** A tree at one commit, on GitHub or in the workspace: what the VERSION and generated-code checks read. */
export interface TreeSource {
  /** For messages: "the head abc1234 of PR #12", "release/2025.4.0 at abc1234 (this workspace)". */
  readonly where: string;
  file(path: string): Promise<string | undefined>;
  /** Every file path under the folder `prefix`. */
  paths(prefix: string): Promise<string[]>;
}

export function pullTree(gh: GitHub, repo: RepoRef, pull: PullInfo): TreeSource {
  return {
    where: `the head ${short(pull.headSha)} of PR #${pull.number}`,
    file: (path) => gh.fileAt(repo, pull.headSha, path),
    paths: (prefix) => gh.listPaths(repo, pull.headSha, prefix),
  };
}

/** The release branch in the workspace (local, else the remote-tracking one); undefined when neither exists. */
export async function localTree(
  git: Git,
  cwd: string,
  branch: string,
): Promise<(TreeSource & { sha: string }) | undefined> {
  for (const [ref, name] of [
    [localRef(branch), branch],
    [remoteRef(branch), `${REMOTE}/${branch}`],
  ] as const) {
    const sha = await git.revParse(cwd, ref);
    if (!sha) continue;
    return {
      sha,
      where: `${name} at ${short(sha)} (this workspace)`,
      file: (path) => git.showFile(cwd, sha, path),
      paths: async (prefix) => (await git.listFiles(cwd, sha)).filter((p) => p.startsWith(`${prefix}/`)),
    };
  }
  return undefined;
}

export async function checkVersion(tree: TreeSource, version: string): Promise<CheckResult> {
  return versionVerdict(await tree.file(VERSION_FILE), version, tree.where, releaseBranch(version));
}

export async function checkGenerated(tree: TreeSource, version: string): Promise<CheckResult> {
  return generatedVerdict(await tree.paths(GENERATED_DIR), tree.where, releaseBranch(version));
}

export async function checkMilestone(gh: GitHub, repo: RepoRef, version: string): Promise<CheckResult> {
  const milestones = await gh.listMilestones(repo);
  const { found, similar } = findMilestone(milestones, version);
  if (!found) return missingMilestoneVerdict(milestones, version, similar);
  return milestoneVerdict(found, await gh.listIssues(repo, { milestone: found.number, state: 'open' }));
}

export async function checkApproval(
  gh: GitHub,
  repo: RepoRef,
  pull: PullInfo,
  approvers: () => Promise<Approvers>,
): Promise<CheckResult> {
  const [reviews, who] = await Promise.all([gh.listReviews(repo, pull.number), approvers()]);
  return approvalVerdict(pull, reviews, who);
}

/** A check that could not run (no access, no approvers configured) fails with what to do; other errors propagate. */
async function guarded(check: CheckId, run: () => Promise<CheckResult>): Promise<CheckResult> {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    return result(
      check,
      'fail',
      `Could not check: ${messageOf(error)}`,
      { error: messageOf(error) },
      'Fix what the message says, then run preflight again.',
    );
  }
}

export interface PreflightReport {
  readonly version: string;
  readonly pr: number | null;
  readonly url: string | null;
  readonly headSha: string | null;
  /** `pull`: the four checks on a PR's head; `local`: the first two on the workspace's release branch. */
  readonly source: 'pull' | 'local';
  readonly checks: readonly CheckResult[];
  /** No check failed (a skipped check does not fail). */
  readonly passed: boolean;
}

export interface PullPreflight {
  readonly gh: GitHub;
  readonly lendos: RepoRef;
  readonly version: string;
  readonly pull: PullInfo;
  readonly approvers: () => Promise<Approvers>;
}

/** The four checks of a PR, each ready to run (the bench runs them one after another as its baseline). */
export function pullChecks(
  input: PullPreflight,
): ReadonlyArray<readonly [CheckId, () => Promise<CheckResult>]> {
  const tree = pullTree(input.gh, input.lendos, input.pull);
  return [
    ['version', () => checkVersion(tree, input.version)],
    ['generated-code', () => checkGenerated(tree, input.version)],
    ['milestone', () => checkMilestone(input.gh, input.lendos, input.version)],
    ['approval', () => checkApproval(input.gh, input.lendos, input.pull, input.approvers)],
  ];
}

const report = (base: Omit<PreflightReport, 'passed'>): PreflightReport => ({
  ...base,
  passed: base.checks.every((c) => c.status !== 'fail'),
});

/** The four checks on the PR's head, concurrently. */
export async function preflightPull(input: PullPreflight): Promise<PreflightReport> {
  const checks = await Promise.all(pullChecks(input).map(([id, run]) => guarded(id, run)));
  const { pull, version } = input;
  return report({ version, pr: pull.number, url: pull.url, headSha: pull.headSha, source: 'pull', checks });
}

const NO_PR = 'No PR given: this check runs against the release PR (lendos preflight --pr N, or step 2.1).';

/** Without a PR (the runbook's "Run locally"): VERSION and generated code on the workspace's release branch. */
export async function preflightLocal(git: Git, cwd: string, version: string): Promise<PreflightReport> {
  const branch = releaseBranch(version);
  const tree = await localTree(git, cwd, branch);
  const skipped = (['milestone', 'approval'] as const).map((id) => result(id, 'skipped', NO_PR, {}));
  if (!tree) {
    const fix = `Cut ${branch} (step 1.1), or fetch it: git fetch ${REMOTE}.`;
    const missing = (id: CheckId) =>
      result(
        id,
        'fail',
        `There is no ${branch} branch in this workspace (nor ${REMOTE}/${branch}).`,
        { branch },
        fix,
      );
    return report({
      version,
      pr: null,
      url: null,
      headSha: null,
      source: 'local',
      checks: [missing('version'), missing('generated-code'), ...skipped],
    });
  }
  const checks = await Promise.all([
    guarded('version', () => checkVersion(tree, version)),
    guarded('generated-code', () => checkGenerated(tree, version)),
  ]);
  return report({
    version,
    pr: null,
    url: null,
    headSha: tree.sha,
    source: 'local',
    checks: [...checks, ...skipped],
  });
}

/** The report as journal evidence and as `lendos preflight --json` prints it. */
export function reportData(r: PreflightReport): EventData {
  const checks = r.checks.map((c) => ({
    check: c.check,
    status: c.status,
    detail: c.detail,
    ...(c.fix ? { fix: c.fix } : {}),
    evidence: c.evidence,
  }));
  return {
    version: r.version,
    pr: r.pr,
    ...(r.url ? { url: r.url } : {}),
    headSha: r.headSha,
    checks,
    passed: r.passed,
  };
}

const MARKS = { pass: '✔', fail: '✖', skipped: '–' } as const;

export function checkLines(c: CheckResult): string[] {
  return [`${MARKS[c.status]} ${c.title}: ${c.detail}`, ...(c.fix ? [`    → ${c.fix}`] : [])];
}

export function reportLines(r: PreflightReport): string[] {
  const on =
    r.pr !== null
      ? `PR #${r.pr} (head ${short(r.headSha ?? undefined)})`
      : `${releaseBranch(r.version)} in this workspace${r.headSha ? ` at ${short(r.headSha)}` : ''}`;
  const failed = r.checks.filter((c) => c.status === 'fail');
  const skipped = r.checks.filter((c) => c.status === 'skipped').length;
  const verdict =
    failed.length > 0
      ? `Preflight failed: ${failed.length} of ${r.checks.length} checks (${failed.map((c) => c.title).join(', ')}).`
      : `Preflight passed${skipped > 0 ? ` (${skipped} check(s) skipped without a PR: run lendos preflight --pr N for all four)` : ''}.`;
  return [`Preflight of release ${r.version} on ${on}`, ...r.checks.flatMap(checkLines), verdict];
}

/** The UserError message of a failed preflight: each failing check with its fix. */
export function failureMessage(r: PreflightReport, rerun: string): string {
  const failing = r.checks.filter((c) => c.status === 'fail').flatMap(checkLines);
  return `Preflight failed on PR #${r.pr} at ${short(r.headSha ?? undefined)}:\n${failing.join('\n')}\n${rerun}`;
}
