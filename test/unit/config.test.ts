import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { defaultConfig } from '../../src/core/config/defaults.js';
import { resolveConfig } from '../../src/core/config/resolve.js';

const layer = (value: unknown) => ({ source: '.lendos/config.yaml', value });

describe('configuration', () => {
  it('defaults to the runbook environment table', () => {
    const { config, problems } = resolveConfig([]);
    assert.deepEqual(problems, []);
    assert.equal(config.environments.staging.kubeContext, 'lendos-stg/SREOperatorAccess');
    assert.equal(config.environments.production.kubeContext, 'bxci-prod/SREOperatorAccess');
    assert.equal(config.environments.dev.kubeContext, 'lendos-dev/SREOperatorAccess');
    assert.equal(config.environments.staging.cantonCluster, 'canton-0-1-54');
    assert.equal(config.environments.production.cantonCluster, 'canton-20241104-0324');
    assert.equal(config.environments.production.upgradeArgument, 'bxci');
    assert.deepEqual(
      config.environments.staging.services.map((s) => [s.name, s.namespace, s.replicas]),
      [
        ['pqs', 'pqs', 1],
        ['daml-http-json', 'daml-http-json', 1],
        ['lendos-portal', 'lendos-portal', 2],
        ['signing-portal', 'signing-portal', 2],
      ],
    );
    assert.equal(config.environments.staging.region, 'us-east-1');
    assert.equal(config.ecr.upgradeRepository, 'right-pedal/portal-daml-upgrade');
    assert.equal(config.aws.artifactsProfile, 'artifacts-prod/SREOperatorAccess');
  });

  it('layers a file and settings over the defaults, later layers winning', () => {
    const { config, problems } = resolveConfig([
      layer({ environments: { staging: { kubeContext: 'file-ctx', replicas: { 'lendos-portal': 3 } } } }),
      { source: 'settings', value: { environments: { staging: { kubeContext: 'settings-ctx' } } } },
    ]);
    assert.deepEqual(problems, []);
    assert.equal(config.environments.staging.kubeContext, 'settings-ctx');
    assert.equal(config.environments.staging.services.find((s) => s.name === 'lendos-portal')?.replicas, 3);
    assert.equal(config.environments.production.kubeContext, 'bxci-prod/SREOperatorAccess');
  });

  const bad: [string, unknown, RegExp][] = [
    ['an unknown environment', { environments: { stagging: {} } }, /unknown environment "stagging": use one of dev, staging, production/],
    ['a missing context', { environments: { staging: { kubeContext: '' } } }, /kubeContext.*is empty: set the kube context name for Staging/],
    ['a null context', { environments: { production: { kubeContext: null } } }, /kubeContext.*is empty/],
    ['an unknown top-level key', { enviroments: {} }, /unknown setting "enviroments"/],
    ['a negative replica count', { environments: { staging: { replicas: { pqs: -1 } } } }, /whole number of replicas/],
    ['an unknown service', { environments: { staging: { replicas: { redis: 1 } } } }, /unknown service "redis"/],
    ['an invalid namespace', { environments: { staging: { namespaces: { pqs: 'PQS_NS' } } } }, /not a valid Kubernetes name/],
    ['a list where a mapping belongs', { environments: [] }, /must be a mapping of dev, staging, production/],
    ['a scalar file', 'hello', /must be a mapping of settings/],
    ['urls that are not strings', { environments: { staging: { urls: [1] } } }, /list of strings/],
  ];
  for (const [what, value, expected] of bad) {
    it(`reports ${what} with what to do and keeps the defaults`, () => {
      const { config, problems } = resolveConfig([layer(value)]);
      assert.ok(problems.length > 0, 'a problem is reported');
      assert.match(problems.map((p) => `${p.path}: ${p.message}`).join('\n'), expected);
      assert.ok(problems.every((p) => p.path.startsWith('.lendos/config.yaml')));
      assert.deepEqual(config.environments, defaultConfig().environments);
    });
  }

  it('declares a setting in package.json for every environment field, with the defaults', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
    const props = pkg.contributes.configuration.properties as Record<string, { default: unknown }>;
    const defaults = defaultConfig();
    for (const [name, env] of Object.entries(defaults.environments)) {
      assert.equal(props[`lendos.environments.${name}.kubeContext`]?.default, env.kubeContext);
      assert.equal(props[`lendos.environments.${name}.cantonCluster`]?.default, env.cantonCluster);
      assert.deepEqual(props[`lendos.environments.${name}.replicas`]?.default, Object.fromEntries(env.services.map((s) => [s.name, s.replicas])));
    }
    // Every declared release setting must be accepted by the resolver (no stale names).
    const value: Record<string, unknown> = {};
    for (const [key, prop] of Object.entries(props)) {
      if (key === 'lendos.runbookPath' || key === 'lendos.rehearsal.world') continue;
      const path = key.replace(/^lendos\./, '').split('.');
      let node = value;
      for (const part of path.slice(0, -1)) node = (node[part] ??= {}) as Record<string, unknown>;
      node[path[path.length - 1] as string] = prop.default;
    }
    const { problems } = resolveConfig([{ source: 'settings', value }]);
    assert.deepEqual(problems, []);
  });
});
