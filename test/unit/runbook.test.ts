import assert from 'node:assert/strict';
import { CalVer, CalVerError } from '../../src/core/calver.js';
import { defaultConfig } from '../../src/core/config/defaults.js';
import type { EnvironmentConfig, LendosConfig } from '../../src/core/config/types.js';
import {
  buildRunbook,
  childrenOfGroup,
  findStep,
  phaseItems,
  stagesOf,
  stepsOfPhase,
} from '../../src/core/runbook/index.js';
import { shellWord } from '../../src/core/runbook/commands.js';
import { UPGRADE_STAGES, type Runbook, type StepDef } from '../../src/core/runbook/types.js';

const procedureIds = (environment: string): string[] => [
  `${environment}.upgrade.prerequisites`,
  `${environment}.upgrade.scale-down`,
  `${environment}.upgrade.canton-restart`,
  `${environment}.upgrade.snapshot`,
  `${environment}.upgrade.run`,
  ...UPGRADE_STAGES.map((stage) => `${environment}.upgrade.stage.${stage}`),
  `${environment}.upgrade.argocd-sync`,
  `${environment}.upgrade.scale-up`,
  `${environment}.upgrade.validate`,
];

/** The plan's ids, written out: changing one must be a deliberate edit here. */
const EXPECTED_IDS = `
  prep.cut-release-branch prep.bump-version prep.upgrade-branch prep.upgrade-images
  staging.preflight staging.merge-to-main staging.identify-tags staging.values-tags
  staging.upgrade.prerequisites staging.upgrade.scale-down staging.upgrade.canton-restart
  staging.upgrade.snapshot staging.upgrade.run staging.upgrade.stage.upload-dars
  staging.upgrade.stage.init-upgrade-coordinator staging.upgrade.stage.initialize-upgraders
  staging.upgrade.stage.upgrade-consent staging.upgrade.stage.upgrade
  staging.upgrade.stage.cleanup-upgraders staging.upgrade.stage.cleanup-coordinator
  staging.upgrade.argocd-sync staging.upgrade.scale-up staging.upgrade.validate
  staging.smoke-approval
  production.values-tags
  production.upgrade.prerequisites production.upgrade.scale-down production.upgrade.canton-restart
  production.upgrade.snapshot production.upgrade.run production.upgrade.stage.upload-dars
  production.upgrade.stage.init-upgrade-coordinator production.upgrade.stage.initialize-upgraders
  production.upgrade.stage.upgrade-consent production.upgrade.stage.upgrade
  production.upgrade.stage.cleanup-upgraders production.upgrade.stage.cleanup-coordinator
  production.upgrade.argocd-sync production.upgrade.scale-up production.upgrade.validate
  production.smoke-test production.gitflow
  recovery.stage-failure recovery.services-wont-start staging.recovery.restart-backends
  production.recovery.restart-backends recovery.data-validation recovery.fix-forward
  staging.rollback.stop-services staging.rollback.choose-snapshot staging.rollback.rename-cluster
  staging.rollback.restore-cluster staging.rollback.revert-values-tags staging.rollback.argocd-sync
  staging.rollback.scale-up staging.rollback.validate
  production.rollback.stop-services production.rollback.choose-snapshot production.rollback.rename-cluster
  production.rollback.restore-cluster production.rollback.revert-values-tags production.rollback.argocd-sync
  production.rollback.scale-up production.rollback.validate
`
  .trim()
  .split(/\s+/);

/** Every text of the runbook, titles to commands (JSON omits absent optional fields). */
const allText = (runbook: Runbook): string => JSON.stringify(runbook);

function step(runbook: Runbook, id: string): StepDef {
  const found = findStep(runbook, id);
  assert.ok(found, `step ${id} exists`);
  return found;
}

type Change = Partial<EnvironmentConfig>;
const withEnvironment = (
  config: LendosConfig,
  name: 'staging' | 'production',
  change: Change,
): LendosConfig => ({
  ...config,
  environments: { ...config.environments, [name]: { ...config.environments[name], ...change } },
});

describe('runbook as data', () => {
  const config = defaultConfig();
  const runbook = buildRunbook('2025.4.0', config);

  it('lists exactly the expected step ids, in runbook order', () => {
    assert.deepEqual(
      runbook.steps.map((s) => s.id),
      EXPECTED_IDS,
    );
  });

  it('accepts a CalVer or its text, and refuses a bad version', () => {
    assert.deepEqual(buildRunbook(CalVer.parse('2025.4.0'), config), runbook);
    assert.equal(runbook.version, '2025.4.0');
    assert.throws(() => buildRunbook('2025.4', config), CalVerError);
  });

  it('gives every step a unique, stable-looking id', () => {
    const ids = runbook.steps.map((s) => s.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const id of ids) assert.match(id, /^[a-z0-9.-]+$/);
  });

  it('titles every step uniquely among the steps beside it (the tree shows titles; sections repeat)', () => {
    const siblings = new Map<string, string[]>();
    for (const step of runbook.steps) {
      const place = `${step.phase}/${step.group ?? ''}/${step.parent ?? ''}`;
      siblings.set(place, [...(siblings.get(place) ?? []), step.title]);
    }
    for (const [place, titles] of siblings) assert.equal(new Set(titles).size, titles.length, `${place}: ${titles.join(', ')}`);
  });

  it('is in a topological order: every dependency exists and comes earlier', () => {
    const seen = new Set<string>();
    for (const s of runbook.steps) {
      for (const dependency of s.dependsOn)
        assert.ok(seen.has(dependency), `${s.id} depends on earlier ${dependency}`);
      seen.add(s.id);
    }
  });

  it('fills in every required field with real text', () => {
    const phaseIds = runbook.phases.map((phase) => phase.id);
    const groupIds = runbook.groups.map((group) => group.id);
    for (const s of runbook.steps) {
      assert.ok(s.title.trim() && s.section.trim() && s.anchor.trim() && s.success.trim(), s.id);
      const sentences = s.guidance.split(/(?<=[.!?])\s+(?=[A-Z`(])/).length;
      assert.ok(sentences >= 2 && sentences <= 5, `${s.id} guidance has 2–5 sentences (${sentences})`);
      assert.ok(phaseIds.includes(s.phase), s.id);
      if (s.group !== undefined) assert.ok(groupIds.includes(s.group), `${s.id} group ${s.group}`);
      assert.ok(!/^\d/.test(s.title), `${s.id} title has no section number`);
    }
  });

  it('never prints undefined, null or [object …]', () => {
    for (const version of ['2025.4.0', '2026.12.3']) {
      const text = allText(buildRunbook(version, config));
      assert.doesNotMatch(text, /undefined|\[object|NaN|\bnull\b/);
    }
  });

  it('is manual everywhere except the two Product approvals', () => {
    const approvals = runbook.steps.filter((s) => s.kind === 'approval').map((s) => s.id);
    assert.deepEqual(approvals, ['staging.smoke-approval', 'production.smoke-test']);
    assert.ok(runbook.steps.every((s) => s.kind === 'manual' || s.kind === 'approval'));
  });

  it('marks Canton restart and recovery optional, and the main line required', () => {
    const optional = runbook.steps.filter((s) => s.optional).map((s) => s.id);
    const expected = runbook.steps
      .filter((s) => s.phase === 'recovery' || s.id.endsWith('.canton-restart'))
      .map((s) => s.id);
    assert.deepEqual(optional, expected);
    const recovery = stepsOfPhase(runbook, 'recovery');
    assert.ok(recovery.filter((s) => s.group === 'recovery').every((s) => s.dependsOn.length === 0));
    for (const environment of ['staging', 'production']) {
      const rollback = recovery.filter((s) => s.group === `${environment}.rollback`);
      assert.equal(rollback.length, 8);
      assert.ok(rollback.every((s, i) => s.environment === environment && s.dependsOn.length === (i === 0 ? 0 : 1)));
    }
  });

  it('links the phases as the runbook does', () => {
    assert.deepEqual(step(runbook, 'staging.preflight').dependsOn, ['prep.upgrade-images']);
    assert.deepEqual(step(runbook, 'staging.upgrade.prerequisites').dependsOn, ['staging.values-tags']);
    assert.deepEqual(step(runbook, 'staging.smoke-approval').dependsOn, ['staging.upgrade.validate']);
    assert.deepEqual(step(runbook, 'production.values-tags').dependsOn, ['staging.smoke-approval']);
    assert.ok(step(runbook, 'production.upgrade.prerequisites').dependsOn.includes('staging.smoke-approval'));
    assert.deepEqual(step(runbook, 'production.gitflow').dependsOn, ['production.smoke-test']);
  });

  for (const environment of ['staging', 'production'] as const) {
    describe(`the Section 3 procedure for ${environment}`, () => {
      it('lists its steps in the group, in order', () => {
        const grouped = runbook.steps.filter((s) => s.group === `${environment}.upgrade`).map((s) => s.id);
        assert.deepEqual(grouped, procedureIds(environment));
        assert.ok(
          runbook.steps
            .filter((s) => s.group === `${environment}.upgrade`)
            .every((s) => s.environment === environment),
        );
      });

      it('has the seven stages in order under its run step, each after the previous', () => {
        const stages = stagesOf(runbook, `${environment}.upgrade.run`);
        assert.equal(stages.map((s) => s.stage).join(), UPGRADE_STAGES.join());
        assert.deepEqual(stages[0]?.dependsOn, [`${environment}.upgrade.snapshot`]);
        stages.slice(1).forEach((s, index) => assert.deepEqual(s.dependsOn, [stages[index]?.id]));
        assert.deepEqual(step(runbook, `${environment}.upgrade.argocd-sync`).dependsOn, [stages[6]?.id]);
        assert.ok(stages.every((s) => s.commands.some((c) => c.includes(`--stage ${s.stage}`))));
      });

      it('spreads the runbook timeline over the stages', () => {
        const minutes = stagesOf(runbook, `${environment}.upgrade.run`).map((s) => s.typicalMinutes ?? 0);
        const total = minutes.reduce((sum, m) => sum + m, 0);
        const [low, high] = environment === 'staging' ? [30, 45] : [60, 90];
        assert.ok(minutes.every((m) => m > 0) && total >= low && total <= high, `${total} minutes`);
      });

      it('puts the snapshot name pattern and the Canton cluster in the snapshot command', () => {
        const cluster = config.environments[environment].cantonCluster ?? '';
        const commands = step(runbook, `${environment}.upgrade.snapshot`).commands.join('\n');
        assert.match(commands, /canton-upgrade-2025-4-0-YYYYMMDD-HHMM/);
        assert.ok(commands.includes(`--db-cluster-identifier ${cluster} `));
      });

      it('runs the upgrade with the environment argument and placeholders', () => {
        const argument = config.environments[environment].upgradeArgument;
        const run = step(runbook, `${environment}.upgrade.run`).commands;
        assert.ok(run.includes(`./run-upgrade.sh --from <from> --to <to> ${argument}`));
      });

      it('scales every configured service down to 0 and back to its replicas', () => {
        const env = config.environments[environment];
        const down = step(runbook, `${environment}.upgrade.scale-down`).commands;
        const up = step(runbook, `${environment}.upgrade.scale-up`).commands;
        for (const service of env.services) {
          const target = `--context=${env.kubeContext} -n ${service.namespace}`;
          assert.ok(down.includes(`kubectl scale deployment ${service.deployment} --replicas=0 ${target}`));
          assert.ok(
            up.includes(
              `kubectl scale deployment ${service.deployment} --replicas=${service.replicas} ${target}`,
            ),
          );
        }
      });
    });
  }

  it("keeps each environment's context and cluster to its own commands", () => {
    const commandsOf = (environment: string): string =>
      runbook.steps.flatMap((s) => (s.environment === environment ? s.commands : [])).join('\n');
    for (const [own, other] of [
      ['staging', 'production'],
      ['production', 'staging'],
    ] as const) {
      const text = commandsOf(own);
      const [mine, theirs] = [config.environments[own], config.environments[other]];
      for (const value of [mine.kubeContext, mine.cantonCluster ?? '?'])
        assert.ok(text.includes(value), value);
      for (const value of [theirs.kubeContext, theirs.cantonCluster ?? '?'])
        assert.ok(!text.includes(value), value);
    }
    assert.match(commandsOf('production'), / bxci$/m);
  });

  it('substitutes the release version', () => {
    const other = buildRunbook('2026.2.1', config);
    const commandsOf = (id: string): string => step(other, id).commands.join('\n');
    assert.ok(
      !allText(other).includes('2025.4.0') && !allText(other).includes('2025-4-0'),
      'no example left',
    );
    assert.match(commandsOf('prep.cut-release-branch'), /^git checkout -b release\/2026\.2\.1$/m);
    assert.match(
      commandsOf('prep.bump-version'),
      /^git commit -m "Bump VERSION to 2026\.2\.1 for release"$/m,
    );
    assert.match(commandsOf('prep.upgrade-images'), /^git checkout upgrade\/2026\.2\.1$/m);
    assert.match(commandsOf('staging.values-tags'), /^git checkout -b release\/2026\.2\.1-values$/m);
    assert.match(commandsOf('production.gitflow'), /Sync release 2026\.2\.1 to develop/);
    assert.match(commandsOf('recovery.fix-forward'), /release\/2026\.2\.2/);
    assert.match(commandsOf('production.upgrade.snapshot'), /canton-upgrade-2026-2-1-YYYYMMDD-HHMM/);
  });

  it('takes its values from the configuration', () => {
    const changed = withEnvironment(config, 'production', {
      kubeContext: 'other-prod/Admin',
      cantonCluster: 'canton-test-1',
      argoApplications: ['portal-app'],
      awsProfile: 'prod profile',
    });
    const text = buildRunbook('2025.4.0', changed)
      .steps.flatMap((s) => s.commands)
      .join('\n');
    assert.match(text, /--context=other-prod\/Admin -n pqs/);
    assert.match(text, /--db-cluster-identifier canton-test-1 /);
    assert.match(text, /argocd app sync portal-app --prune/);
    assert.match(text, /--profile 'prod profile'/);
    assert.doesNotMatch(text, /bxci-prod/);
  });

  it('uses placeholders, not null, when an upgrade environment lacks a cluster or argument', () => {
    const incomplete = withEnvironment(config, 'staging', { cantonCluster: null, upgradeArgument: null });
    const text = allText(buildRunbook('2025.4.0', incomplete));
    assert.doesNotMatch(text, /\bnull\b|undefined/);
    assert.match(text, /<canton cluster id>/);
  });

  it('names runbook headings as anchors', () => {
    assert.equal(step(runbook, 'staging.upgrade.scale-down').anchor, '3.1.1 Scale Down Services');
    assert.equal(step(runbook, 'prep.cut-release-branch').anchor, '1.1 Cut Release Branch');
    assert.equal(step(runbook, 'production.upgrade.stage.upgrade').anchor, 'What Happens: The 7 Stages');
  });

  it('lists phases and groups', () => {
    assert.deepEqual(
      runbook.phases.map((phase) => phase.title),
      [
        'Phase 1 · Preparation',
        'Phase 2 · Staging deployment',
        'Phase 3 · Production deployment',
        'Recovery',
      ],
    );
    assert.deepEqual(
      runbook.groups.map((group) => [group.id, group.phase, group.section]),
      [
        ['staging.upgrade', 'staging', '2.4'],
        ['production.upgrade', 'production', '3.2'],
        ['recovery', 'recovery', '3.4'],
        ['staging.rollback', 'recovery', '3.4'],
        ['production.rollback', 'recovery', '3.4'],
      ],
    );
    assert.equal(runbook.groups[0]?.title, 'DAML upgrade in staging');
  });

  describe('queries', () => {
    it('findStep finds by id', () => {
      assert.equal(findStep(runbook, 'staging.upgrade.snapshot')?.section, '3.1.3');
      assert.equal(findStep(runbook, 'nope'), undefined);
    });

    it('stepsOfPhase returns a phase in order', () => {
      assert.deepEqual(
        stepsOfPhase(runbook, 'preparation').map((s) => s.section),
        ['1.1', '1.2', '1.3', '1.4'],
      );
      assert.equal(stepsOfPhase(runbook, 'staging').length, 4 + 15 + 1);
    });

    it('childrenOfGroup leaves the stages to their run step', () => {
      const children = childrenOfGroup(runbook, 'staging.upgrade').map((s) => s.id);
      assert.deepEqual(
        children,
        procedureIds('staging').filter((id) => !id.includes('.stage.')),
      );
      assert.equal(childrenOfGroup(runbook, 'recovery').length, 6);
      assert.equal(childrenOfGroup(runbook, 'production.rollback').length, 8);
      assert.deepEqual(stagesOf(runbook, 'staging.upgrade.scale-down'), []);
    });

    it('phaseItems shows ungrouped steps and groups in runbook order', () => {
      const items = phaseItems(runbook, 'staging').map((item) =>
        item.kind === 'step' ? item.step.id : `group:${item.group.id}`,
      );
      const expected = 'staging.preflight staging.merge-to-main staging.identify-tags staging.values-tags';
      assert.deepEqual(items, [...expected.split(' '), 'group:staging.upgrade', 'staging.smoke-approval']);
      assert.equal(
        phaseItems(runbook, 'recovery')
          .map((item) => item.kind)
          .join(),
        'group,group,group',
      );
    });
  });

  describe('shellWord', () => {
    it('quotes only what a shell would read', () => {
      assert.equal(shellWord('lendos-stg/SREOperatorAccess'), 'lendos-stg/SREOperatorAccess');
      assert.equal(shellWord('app=canton-participant'), 'app=canton-participant');
      assert.equal(shellWord('two words'), "'two words'");
      assert.equal(shellWord("it's; rm -rf /"), `'it'\\''s; rm -rf /'`);
      assert.equal(shellWord(''), "''");
    });
  });
});

describe('runbook anchors against the bundled runbook text', () => {
  it('each anchor is exactly one whole line of media/release-execution-runbook.txt', async () => {
    const { readFileSync } = await import('node:fs');
    const { buildRunbook: build } = await import('../../src/core/runbook/index.js');
    const { defaultConfig: defaults } = await import('../../src/core/config/defaults.js');
    const lines = readFileSync('media/release-execution-runbook.txt', 'utf8').split('\n').map((l) => l.trim());
    for (const step of [...build('2025.4.0', defaults()).steps, ...build('dev', defaults()).steps]) {
      const matches = lines.filter((l) => l === step.anchor).length;
      if (matches !== 1) throw new Error(`${step.id}: anchor ${JSON.stringify(step.anchor)} matches ${matches} lines`);
    }
  });
});
