import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { defaultConfig } from '../../src/core/config/defaults.js';
import { confirmationName, withRehearsalUrls } from '../../src/core/config/environment.js';
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
    ['a PQS connection that is not PostgreSQL', { environments: { staging: { pqs: { connection: 'mysql://db:3306/pqs' } } } }, /pqs\.connection: must be a connection URL such as postgres:\/\//],
    ['a PQS connection that is not a URL', { environments: { production: { pqs: { connection: 'host=db user=pqs' } } } }, /production\.pqs\.connection: must be a connection URL/],
    ['a PQS setting that is a string', { environments: { staging: { pqs: 'postgres://db/pqs' } } }, /pqs: must have connection \(a URL or null\) and secret/],
    ['an unknown PQS key', { environments: { staging: { pqs: { url: 'postgres://db/pqs' } } } }, /pqs\.url: unknown setting "url": expected one of connection, secret/],
    ['a PQS Secret with a bad name', { environments: { staging: { pqs: { secret: { name: 'PQS_Secret' } } } } }, /pqs\.secret\.name: "PQS_Secret" is not a valid Secret name/],
    ['a PQS Secret with an empty key', { environments: { staging: { pqs: { secret: { key: '' } } } } }, /pqs\.secret\.key: is empty: give the key inside the Secret/],
    ['a lease that is too short', { lease: { durationSeconds: 5 } }, /lease\.durationSeconds: must be a whole number of seconds from 15 to 3600/],
    ['a lease with a bad name', { lease: { name: 'Release Lock' } }, /lease\.name: "Release Lock" is not a valid Kubernetes name/],
    ['a lease that is a list', { lease: [] }, /lease: must have name, namespace and durationSeconds/],
    ['a validation pattern that does not compile', { validation: { ledgerPattern: 'Connected to (ledger' } }, /validation\.ledgerPattern: is not a regular expression/],
    ['validation backends that are not a list', { validation: { backends: { namespace: 'x' } } }, /validation\.backends: must be a list of \{namespace, deployment\}/],
    ['a validation backend without a deployment', { validation: { backends: [{ namespace: 'lendos-portal' }] } }, /validation\.backends\[0\]\.deployment: is missing: give the backend's deployment/],
  ];
  for (const [what, value, expected] of bad) {
    it(`reports ${what} with what to do and keeps the defaults`, () => {
      const { config, problems } = resolveConfig([layer(value)]);
      assert.ok(problems.length > 0, 'a problem is reported');
      assert.match(problems.map((p) => `${p.path}: ${p.message}`).join('\n'), expected);
      assert.ok(problems.every((p) => p.path.startsWith('.lendos/config.yaml')));
      assert.deepEqual(config.environments, defaultConfig().environments);
      assert.deepEqual(config.lease, defaultConfig().lease);
      assert.deepEqual(config.validation, defaultConfig().validation);
    });
  }

  it('reads the PQS connection, the cluster lease and the validation patterns', () => {
    const { config, problems } = resolveConfig([
      layer({
        environments: { staging: { pqs: { connection: 'postgres://pqs:secret@pqs.internal:5432/pqs', secret: { name: 'pqs.credentials' } } } },
        lease: { name: 'release-lock', durationSeconds: 120 },
        validation: { darPattern: 'DARs uploaded: .*{to}', backends: [{ namespace: 'lendos-portal', deployment: 'api' }] },
      }),
      { source: 'settings', value: { environments: { production: { pqs: { connection: null } } } } },
    ]);
    assert.deepEqual(problems, []);
    assert.deepEqual(config.environments.staging.pqs, {
      connection: 'postgres://pqs:secret@pqs.internal:5432/pqs',
      secret: { namespace: 'pqs', name: 'pqs.credentials', key: 'connection' },
    });
    assert.deepEqual(config.environments.production.pqs, defaultConfig().environments.production.pqs);
    assert.deepEqual(config.lease, { name: 'release-lock', namespace: 'lendos-portal', durationSeconds: 120 });
    assert.equal(config.validation.darPattern, 'DARs uploaded: .*{to}');
    assert.equal(config.validation.ledgerPattern, defaultConfig().validation.ledgerPattern);
    assert.deepEqual(config.validation.backends, [{ namespace: 'lendos-portal', deployment: 'api' }]);
  });

  it('treats an empty PQS connection as unset, so the Secret is read', () => {
    const { config, problems } = resolveConfig([layer({ environments: { staging: { pqs: { connection: '' } } } })]);
    assert.deepEqual(problems, []);
    assert.equal(config.environments.staging.pqs.connection, null);
  });

  it('reads how often an approval is looked for: whole seconds from 1 to 3600, 30 by default', () => {
    assert.equal(resolveConfig([]).config.github.approvalPollSeconds, 30);
    assert.equal(resolveConfig([layer({ github: { approvalPollSeconds: 5 } })]).config.github.approvalPollSeconds, 5);
    for (const bad of [0, 1.5, 7200, '30']) {
      const { config, problems } = resolveConfig([layer({ github: { approvalPollSeconds: bad } })]);
      assert.equal(config.github.approvalPollSeconds, 30);
      assert.deepEqual(problems.map((p) => p.path), ['.lendos/config.yaml: github.approvalPollSeconds'], String(bad));
    }
  });

  it('reads how long 2.2 waits for the main build to start: ten minutes unless set, whole seconds from 1 to 7200', () => {
    assert.equal(defaultConfig().github.buildStartTimeoutSeconds, 600);
    const set = resolveConfig([layer({ github: { buildStartTimeoutSeconds: 5 } })]);
    assert.deepEqual([set.problems, set.config.github.buildStartTimeoutSeconds], [[], 5]);
    const bad = resolveConfig([layer({ github: { buildStartTimeoutSeconds: 0.5 } })]);
    assert.equal(bad.config.github.buildStartTimeoutSeconds, 600);
    assert.match(bad.problems[0]?.path ?? '', /github\.buildStartTimeoutSeconds/);
    assert.match(bad.problems[0]?.message ?? '', /whole number of seconds from 1 to 7200/);
  });

  it('declares a setting in package.json for every environment field, with the defaults', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
    const props = pkg.contributes.configuration.properties as Record<string, { default: unknown }>;
    const defaults = defaultConfig();
    for (const [name, env] of Object.entries(defaults.environments)) {
      assert.equal(props[`lendos.environments.${name}.kubeContext`]?.default, env.kubeContext);
      assert.equal(props[`lendos.environments.${name}.cantonCluster`]?.default, env.cantonCluster);
      assert.deepEqual(props[`lendos.environments.${name}.replicas`]?.default, Object.fromEntries(env.services.map((s) => [s.name, s.replicas])));
      assert.deepEqual(props[`lendos.environments.${name}.pqs`]?.default, env.pqs);
    }
    assert.deepEqual(props['lendos.lease']?.default, defaults.lease);
    assert.deepEqual(props['lendos.validation']?.default, defaults.validation);
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

describe('configuration in a rehearsal, and the production guard’s name', () => {
  it('replaces the URLs of the environments the world serves, and only theirs', () => {
    const config = defaultConfig();
    const urls = { staging: ['http://127.0.0.1:9/staging/lendos-portal/'], production: ['http://127.0.0.1:9/production/lendos-portal/'] };
    const rehearsed = withRehearsalUrls(config, urls);
    assert.deepEqual(rehearsed.environments.staging.urls, urls.staging);
    assert.deepEqual(rehearsed.environments.production.urls, urls.production);
    assert.deepEqual(rehearsed.environments.dev.urls, config.environments.dev.urls, 'dev keeps its own');
    assert.equal(withRehearsalUrls(config, undefined), config);
    assert.deepEqual(config.environments.staging.urls, [], 'the configuration itself is not changed');
  });

  it('asks for the runbook’s name of the environment: bxci for production', () => {
    const { staging, production, dev } = defaultConfig().environments;
    assert.equal(confirmationName(production), 'bxci');
    assert.equal(confirmationName(staging), 'staging');
    assert.equal(confirmationName(dev), 'dev');
  });
});
