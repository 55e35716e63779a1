/**
 * Preflight outside a release's journal (`lendos preflight`, what GitHub Actions runs on a release PR): the PR and the
 * version come from the command line, the PR's head branch or VERSION — never from a started release.
 */
import { CalVer, versionOfBranch } from '../../core/calver.js';
import type { LendosConfig } from '../../core/config/types.js';
import { UserError } from '../../core/errors.js';
import type { GitHub, RepoRef, UpgradePorts } from '../../ports.js';
import { MAIN, VERSION_FILE, short } from '../layout.js';
import { productApprovers, repoName } from './context.js';
import { preflightLocal, preflightPull, type PreflightReport } from './preflight.js';

export interface PreflightDeps {
  readonly ports: Pick<UpgradePorts, 'github' | 'repositories' | 'git' | 'workspaceRoot'>;
  readonly config: LendosConfig;
  /** Rate-limit and retry waits, said as they happen. */
  readonly onWait: (line: string) => void;
}

export interface PreflightRequest {
  readonly pr?: number;
  /** The release version; else from the PR's head branch (`release/<v>`), else VERSION. */
  readonly release?: string;
}

function checkedVersion(text: string, from: string): string {
  const parsed = CalVer.tryParse(text.trim());
  if (!parsed.ok)
    throw new UserError(`${from} "${text.trim()}" is not a release version: ${parsed.error.message}`);
  return parsed.value.format();
}

async function pullReport(
  deps: PreflightDeps,
  number: number,
  release: string | undefined,
): Promise<PreflightReport> {
  const [gh, { lendos }] = await Promise.all([deps.ports.github(deps.onWait), deps.ports.repositories()]);
  const pull = await gh.getPull(lendos, number);
  if (!pull)
    throw new UserError(
      `There is no pull request #${number} in ${repoName(lendos)}: check the number (the release PR goes release/<version> → ${MAIN}).`,
      'missing-pull',
    );
  if (pull.base !== MAIN) {
    throw new UserError(
      `PR #${number} (${pull.url}) goes ${pull.head} → ${pull.base}, not → ${MAIN}: preflight checks release PRs to ${MAIN}. Change its base to ${MAIN} on GitHub, or pass the release PR's number.`,
      'wrong-base',
    );
  }
  const fromBranch = versionOfBranch('release', pull.head)?.format();
  const version = release
    ? checkedVersion(release, '--release')
    : (fromBranch ?? (await versionAtHead(gh, lendos, pull.head, pull.headSha)));
  return preflightPull({
    gh,
    lendos,
    version,
    pull,
    approvers: () => productApprovers({ config: deps.config }, gh),
  });
}

async function versionAtHead(gh: GitHub, repo: RepoRef, head: string, sha: string): Promise<string> {
  const text = await gh.fileAt(repo, sha, VERSION_FILE);
  if (text === undefined)
    throw new UserError(
      `PR head ${head} is not a release/<version> branch and has no VERSION at ${short(sha)}: pass --release VERSION.`,
    );
  return checkedVersion(text, `${head} is not a release/<version> branch, and VERSION at ${short(sha)}`);
}

async function localVersion(deps: PreflightDeps): Promise<string> {
  const { git, workspaceRoot: cwd } = deps.ports;
  const branch = await git.currentBranch(cwd);
  const fromBranch = branch ? versionOfBranch('release', branch)?.format() : undefined;
  if (fromBranch) return fromBranch;
  const text = await git.showFile(cwd, 'HEAD', VERSION_FILE);
  if (text === undefined)
    throw new UserError(
      `Cannot tell the release: ${cwd} is not on a release/<version> branch and has no VERSION. Pass --release VERSION.`,
    );
  return checkedVersion(text, `${branch ?? 'HEAD'} is not a release/<version> branch, and VERSION`);
}

/** `lendos preflight [--pr N] [--release V]`: the four checks on a PR, or the two local ones without. */
export async function preflightFor(deps: PreflightDeps, request: PreflightRequest): Promise<PreflightReport> {
  if (request.pr !== undefined) return pullReport(deps, request.pr, request.release);
  const version = request.release ? checkedVersion(request.release, '--release') : await localVersion(deps);
  return preflightLocal(deps.ports.git, deps.ports.workspaceRoot, version);
}
