/**
 * Environments asserted by identity before any change, on the rehearsal world (whose kubeconfig names each cluster by
 * its EKS ARN and whose profiles reach one account each): a context or profile that reaches another environment is
 * refused with both identities shown; an identity not recorded yet is recorded by the first confirmed change and
 * checked by every later one; a configuration where two environments share a context is refused by the built CLI.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, afterEach, describe, it } from 'mocha';
import { parse, stringify } from 'yaml';
import type { LendosConfig } from '../../src/core/config/types.js';
import { CliWorld } from './cli-world.js';
import { KubeProcedureWorld } from './upgrade-kube-harness.js';

type Environment = 'staging' | 'production';

function withEnvironment(config: LendosConfig, name: Environment, change: Partial<LendosConfig['environments'][Environment]>): LendosConfig {
  return { ...config, environments: { ...config.environments, [name]: { ...config.environments[name], ...change } } };
}

const unrecorded = { account: null, clusterUid: null, server: null };

/** Adds a context `alias` to the world's kubeconfig that reaches `cluster`'s API server (a kubeconfig alias). */
function addAlias(world: KubeProcedureWorld, alias: string, cluster: Environment): void {
  const file = world.test.world.description.kubeconfig;
  const doc = parse(readFileSync(file, 'utf8')) as { contexts: { name: string; context: { cluster: string; user: string } }[] };
  const target = doc.contexts.find((c) => c.name === world.test.world.description.contexts[cluster]);
  assert.ok(target);
  doc.contexts.push({ name: alias, context: { ...target.context } });
  writeFileSync(file, stringify(doc));
}

describe('environments asserted by identity (rehearsal world)', function () {
  this.timeout(180_000);
  let world: KubeProcedureWorld | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  it("a staging context that reaches production's cluster is refused with both identities, and production is untouched", async () => {
    world = await KubeProcedureWorld.start('fast', (c) => withEnvironment(c, 'staging', { kubeContext: 'staging-alias' }));
    addAlias(world, 'staging-alias', 'production');
    await world.completeBefore('staging.upgrade.scale-down');
    const { result, prompt } = await world.run('staging.upgrade.scale-down');
    const { staging, production } = world.test.world.description.identities;
    assert.equal(result.status, 'failed');
    assert.match(result.summary, /^Refusing to change Staging: context staging-alias reaches the cluster with kube-system UID /);
    assert.ok(result.summary.includes(production.clusterUid) && result.summary.includes(production.server), 'the cluster found');
    assert.match(result.summary, /that is Production \(BXCI\)'s cluster .* Nothing was changed\.$/);
    assert.deepEqual(prompt.confirms, [], 'refused before anything is asked');
    assert.equal(await world.replicas('lendos-portal', 'lendos-portal', 'production'), 2);
    assert.equal(await world.replicas('lendos-portal', 'lendos-portal', 'staging'), 2);
    assert.ok(!result.summary.includes(staging.clusterUid), 'the cluster found is production\'s, not staging\'s');
  });

  it("staging credentials that reach production's account are refused, naming the account", async () => {
    world = await KubeProcedureWorld.start('fast', (c) => withEnvironment(c, 'staging', { awsProfile: 'bxci-prod/SREOperatorAccess' }));
    await world.completeBefore('staging.upgrade.scale-down');
    const { result } = await world.run('staging.upgrade.scale-down');
    assert.equal(result.status, 'failed');
    assert.match(result.summary, /^Refusing to change Staging: its AWS credentials \(bxci-prod\/SREOperatorAccess\) reach account 739451022368 as arn:aws:sts::739451022368:.*, but that is Production \(BXCI\)'s account/);
    assert.equal(await world.replicas('pqs', 'pqs'), 1);
  });

  it('an EKS cluster of another account than the credentials is refused, even with no identity recorded', async () => {
    world = await KubeProcedureWorld.start('fast', (c) =>
      withEnvironment(withEnvironment(c, 'staging', { identity: unrecorded, awsProfile: 'bxci-prod/SREOperatorAccess' }), 'production', { identity: unrecorded }),
    );
    await world.completeBefore('staging.upgrade.scale-down');
    const { result } = await world.run('staging.upgrade.scale-down');
    assert.equal(result.status, 'failed');
    assert.match(result.summary, /kubeconfig cluster arn:aws:eks:us-east-1:620134885217:cluster\/lendos-stg\), but that EKS cluster belongs to account 620134885217 while Staging's credentials reach account 739451022368/);
    assert.equal(await world.replicas('pqs', 'pqs'), 1);
  });

  it('a first change records the identity it found (after saying so); a later mismatch is refused showing both', async () => {
    world = await KubeProcedureWorld.start('fast', (c) => withEnvironment(withEnvironment(c, 'staging', { identity: unrecorded }), 'production', { identity: unrecorded }));
    await world.completeBefore('staging.upgrade.scale-down');
    const first = await world.run('staging.upgrade.scale-down');
    assert.equal(first.result.status, 'succeeded', first.result.summary);
    const { staging } = world.test.world.description.identities;
    assert.match(first.prompt.confirms[0]?.message ?? '', /Staging's identity is not recorded yet: confirming records account 620134885217, clusterUid \S+, server \S+ as Staging's in \.lendos\/config\.yaml/);
    const file = path.join(world.test.world.description.workspace.lendos, '.lendos', 'config.yaml');
    const recorded = (parse(readFileSync(file, 'utf8')) as { environments: { staging: { identity: unknown } } }).environments.staging.identity;
    assert.deepEqual(recorded, { account: '620134885217', clusterUid: staging.clusterUid, server: staging.server });
    // Someone rebuilt "staging" elsewhere, or the context now points at another cluster: the recorded identity says no.
    world.config = withEnvironment(world.config, 'staging', {
      identity: { account: '620134885217', clusterUid: '00000000-0000-4000-a000-000000000000', server: staging.server },
    });
    await world.completeBefore('staging.upgrade.canton-restart');
    const later = await world.run('staging.upgrade.canton-restart');
    assert.equal(later.result.status, 'failed');
    assert.ok(later.result.summary.includes(`kube-system UID ${staging.clusterUid}`), later.result.summary);
    assert.match(later.result.summary, /but Staging's recorded cluster is UID 00000000-0000-4000-a000-000000000000 at /);
  });
});

describe('two environments sharing a context (built CLI)', function () {
  this.timeout(120_000);
  let w: CliWorld;
  after(async () => w?.close());

  it("staging configured with production's context is refused before anything runs; production keeps its replicas", async () => {
    w = await CliWorld.start('fast');
    await w.completeBefore('staging.upgrade.scale-down');
    const config = path.join(w.root, '.lendos', 'config.yaml');
    writeFileSync(config, 'environments:\n  staging:\n    kubeContext: bxci-prod/SREOperatorAccess\n');
    const refused = await w.lendos('run', 'staging.upgrade.scale-down', '--yes');
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /environments\.staging\.kubeContext: is "bxci-prod\/SREOperatorAccess", the same kube context as Production \(BXCI\) \(environments\.production\.kubeContext\): every environment must be its own/);
    assert.equal(await w.replicas('lendos-portal', 'lendos-portal', 'production'), 2);
    assert.deepEqual((await w.events('staging.upgrade.scale-down')).length, 0);
  });
});
