import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import { CollectingLog, Phase1World, RemoteTemplate, ScriptedPrompt, VERSION, git } from './phase1-world.js';

const RELEASE = `release/${VERSION}`;
const UPGRADE = `upgrade/${VERSION}`;
const GENERATED = 'services/portal-daml-upgrade/src/main/daml/Generated';
const STEPS = ['prep.cut-release-branch', 'prep.bump-version', 'prep.upgrade-branch', 'prep.upgrade-images'];

describe('phase 1 steps on the rehearsal world (real git, scripts and ECR)', function () {
  this.timeout(120_000);
  const template = new RemoteTemplate();
  let world: Phase1World;
  before(async () => {
    await template.create();
    world = await Phase1World.create(template);
  });
  after(async () => {
    await world?.close();
    template.remove();
  });

  it('1.1 cuts release/2025.4.0 from develop and pushes it with upstream', async () => {
    const develop = git(world.root, 'rev-parse', 'origin/develop');
    const { result } = await world.run('prep.cut-release-branch');
    assert.deepEqual(result, {
      status: 'succeeded',
      summary: `Cut ${RELEASE} from develop at ${develop.slice(0, 7)} and pushed it`,
      adopted: false,
    });
    assert.equal(git(world.remote, 'rev-parse', RELEASE), develop);
    assert.equal(git(world.root, 'rev-parse', '--abbrev-ref', `${RELEASE}@{upstream}`), `origin/${RELEASE}`);
    assert.equal(git(world.root, 'branch', '--show-current'), RELEASE);
    const evidence = await world.evidence('prep.cut-release-branch');
    assert.deepEqual(
      [evidence.branch, evidence.commit, evidence.adopted, evidence.pushed],
      [RELEASE, develop, false, true],
    );
    assert.deepEqual(
      (await world.events('prep.cut-release-branch')).map((e) => e.type),
      ['step.started', 'step.progress', 'step.evidence', 'step.succeeded'],
    );
  });

  it('1.2 shows the VERSION diff, commits the bump on the release branch and pushes it', async () => {
    const { result, prompt } = await world.run('prep.bump-version');
    assert.equal(result.status, 'succeeded', result.summary);
    assert.equal(prompt.confirms.length, 1);
    assert.equal(
      prompt.confirms[0]?.detail,
      '--- a/VERSION\n+++ b/VERSION\n@@ -1 +1 @@\n-2025.3.0\n+2025.4.0',
    );
    assert.equal(git(world.remote, 'show', `${RELEASE}:VERSION`), VERSION);
    assert.equal(
      git(world.remote, 'log', '-1', '--format=%s', RELEASE),
      `Bump VERSION to ${VERSION} for release`,
    );
    assert.equal(git(world.remote, 'rev-list', '--count', `develop..${RELEASE}`), '1');
    const evidence = await world.evidence('prep.bump-version');
    assert.equal(evidence.commit, git(world.remote, 'rev-parse', RELEASE));
    assert.deepEqual(
      [evidence.previousVersion, evidence.committed, evidence.pushed],
      ['2025.3.0', true, true],
    );
  });

  it('1.3 proposes the three versions from the daml.yaml files in one form, generates, commits to the upgrade branch only', async () => {
    const { result, prompt, log } = await world.run('prep.upgrade-branch');
    assert.equal(result.status, 'succeeded', result.summary);
    assert.equal(prompt.forms.length, 1);
    const fields = prompt.forms[0]?.fields ?? [];
    assert.deepEqual(
      fields.map((f) => [f.id, f.value]),
      [
        ['from', '0.1.92'],
        ['to', '0.1.93'],
        ['dataLoaderFrom', '0.1.92'],
      ],
    );
    assert.match(fields[0]?.source ?? '', /^services\/lendos-daml\/daml\.yaml on origin\/main: version/);
    assert.match(fields[1]?.source ?? '', /release\/2025\.4\.0 still reads 0\.1\.92.*next patch/);
    assert.match(fields[2]?.source ?? '', /^services\/data-loader-service\/daml\.yaml on origin\/main/);
    assert.match(
      log.output_,
      /==> portal-daml-upgrade: lendos-model 0\.1\.92 -> 0\.1\.93 \(data loader 0\.1\.92\)/,
    );
    assert.ok(
      log.lines.some((l) =>
        /^warn: services\/portal-daml-upgrade\/src\/test\/daml existed and was kept/.test(l),
      ),
      log.text(),
    );
    const manifest = JSON.parse(git(world.remote, 'show', `${UPGRADE}:${GENERATED}/manifest.json`)) as Record<
      string,
      unknown
    >;
    assert.deepEqual([manifest.from, manifest.to, manifest.dataLoaderFrom], ['0.1.92', '0.1.93', '0.1.92']);
    assert.equal(
      git(world.remote, 'ls-tree', '-r', '--name-only', RELEASE, '--', GENERATED),
      '',
      'Generated/ is not on the release branch',
    );
    assert.equal(
      git(world.remote, 'log', '-1', '--format=%s', UPGRADE),
      'Generate DAML upgrade 0.1.92 -> 0.1.93',
    );
    assert.equal(git(world.remote, 'rev-parse', `${UPGRADE}~1`), git(world.remote, 'rev-parse', RELEASE));
    const evidence = await world.evidence('prep.upgrade-branch');
    assert.equal(evidence.exitCode, 0);
    assert.equal(evidence.commit, git(world.remote, 'rev-parse', UPGRADE));
    assert.ok(
      (evidence.generatedFiles as string[]).includes(`A ${GENERATED}/LendOS/Covenant/CovenantUpgrade.daml`),
      String(evidence.generatedFiles),
    );
    assert.deepEqual(evidence.kept, ['services/portal-daml-upgrade/src/test/daml']);
  });

  it('1.4 runs docker-build.sh --push with the artifacts profile and verifies both tags in ECR', async () => {
    const { result, log } = await world.run('prep.upgrade-images');
    assert.equal(result.status, 'succeeded', `${result.summary}\n${log.text()}`);
    assert.match(log.output_, /==> Pushed .*:v0\.1\.93\.0\.1\.92\.1-runner/);
    const evidence = await world.evidence('prep.upgrade-images');
    assert.deepEqual(
      [evidence.exitCode, evidence.build, evidence.repository, evidence.profile],
      [0, 1, 'right-pedal/portal-daml-upgrade', 'artifacts-prod/SREOperatorAccess'],
    );
    const images = evidence.images as {
      variant: string;
      tag: string;
      digest: string;
      sizeBytes: number;
      pushedAt: string;
    }[];
    assert.deepEqual(
      images.map((i) => [i.variant, i.tag]),
      [
        ['init', 'v0.1.93.0.1.92.1-init'],
        ['runner', 'v0.1.93.0.1.92.1-runner'],
      ],
    );
    for (const image of images) {
      assert.match(image.digest, /^sha256:[0-9a-f]{64}$/);
      assert.ok(image.sizeBytes > 0);
      assert.ok(!Number.isNaN(Date.parse(image.pushedAt)));
      assert.ok(
        log.output_.includes(`${image.tag}: digest: ${image.digest}`),
        'the journal holds the digest the script printed',
      );
    }
  });

  it('reruns every step without duplicate commits, branches or pushes', async () => {
    const refs = world.remoteRefs();
    const eventsBefore = (await world.events()).length;
    for (const step of STEPS) {
      const { result, prompt } = await world.run(step);
      assert.equal(result.status, 'succeeded', `${step}: ${result.summary}`);
      assert.equal(result.status === 'succeeded' && result.adopted, true, `${step} adopted what is done`);
      assert.deepEqual([prompt.confirms.length, prompt.forms.length], [0, 0], `${step} asked nothing`);
    }
    assert.equal(world.remoteRefs(), refs, 'no ref of the remote moved');
    const rerun = (await world.events()).slice(eventsBefore);
    assert.deepEqual(
      rerun.map((e) => e.type),
      STEPS.flatMap(() => ['step.started', 'step.succeeded']),
    );
    const images = rerun.at(-1)?.data?.images as { tag: string }[];
    assert.deepEqual(
      images.map((i) => i.tag),
      ['v0.1.93.0.1.92.1-init', 'v0.1.93.0.1.92.1-runner'],
      'the images already pushed, not a build 2',
    );
  });

  it('finds interrupted steps done after a reload and adopts them', async () => {
    await world.service.appendEvent({ release: VERSION, step: 'prep.bump-version', type: 'step.started' });
    const shell = {
      prompt: new ScriptedPrompt(),
      log: new CollectingLog(),
      signal: new AbortController().signal,
    };
    const notes = await world.runner.reconcile(VERSION, shell);
    assert.deepEqual(notes, ['prep.bump-version']);
    const last = (await world.events('prep.bump-version')).at(-1);
    assert.equal(last?.type, 'step.succeeded');
    assert.match(
      last?.message ?? '',
      /^Found done after an interruption: VERSION on origin\/release\/2025\.4\.0 already reads 2025\.4\.0/,
    );
  });
});
