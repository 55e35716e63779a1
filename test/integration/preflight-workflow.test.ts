/**
 * The GitHub Actions workflow LendOS proposes for lendos: its `run:` command, taken from the parsed YAML with the PR
 * number and environment substituted as Actions would, runs the built CLI in a fresh checkout against the rehearsal
 * world's GitHub (GITHUB_TOKEN, GITHUB_API_URL; no world file, no started release) and gives preflight's verdict.
 * LendOS: Add Preflight Workflow's PR is opened through the GitHub port as a real commit on the world's remote.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'mocha';
import { parse } from 'yaml';
import { preflightFor } from '../../src/steps/github/preflight-target.js';
import {
  PREFLIGHT_WORKFLOW,
  PREFLIGHT_WORKFLOW_BRANCH,
  PREFLIGHT_WORKFLOW_PATH,
  proposePreflightWorkflow,
} from '../../src/steps/github/preflight-workflow.js';
import { CLI, ensureBuiltCli } from './cli-helpers.js';
import { GitHubWorld, LENDOS } from './github-harness.js';
import { run, type ProcessResult } from './rehearsal/world-helpers.js';

interface WorkflowStep {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Workflow {
  on: { pull_request: { branches: string[] }; pull_request_review: unknown };
  permissions: Record<string, string>;
  jobs: { preflight: { if: string; steps: WorkflowStep[] } };
}

const workflow = parse(PREFLIGHT_WORKFLOW) as Workflow;
const steps = workflow.jobs.preflight.steps;
const preflightStep = steps.find((s) => s.run?.includes('lendos preflight')) as WorkflowStep;

describe('the preflight workflow (GitHub Actions) against the rehearsal world', function () {
  this.timeout(180_000);
  let w: GitHubWorld;
  let checkout = '';
  let bin = '';

  /** The step's `run:` as Actions runs it: expressions substituted, bash -e, the runner's GitHub variables. */
  const actionsRun = (pr: number): Promise<ProcessResult> => {
    const d = w.test.world.description;
    const expressions: Record<string, string> = {
      'github.event.pull_request.number': String(pr),
      'secrets.GITHUB_TOKEN': d.github.token,
    };
    const substitute = (text: string) =>
      text.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, name: string) => expressions[name] ?? '');
    const clean = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !/^(AWS_|KUBE|LENDOS_|GITHUB_|GH_)/.test(k)),
    );
    const stepEnv = Object.fromEntries(
      Object.entries(preflightStep.env ?? {}).map(([k, v]) => [k, substitute(v)]),
    );
    const env = {
      ...clean,
      ...stepEnv,
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_API_URL: d.github.apiUrl,
      PATH: `${bin}:${process.env.PATH ?? ''}`,
    };
    return run('bash', ['-e', '-c', substitute(preflightStep.run ?? '')], { cwd: checkout, env });
  };

  before(async () => {
    ensureBuiltCli();
    w = await GitHubWorld.start('fast', []);
    await w.pushReleaseBranch('2025.4.0');
    const dir = mkdtempSync(path.join(tmpdir(), 'lendos-actions-'));
    checkout = path.join(dir, 'lendos');
    bin = path.join(dir, 'bin');
    execFileSync('git', [
      'clone',
      '-q',
      '--branch',
      'release/2025.4.0',
      w.test.world.description.remotes.lendos,
      checkout,
    ]);
    mkdirSync(bin);
    // Installed as the workflow's npm install --global would: a `lendos` on PATH running the built CLI.
    writeFileSync(path.join(bin, 'lendos'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
    chmodSync(path.join(bin, 'lendos'), 0o755);
  });
  after(async () => {
    if (checkout) rmSync(path.dirname(checkout), { recursive: true, force: true });
    await w?.cleanup();
  });

  it('runs on PRs to main from release/* with Node 20, the CLI the team provides and GITHUB_TOKEN', () => {
    assert.deepEqual(workflow.on.pull_request.branches, ['main']);
    assert.ok(workflow.on.pull_request_review, 'an approval runs it again');
    assert.match(
      workflow.jobs.preflight.if,
      /startsWith\(github\.event\.pull_request\.head\.ref, 'release\/'\)/,
    );
    assert.deepEqual(
      steps.map((s) => s.uses ?? 'run'),
      ['actions/checkout@v4', 'actions/setup-node@v4', 'run', 'run'],
    );
    assert.equal(steps[1]?.with?.['node-version'], 20);
    assert.match(steps[2]?.run ?? '', /npm install --global "\$LENDOS_CLI_PACKAGE"/);
    assert.match(PREFLIGHT_WORKFLOW, /^# .*LENDOS_CLI_PACKAGE/m);
    assert.equal(preflightStep.run, 'lendos preflight --pr ${{ github.event.pull_request.number }}');
    assert.equal(preflightStep.env?.GITHUB_TOKEN, '${{ secrets.GITHUB_TOKEN }}');
    assert.deepEqual(workflow.permissions, { contents: 'read', 'pull-requests': 'read', issues: 'read' });
  });

  it('its run: in a fresh checkout passes on an approved release PR (exit 0) and writes no journal', async () => {
    const pull = await w.gh.createPull(LENDOS, {
      head: 'release/2025.4.0',
      base: 'main',
      title: 'Release 2025.4.0',
      body: '',
    });
    await w.approved(pull.number);
    const unconfigured = await actionsRun(pull.number);
    assert.equal(
      unconfigured.code,
      1,
      'without product approvers in .lendos/config.yaml the approval cannot be checked',
    );
    assert.match(
      unconfigured.stdout,
      /✖ Product approval on the PR: Could not check: No product approvers are configured/,
    );
    mkdirSync(path.join(checkout, '.lendos'));
    writeFileSync(
      path.join(checkout, '.lendos', 'config.yaml'),
      'github:\n  productApprovers: [luis-product]\n',
    );
    const result = await actionsRun(pull.number);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.equal(result.stdout.match(/^✔ /gm)?.length, 4, result.stdout);
    assert.match(result.stdout, new RegExp(`Preflight of release 2025\\.4\\.0 on PR #${pull.number}`));
    assert.equal(existsSync(path.join(checkout, '.lendos', 'runs')), false, 'nothing journalled');
  });

  it("fails (exit 1) on a release PR whose checks fail, with the engine's verdict", async () => {
    await w.pushReleaseBranch('2025.6.0');
    const pull = await w.gh.createPull(LENDOS, {
      head: 'release/2025.6.0',
      base: 'main',
      title: 'Release 2025.6.0',
      body: '',
    });
    const result = await actionsRun(pull.number);
    assert.equal(result.code, 1);
    assert.match(result.stdout, /✖ Milestone complete: No milestone is named 2025\.6\.0\./);
    const engine = await preflightFor(
      { ports: w.ports, config: w.config, onWait: () => undefined },
      { pr: pull.number },
    );
    assert.equal(engine.passed, false);
    assert.equal(engine.checks.find((c) => c.check === 'milestone')?.status, 'fail');
  });

  it('Add Preflight Workflow opens a PR to develop from lendos/preflight-workflow as a real commit; again, the same PR', async () => {
    const first = await proposePreflightWorkflow(w.gh, LENDOS);
    assert.equal(first.kind, 'pull');
    if (first.kind !== 'pull') return;
    assert.deepEqual(
      [first.created, first.pull.head, first.pull.base],
      [true, PREFLIGHT_WORKFLOW_BRANCH, 'develop'],
    );
    assert.equal(
      await w.gh.fileAt(LENDOS, PREFLIGHT_WORKFLOW_BRANCH, PREFLIGHT_WORKFLOW_PATH),
      PREFLIGHT_WORKFLOW,
    );
    const gitDir = w.test.world.description.remotes.lendos;
    const log = execFileSync(
      'git',
      ['--git-dir', gitDir, 'log', '-1', '--format=%P %s', PREFLIGHT_WORKFLOW_BRANCH],
      { encoding: 'utf8' },
    ).trim();
    const develop = execFileSync('git', ['--git-dir', gitDir, 'rev-parse', 'develop'], {
      encoding: 'utf8',
    }).trim();
    assert.equal(log, `${develop} Add the LendOS preflight workflow (release runbook 2.1)`);
    const again = await proposePreflightWorkflow(w.gh, LENDOS);
    assert.deepEqual(again.kind === 'pull' && [again.created, again.pull.number], [false, first.pull.number]);
    await w.gh.mergePull(LENDOS, first.pull.number, {
      sha: (await w.gh.getPull(LENDOS, first.pull.number))?.headSha ?? '',
    });
    assert.deepEqual(await proposePreflightWorkflow(w.gh, LENDOS), { kind: 'up-to-date', branch: 'develop' });
  });
});
