import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClock } from '../../../rehearsal/src/clock.js';
import type { Fault, Scenario } from '../../../rehearsal/src/contracts.js';
import { cloneWorkspace, createRemotes, git, type Remotes } from '../../../rehearsal/src/git/index.js';

const UPGRADE_DIR = 'services/portal-daml-upgrade';
const CHART_DIR = 'charts/daml-upgrade';

function scenarioWith(faults: Fault[]): Scenario {
  return {
    name: 'git-scripts-test',
    description: 'repository scripts',
    seed: 3,
    timeScale: 0.001,
    durations: { podReady: 1, podTerminate: 1, stage: 1, snapshot: 1, restore: 1, argoSync: 1, mainBuild: 1 },
    faults,
  };
}

/** The test process's environment without AWS or rehearsal settings, so each case sets exactly what it means. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(AWS_|LENDOS_|KUBE)/.test(k)));
  return { ...env, ...extra };
}

function run(cwd: string, script: string, args: string[], env: NodeJS.ProcessEnv = cleanEnv()) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(script, args, { cwd, env, encoding: 'utf8' }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
}

describe('rehearsal repository scripts', function () {
  let dir: string;
  let remotes: Remotes;
  let count = 0;
  const clone = async (remote: string, faults?: Fault[]) => {
    const dest = join(dir, `ws-${++count}`);
    await cloneWorkspace(remote, dest, faults ? { scenario: scenarioWith(faults) } : {});
    return dest;
  };

  before(async function () {
    dir = mkdtempSync(join(tmpdir(), 'lendos-scripts-'));
    remotes = await createRemotes(join(dir, 'remotes'), { clock: createClock({ timeScale: 1, seed: 3 }), scenario: scenarioWith([]) });
  });

  after(function () {
    rmSync(dir, { recursive: true, force: true });
  });

  describe('generate-upgrade.sh', function () {
    it('regenerates Generated/, creates Upgrade/ once and keeps src/test/daml', async function () {
      const ws = await clone(remotes.lendos);
      const cwd = join(ws, UPGRADE_DIR);
      const testFile = readFileSync(join(cwd, 'src/test/daml/UpgradeTest.daml'), 'utf8');
      const first = await run(cwd, './generate-upgrade.sh', ['0.1.92', '0.1.93', '0.1.92']);
      assert.equal(first.code, 0, first.stderr);
      assert.match(first.stdout, /lendos-model 0\.1\.92 -> 0\.1\.93 \(data loader 0\.1\.92\)/);
      assert.match(first.stdout, /created src\/main\/daml\/Upgrade\/Coordinator\.daml/);
      assert.match(first.stdout, /kept src\/test\/daml/);
      const manifest = JSON.parse(readFileSync(join(cwd, 'src/main/daml/Generated/manifest.json'), 'utf8')) as Record<string, unknown>;
      assert.deepEqual(manifest['templates'], ['LendOS.Covenant:Covenant', 'LendOS.Facility:Facility', 'LendOS.Loan:Loan']);
      assert.equal(manifest['to'], '0.1.93');
      assert.match(readFileSync(join(cwd, 'src/main/daml/Generated/LendOS/Loan/LoanUpgrade.daml'), 'utf8'), /import qualified V0_1_93\.LendOS\.Loan as New/);
      assert.equal(readFileSync(join(cwd, 'src/test/daml/UpgradeTest.daml'), 'utf8'), testFile);

      writeFileSync(join(cwd, 'src/main/daml/Upgrade/Coordinator.daml'), '-- hand-tuned\n');
      const second = await run(cwd, './generate-upgrade.sh', ['0.1.92', '0.1.93', '0.1.92']);
      assert.equal(second.code, 0, second.stderr);
      assert.match(second.stdout, /kept src\/main\/daml\/Upgrade/);
      assert.equal(readFileSync(join(cwd, 'src/main/daml/Upgrade/Coordinator.daml'), 'utf8'), '-- hand-tuned\n');
      const status = await git(['status', '--porcelain', '--untracked-files=all'], { cwd: ws });
      const changed = status.split('\n').filter(Boolean).map((line) => line.slice(3));
      assert.ok(changed.length > 0);
      assert.ok(changed.every((f) => f.startsWith(`${UPGRADE_DIR}/src/main/daml/Generated/`) || f.startsWith(`${UPGRADE_DIR}/src/main/daml/Upgrade/`)), status);
    });

    it('exits 2 with its usage on bad arguments, before writing anything', async function () {
      const ws = await clone(remotes.lendos);
      const cwd = join(ws, UPGRADE_DIR);
      for (const args of [[], ['0.1.92', '0.1.93'], ['0.1.92', 'latest', '0.1.92'], ['0.1.93', '0.1.92', '0.1.92']]) {
        const result = await run(cwd, './generate-upgrade.sh', args);
        assert.equal(result.code, 2, `args ${args.join(' ')}`);
        assert.match(result.stderr, /^error: /);
        assert.match(result.stderr, /Usage: \.\/generate-upgrade\.sh <old-version> <new-version> <old-data-loader-version>/);
      }
      assert.equal(existsSync(join(cwd, 'src/main/daml/Generated')), false);
    });

    it('fails with the exit code of a script-fails fault and leaves the tree clean', async function () {
      const ws = await clone(remotes.lendos, [{ kind: 'script-fails', script: 'generate-upgrade', exitCode: 3 }]);
      const result = await run(join(ws, UPGRADE_DIR), './generate-upgrade.sh', ['0.1.92', '0.1.93', '0.1.92']);
      assert.equal(result.code, 3);
      assert.match(result.stderr, /upgrade generation failed; nothing was written/);
      assert.equal(await git(['status', '--porcelain', '--untracked-files=all'], { cwd: ws }), '');
    });
  });

  describe('docker-build.sh (no ECR server needed)', function () {
    let cwd: string;
    before(async function () {
      cwd = join(await clone(remotes.lendos), UPGRADE_DIR);
    });

    it('refuses to build before the code is generated, and rejects unknown arguments', async function () {
      const notGenerated = await run(cwd, './docker-build.sh', ['--push']);
      assert.equal(notGenerated.code, 1);
      assert.match(notGenerated.stderr, /run \.\/generate-upgrade\.sh/);
      const unknown = await run(cwd, './docker-build.sh', ['--publish']);
      assert.equal(unknown.code, 2);
      assert.match(unknown.stderr, /unknown argument '--publish'[\s\S]*Usage: \.\/docker-build\.sh \[--push\]/);
    });

    it('builds both variants locally without --push', async function () {
      assert.equal((await run(cwd, './generate-upgrade.sh', ['0.1.92', '0.1.93', '0.1.92'])).code, 0);
      const result = await run(cwd, './docker-build.sh', []);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /naming to portal-daml-upgrade:v0\.1\.93\.0\.1\.92\.local-init/);
      assert.match(result.stdout, /naming to portal-daml-upgrade:v0\.1\.93\.0\.1\.92\.local-runner/);
    });

    const clients = [{ name: 'the bundled SigV4 client', env: { LENDOS_AWS_CLI: '' } }];
    if (existsSync('/usr/bin/aws')) clients.push({ name: 'the aws CLI', env: { LENDOS_AWS_CLI: '/usr/bin/aws' } });
    for (const client of clients) {
      it(`names a profile that is not configured, as ${client.name} says it`, async function () {
        const empty = join(dir, 'empty-aws-file');
        writeFileSync(empty, '');
        const env = cleanEnv({ ...client.env, AWS_PROFILE: 'artifacts-prod/SREOperatorAccess', AWS_CONFIG_FILE: empty, AWS_SHARED_CREDENTIALS_FILE: empty });
        const result = await run(cwd, './docker-build.sh', ['--push'], env);
        assert.notEqual(result.code, 0);
        assert.match(result.stderr, /The config profile \(artifacts-prod\/SREOperatorAccess\) could not be found/);
        assert.match(result.stderr, /assume artifacts-prod\/SREOperatorAccess/);
        assert.doesNotMatch(result.stdout, /The push refers to repository/);
      });

      it(`says no credentials were found without a profile, as ${client.name} says it`, async function () {
        const env = cleanEnv({ ...client.env, HOME: join(dir, 'no-home') });
        const result = await run(cwd, './docker-build.sh', ['--push'], env);
        assert.notEqual(result.code, 0);
        assert.match(result.stderr, /Unable to locate credentials/);
      });
    }

    it('reports an unreachable ECR endpoint with the aws CLI wording', async function () {
      const env = cleanEnv({ LENDOS_AWS_CLI: '', AWS_ACCESS_KEY_ID: 'AKIAREHEARSAL', AWS_SECRET_ACCESS_KEY: 'secret', AWS_ENDPOINT_URL_ECR: 'http://127.0.0.1:9' });
      const result = await run(cwd, './docker-build.sh', ['--push'], env);
      assert.equal(result.code, 255);
      assert.match(result.stderr, /Could not connect to the endpoint URL: "http:\/\/127\.0\.0\.1:9\/"/);
    });
  });

  describe('run-upgrade.sh argument validation', function () {
    let cwd: string;
    before(async function () {
      cwd = join(await clone(remotes.workloads), CHART_DIR);
    });

    const bad: Array<[string, string[], RegExp]> = [
      ['no arguments', [], /--from and --to are required/],
      ['a malformed version', ['--from', '0.1', '--to', '0.1.93', 'staging'], /--from '0\.1' is not a version/],
      ['an unknown environment', ['--from', '0.1.92', '--to', '0.1.93', 'production'], /unknown environment 'production'/],
      ['two environments', ['--from', '0.1.92', '--to', '0.1.93', 'staging', 'bxci'], /expected one environment/],
      ['an unknown stage', ['--from', '0.1.92', '--to', '0.1.93', 'staging', '--stage', 'migrate'], /unknown stage 'migrate'; stages: upload-dars, init-upgrade-coordinator/],
      ['an unknown option', ['--from', '0.1.92', '--to', '0.1.93', 'staging', '--dry-run'], /unknown option --dry-run/],
    ];
    for (const [what, args, message] of bad) {
      it(`exits 2 with its usage on ${what}`, async function () {
        const result = await run(cwd, './run-upgrade.sh', args);
        assert.equal(result.code, 2);
        assert.match(result.stderr, message);
        assert.match(result.stderr, /Usage: \.\/run-upgrade\.sh --from X\.Y\.Z --to X\.Y\.Z <staging\|bxci>/);
      });
    }

    it('names the missing context of the environment in the kubeconfig', async function () {
      const kubeconfig = join(dir, 'kubeconfig-empty');
      writeFileSync(kubeconfig, 'apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n');
      const result = await run(cwd, './run-upgrade.sh', ['--from', '0.1.92', '--to', '0.1.93', 'bxci'], cleanEnv({ KUBECONFIG: kubeconfig }));
      assert.equal(result.code, 1);
      assert.match(result.stderr, /context "bxci-prod\/SREOperatorAccess" does not exist/);
    });

    it('reads a kubectl-style kubeconfig, honours KUBE_CONTEXT and reports an unreachable cluster', async function () {
      const kubeconfig = join(dir, 'kubeconfig-local');
      writeFileSync(
        kubeconfig,
        [
          'apiVersion: v1',
          'clusters:',
          '- cluster:',
          '    insecure-skip-tls-verify: true',
          '    server: http://127.0.0.1:9',
          '  name: local',
          'contexts:',
          '- context:',
          '    cluster: local',
          '    user: local-user',
          '  name: local/Admin',
          'current-context: local/Admin',
          'kind: Config',
          'preferences: {}',
          'users:',
          '- name: local-user',
          '  user:',
          '    token: rehearsal-token # not a comment inside a token',
          '',
        ].join('\n'),
      );
      const env = cleanEnv({ KUBECONFIG: kubeconfig, KUBE_CONTEXT: 'local/Admin' });
      const result = await run(cwd, './run-upgrade.sh', ['--from', '0.1.92', '--to', '0.1.93', 'staging'], env);
      assert.equal(result.code, 1);
      assert.match(result.stdout, /on staging \(context local\/Admin, namespace lendos-portal\)/);
      assert.match(result.stderr, /Kubernetes cluster unreachable: GET "http:\/\/127\.0\.0\.1:9\/apis\/batch\/v1\/namespaces\/lendos-portal\/jobs\/daml-upgrade-0-1-93-upload-dars"/);
    });

    it('fails with the exit code of a script-fails fault', async function () {
      const ws = await clone(remotes.workloads, [{ kind: 'script-fails', script: 'run-upgrade', exitCode: 4 }]);
      const result = await run(join(ws, CHART_DIR), './run-upgrade.sh', ['--from', '0.1.92', '--to', '0.1.93', 'staging']);
      assert.equal(result.code, 4);
      assert.match(result.stderr, /UPGRADE FAILED/);
    });
  });
});
