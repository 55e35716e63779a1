import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { withRehearsal } from '../../src/core/config/environment.js';
import { resolveConfig } from '../../src/core/config/resolve.js';
import { foldJournal, stepState, type JournalEvent } from '../../src/core/journal/index.js';
import { describeOwner, holderOf, ownerData, parseHolder, parseOwner, type RunOwner } from '../../src/core/run-owner.js';
import { answersFrom } from '../../src/engine/scripted-prompt.js';
import { lockKey } from '../../src/engine/run-guard.js';

const ADA: RunOwner = { id: 'r-6f1c2a9b', pid: 4242, host: 'ada-codespace', shell: 'cli', actor: 'Ada <ada@example.com>', since: '2025-11-10T12:00:03.123Z' };

const ev = (type: JournalEvent['type'], step: string, extra: Partial<JournalEvent> = {}): JournalEvent => ({
  v: 1,
  time: extra.time ?? '2025-11-10T12:00:00.000Z',
  actor: 'Ada <ada@example.com>',
  release: '2025.4.0',
  type,
  step,
  ...extra,
});

describe('runs: owners, holders, the journal', () => {
  it('a run owner goes into the journal and a lock file and comes back; anything else is not one', () => {
    assert.deepEqual(parseOwner(JSON.parse(JSON.stringify(ownerData(ADA)))), ADA);
    assert.deepEqual(parseOwner(ownerData({ ...ADA, pidStart: 8812 })), { ...ADA, pidStart: 8812 });
    for (const bad of [null, 'r-1', { ...ownerData(ADA), pid: '4242' }, { ...ownerData(ADA), shell: 'web' }, { ...ownerData(ADA), since: 'yesterday' }]) {
      assert.equal(parseOwner(bad), undefined, JSON.stringify(bad));
    }
    assert.equal(describeOwner(ADA), 'Ada <ada@example.com> in lendos CLI (pid 4242) on ada-codespace since 2025-11-10 12:00:03 UTC (run r-6f1c2a9b)');
  });

  it('the Lease holder names person, host, process and run, and is read back; the older "person @ host" form too', () => {
    assert.equal(holderOf(ADA), 'Ada <ada@example.com> @ ada-codespace (cli pid 4242, run r-6f1c2a9b)');
    assert.deepEqual(parseHolder(holderOf(ADA)), { actor: 'Ada <ada@example.com>', host: 'ada-codespace', shell: 'cli', pid: 4242, runId: 'r-6f1c2a9b' });
    assert.deepEqual(parseHolder('Bob Ops @ bob-laptop'), { actor: 'Bob Ops', host: 'bob-laptop' });
    assert.equal(parseHolder('someone'), undefined);
    assert.equal(parseHolder(''), undefined);
  });

  it('folds each run: who runs a step, and when its run ended — a stage started by its procedure belongs to that run', () => {
    const run = { run: ownerData(ADA) };
    const state = foldJournal('2025.4.0', [
      ev('step.started', 'staging.upgrade.run', { data: run }),
      ev('step.started', 'staging.upgrade.stage.upload-dars', { data: run }),
      ev('step.succeeded', 'staging.upgrade.stage.upload-dars', { time: '2025-11-10T12:01:00.000Z' }),
    ]);
    assert.deepEqual(stepState(state, 'staging.upgrade.run').run, ADA);
    assert.deepEqual(state.runs.get(ADA.id), { owner: ADA, step: 'staging.upgrade.run' }, 'still running: its own step has not ended');
    const ended = foldJournal('2025.4.0', [
      ev('step.started', 'staging.upgrade.run', { data: run }),
      ev('step.cancelled', 'staging.upgrade.run', { time: '2025-11-10T12:02:00.000Z' }),
    ]);
    assert.equal(ended.runs.get(ADA.id)?.endedAt, '2025-11-10T12:02:00.000Z');
  });

  it('evidence kept first: a later event cannot change it, a reset forgets it', () => {
    const step = 'staging.upgrade.scale-down';
    const real = { pqs: 1, 'lendos-portal': 2 };
    const zeros = { pqs: 0, 'lendos-portal': 0 };
    const events = [
      ev('step.started', step),
      ev('step.evidence', step, { data: { replicasBefore: real }, keep: 'first' }),
      ev('step.evidence', step, { data: { replicasBefore: zeros, other: 1 }, keep: 'first' }),
      ev('step.evidence', step, { data: { replicasBefore: zeros } }),
      ev('step.succeeded', step, { data: { replicasBefore: zeros, scaledDown: ['pqs'] } }),
    ];
    const kept = stepState(foldJournal('2025.4.0', events), step);
    assert.deepEqual(kept.evidence, { replicasBefore: real, other: 1, scaledDown: ['pqs'] });
    assert.deepEqual(kept.sealed, ['replicasBefore', 'other']);
    const reset = stepState(foldJournal('2025.4.0', [...events, ev('step.reset', step), ev('step.evidence', step, { data: { replicasBefore: zeros }, keep: 'first' })]), step);
    assert.deepEqual(reset.evidence, { replicasBefore: zeros });
  });

  it('an upgrade stage shares its procedure run’s lock; every other step has its own', () => {
    assert.equal(lockKey({ id: 'staging.upgrade.stage.upgrade', parent: 'staging.upgrade.run' }), 'staging.upgrade.run');
    assert.equal(lockKey({ id: 'staging.upgrade.scale-down' }), 'staging.upgrade.scale-down');
  });

  it('scripted answers count only from the test harness; anyone else is asked, and told so', () => {
    const said: string[] = [];
    const log = { warn: (line: string) => said.push(line) };
    const answers = { yes: true, confirmEnvironment: 'bxci' };
    assert.equal(answersFrom(answers, true, log), answers);
    assert.equal(answersFrom(answers, false, log), undefined);
    assert.equal(answersFrom(undefined, false, log), undefined);
    assert.deepEqual(said, ['Scripted answers are taken only from the test harness; you are asked instead.']);
  });
});

describe('configuration: environments kept apart, identities', () => {
  const layer = (value: unknown) => [{ source: '.lendos/config.yaml', value }];

  it('refuses two environments sharing a context, a profile, an account or a cluster, naming both and what to do', () => {
    const uid = '6cf1a4f2-191a-4055-ac8b-f4f6a4c7b9ac';
    const { problems } = resolveConfig(
      layer({
        environments: {
          staging: { kubeContext: 'bxci-prod/SREOperatorAccess', awsProfile: 'bxci-prod/SREOperatorAccess', identity: { account: '739451022368', clusterUid: uid } },
          production: { identity: { account: '739451022368', clusterUid: uid } },
        },
      }),
    );
    // On the environment whose value was configured away from the runbook's default; when both were, on the later one.
    assert.deepEqual(problems.map((p) => p.path), ['environments.staging.kubeContext', 'environments.staging.awsProfile', 'environments.production.identity.account', 'environments.production.identity.clusterUid']);
    assert.match(problems[0]?.message ?? '', /^is "bxci-prod\/SREOperatorAccess", the same kube context as Production \(BXCI\) \(environments\.production\.kubeContext\): every environment must be its own\. Set Staging's own kube context; nothing runs until they differ\.$/);
    assert.deepEqual(resolveConfig([]).problems, [], 'the runbook’s table keeps them apart');
  });

  it('reads an identity, refusing what is not an account, a kube-system UID or a server URL', () => {
    const good = { account: '620134885217', clusterUid: '6cf1a4f2-191a-4055-ac8b-f4f6a4c7b9ac', server: 'https://ABC.gr7.us-east-1.eks.amazonaws.com' };
    const { config, problems } = resolveConfig(layer({ environments: { staging: { identity: good } } }));
    assert.deepEqual(problems, []);
    assert.deepEqual(config.environments.staging.identity, good);
    const bad = resolveConfig(layer({ environments: { staging: { identity: { account: '62013488521', clusterUid: 'staging', server: 'stg', region: 'x' } } } }));
    assert.deepEqual(bad.problems.map((p) => p.path), [
      '.lendos/config.yaml: environments.staging.identity.region',
      '.lendos/config.yaml: environments.staging.identity.account',
      '.lendos/config.yaml: environments.staging.identity.clusterUid',
      '.lendos/config.yaml: environments.staging.identity.server',
    ]);
    assert.match(bad.problems[1]?.message ?? '', /12-digit AWS account id \(aws sts get-caller-identity\)/);
    assert.deepEqual(bad.config.environments.staging.identity, { account: null, clusterUid: null, server: null });
  });

  it('a rehearsal takes its world’s identities, never the configured ones', () => {
    const { config } = resolveConfig(layer({ environments: { staging: { identity: { account: '111111111111' } } } }));
    const world = { identities: { staging: { account: '620134885217', clusterUid: '6cf1a4f2-191a-4055-ac8b-f4f6a4c7b9ac', server: 'https://127.0.0.1:1' } } };
    const rehearsed = withRehearsal(config, world);
    assert.deepEqual(rehearsed.environments.staging.identity, world.identities.staging);
    assert.equal(rehearsed.environments.production.identity, config.environments.production.identity);
    assert.equal(withRehearsal(config, undefined), config);
  });
});
