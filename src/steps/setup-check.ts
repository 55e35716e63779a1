/**
 * Check Codespace Setup: what a release needs on this machine, each with what to do when it is missing — kubectl, the
 * AWS CLI v2, the GitHub CLI, the kube contexts of staging and production, who each environment's AWS profile is
 * (STS, against the account recorded for it), the lendos-eks-workloads clone, and the
 * GitHub token's reach into lendos-eks-workloads (a Codespace grants it through `customizations.codespaces`).
 * Nothing here changes anything.
 */
import path from 'node:path';
import type { LendosConfig } from '../core/config/types.js';
import { messageOf } from '../core/errors.js';
import { neutraliseLine } from '../core/text.js';
import type { UpgradeEnvironment } from '../core/runbook/types.js';
import type { AwsIdentity, Git, Processes } from '../ports.js';
import type { GitHub, RepoRef } from '../ports-github.js';

export type SetupStatus = 'ok' | 'missing' | 'warn';

export interface SetupCheck {
  readonly check: string;
  readonly status: SetupStatus;
  readonly detail: string;
  /** What to do, when not ok. */
  readonly fix?: string;
}

export interface SetupPorts {
  readonly workspaceRoot: string;
  readonly processes: Processes;
  readonly git: Git;
  /** Extra environment for the tools (a rehearsal's KUBECONFIG and AWS files). */
  readonly scriptEnv: Readonly<Record<string, string>>;
  github(): Promise<GitHub>;
  repositories(): Promise<{ readonly lendos: RepoRef; readonly workloads: RepoRef }>;
  /** STS as the environment's AWS profile (the upgrade's own identity check). */
  identity(environment: UpgradeEnvironment): Promise<AwsIdentity>;
}

const DEVCONTAINER = 'the devcontainer.json in docs/codespaces/ (README: Codespaces) installs it';

/** Runs a tool and answers its output, or undefined when it is not there or fails. */
async function output(ports: SetupPorts, command: string, args: readonly string[]): Promise<string | undefined> {
  let text = '';
  try {
    const result = await ports.processes.run({ command, args, cwd: ports.workspaceRoot, env: ports.scriptEnv, onOutput: (chunk) => (text += chunk) });
    return result.exitCode === 0 ? text : undefined;
  } catch {
    return undefined;
  }
}

const firstLine = (text: string): string => neutraliseLine(text.trim().split('\n')[0] ?? '');

async function tool(ports: SetupPorts, check: string, command: string, args: readonly string[], fix: string): Promise<SetupCheck> {
  const found = await output(ports, command, args);
  return found === undefined ? { check, status: 'missing', detail: `${command} is not on PATH`, fix } : { check, status: 'ok', detail: firstLine(found) };
}

async function awsCli(ports: SetupPorts): Promise<SetupCheck> {
  const found = await output(ports, 'aws', ['--version']);
  const fix = `Install the AWS CLI v2 (${DEVCONTAINER}).`;
  if (found === undefined) return { check: 'AWS CLI', status: 'missing', detail: 'aws is not on PATH', fix };
  if (!/aws-cli\/2\./.test(found)) return { check: 'AWS CLI', status: 'warn', detail: `${firstLine(found)}: the runbook's commands need v2`, fix };
  return { check: 'AWS CLI', status: 'ok', detail: firstLine(found) };
}

async function kubeContexts(ports: SetupPorts, config: LendosConfig): Promise<SetupCheck> {
  const found = await output(ports, 'kubectl', ['config', 'get-contexts', '-o', 'name']);
  const wanted = (['staging', 'production'] as const).map((env) => config.environments[env].kubeContext);
  if (found === undefined) return { check: 'kube contexts', status: 'missing', detail: 'kubectl could not list the contexts', fix: 'Install kubectl, then add the clusters with aws eks update-kubeconfig.' };
  const have = new Set(found.split('\n').map((line) => line.trim()));
  const missing = wanted.filter((context) => !have.has(context));
  if (missing.length === 0) return { check: 'kube contexts', status: 'ok', detail: wanted.join(', ') };
  return { check: 'kube contexts', status: 'missing', detail: `no context ${missing.join(', ')} in the kubeconfig`, fix: 'aws eks update-kubeconfig --name <cluster> --alias <context> for each (the runbook\'s 3.1 prerequisites).' };
}

/** Each environment's AWS profile asked who it is (STS), against the account recorded for it, if one is. */
async function awsProfiles(ports: SetupPorts, config: LendosConfig): Promise<SetupCheck> {
  const results = await Promise.all(
    (['staging', 'production'] as const).map(async (environment) => {
      const env = config.environments[environment];
      const profile = env.awsProfile ?? '(default)';
      try {
        const { account } = await (await ports.identity(environment)).callerIdentity();
        const recorded = env.identity.account;
        if (recorded && recorded !== account) return { ok: false, text: `${environment}: ${profile} is account ${account}, but ${recorded} is recorded for ${environment}` };
        return { ok: true, text: `${environment}: ${profile} → account ${account}` };
      } catch (error) {
        return { ok: false, text: `${environment}: ${profile}: ${firstLine(messageOf(error))}` };
      }
    }),
  );
  const detail = results.map((r) => r.text).join('; ');
  if (results.every((r) => r.ok)) return { check: 'AWS profiles', status: 'ok', detail };
  return { check: 'AWS profiles', status: 'missing', detail, fix: 'Sign in to each profile (aws sso login --profile <profile>), or set lendos.environments.<env>.awsProfile.' };
}

async function workloadsClone(ports: SetupPorts, config: LendosConfig): Promise<SetupCheck> {
  const dir = path.resolve(ports.workspaceRoot, config.repositories.workloadsPath);
  const head = await ports.git.revParse(dir, 'HEAD').catch(() => undefined);
  if (head) return { check: 'workloads clone', status: 'ok', detail: `${dir} at ${head.slice(0, 7)}` };
  return { check: 'workloads clone', status: 'missing', detail: `${dir} is not a clone of ${config.repositories.workloads}`, fix: `git clone <lendos-eks-workloads URL> ${dir}, or set lendos.repositories.workloadsPath.` };
}

async function workloadsAccess(ports: SetupPorts): Promise<SetupCheck> {
  try {
    const { workloads } = await ports.repositories();
    const access = await (await ports.github()).checkAccess(workloads);
    const name = `${workloads.owner}/${workloads.name}`;
    if (access.ok) return { check: 'GitHub access', status: 'ok', detail: `the token reaches ${name}` };
    return { check: 'GitHub access', status: 'missing', detail: neutraliseLine(access.reason), fix: `Grant the Codespace ${name} (customizations.codespaces.repositories in devcontainer.json) and rebuild it.` };
  } catch (error) {
    return { check: 'GitHub access', status: 'missing', detail: neutraliseLine(messageOf(error)), fix: 'Sign in to GitHub (gh auth login, or the Accounts menu), then check again.' };
  }
}

export async function checkSetup(ports: SetupPorts, config: LendosConfig): Promise<SetupCheck[]> {
  return Promise.all([
    tool(ports, 'kubectl', 'kubectl', ['version', '--client'], `Install kubectl (${DEVCONTAINER}).`),
    awsCli(ports),
    tool(ports, 'GitHub CLI', 'gh', ['--version'], `Install gh (${DEVCONTAINER}).`),
    kubeContexts(ports, config),
    awsProfiles(ports, config),
    workloadsClone(ports, config),
    workloadsAccess(ports),
  ]);
}

/** The checks as Markdown, for the editor's report. */
export function setupReport(checks: readonly SetupCheck[]): string {
  const mark: Record<SetupStatus, string> = { ok: '✅', warn: '⚠️', missing: '❌' };
  const rows = checks.map((c) => `| ${mark[c.status]} | ${c.check} | ${c.detail.replace(/\|/g, '\\|')} | ${(c.fix ?? '').replace(/\|/g, '\\|')} |`);
  const missing = checks.filter((c) => c.status !== 'ok').length;
  const verdict = missing === 0 ? 'Everything a release needs is here.' : `${missing} of ${checks.length} need attention.`;
  return ['# LendOS: Codespace setup', '', verdict, '', '| | Check | Found | What to do |', '|---|---|---|---|', ...rows, ''].join('\n');
}
