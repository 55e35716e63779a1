import assert from 'node:assert/strict';
import {
  compareDamlVersions,
  damlVersionProblem,
  findPackage,
  parseDamlYaml,
  parseManifest,
  proposalFromManifest,
  proposeUpgradeVersions,
} from '../../src/steps/daml-versions.js';
import { LOADER_PACKAGE, MODEL_PACKAGE } from '../../src/steps/layout.js';

const yaml = (name: string, version: string, extra = '') =>
  `# comment\nsdk-version: 2.9.5\nname: ${name}\nversion: ${version}\n${extra}`;

describe('steps: DAML versions from daml.yaml', () => {
  describe('parseDamlYaml', () => {
    const cases: [string, string, { name?: string; version?: string }][] = [
      ['plain', 'name: lendos-model\nversion: 0.1.92\n', { name: 'lendos-model', version: '0.1.92' }],
      ['sdk-version is not version', 'sdk-version: 2.9.5\nname: x\n', { name: 'x' }],
      [
        'quotes and comments',
        'name: \'lendos-model\' # the model\nversion: "0.1.92"   # bump me\n',
        { name: 'lendos-model', version: '0.1.92' },
      ],
      [
        'CRLF and a BOM',
        '\uFEFFname: lendos-model\r\nversion: 0.1.92\r\n',
        { name: 'lendos-model', version: '0.1.92' },
      ],
      [
        'nested keys do not count',
        'build-options:\n  version: 9.9.9\nversion: 0.1.92\n',
        { version: '0.1.92' },
      ],
      ['the first of duplicate keys', 'version: 0.1.92\nversion: 0.1.99\n', { version: '0.1.92' }],
      ['spaces before the colon', 'version   :   0.1.92\n', { version: '0.1.92' }],
    ];
    for (const [title, text, expected] of cases) {
      it(title, () => assert.deepEqual(parseDamlYaml(text), expected));
    }
  });

  describe('findPackage', () => {
    it('finds a package by name wherever its folder is', () => {
      const files = [
        { path: 'services/data-loader-service/daml.yaml', text: yaml('lendos-data-loader', '0.1.92') },
        { path: 'packages/model/daml.yaml', text: yaml('lendos-model', '0.1.95') },
      ];
      assert.deepEqual(findPackage(files, MODEL_PACKAGE), {
        path: 'packages/model/daml.yaml',
        version: '0.1.95',
      });
    });

    it('prefers the usual path among several of the same name, then the shortest path', () => {
      const copies = [
        { path: 'test/fixtures/old/daml.yaml', text: yaml('lendos-model', '0.0.1') },
        { path: 'services/lendos-daml/daml.yaml', text: yaml('lendos-model', '0.1.92') },
      ];
      assert.equal(findPackage(copies, MODEL_PACKAGE)?.version, '0.1.92');
      const elsewhere = [
        { path: 'a/long/path/daml.yaml', text: yaml('lendos-model', '0.0.1') },
        { path: 'model/daml.yaml', text: yaml('lendos-model', '0.1.93') },
      ];
      assert.equal(findPackage(elsewhere, MODEL_PACKAGE)?.version, '0.1.93');
    });

    it('falls back to the usual path when the name changed, and skips invalid versions', () => {
      const renamed = [
        { path: 'services/data-loader-service/daml.yaml', text: yaml('data-loader', '0.1.90') },
      ];
      assert.deepEqual(findPackage(renamed, LOADER_PACKAGE), {
        path: 'services/data-loader-service/daml.yaml',
        version: '0.1.90',
      });
      const invalid = [{ path: 'services/lendos-daml/daml.yaml', text: yaml('lendos-model', '0.1') }];
      assert.equal(findPackage(invalid, MODEL_PACKAGE), undefined);
    });
  });

  describe('proposeUpgradeVersions', () => {
    const deployedModel = { path: 'services/lendos-daml/daml.yaml', version: '0.1.92' };
    const deployedLoader = { path: 'services/data-loader-service/daml.yaml', version: '0.1.91' };
    const base = {
      deployedModel,
      deployedLoader,
      deployedRef: 'origin/main',
      releaseRef: 'release/2025.4.0',
    };

    it('takes the target from the release branch when the model was bumped there', () => {
      const proposal = proposeUpgradeVersions({
        ...base,
        releaseModel: { ...deployedModel, version: '0.1.94' },
      });
      assert.deepEqual(
        [proposal.from.value, proposal.to.value, proposal.dataLoaderFrom.value],
        ['0.1.92', '0.1.94', '0.1.91'],
      );
      assert.equal(
        proposal.from.source,
        'services/lendos-daml/daml.yaml on origin/main: version (deployed model)',
      );
      assert.equal(
        proposal.to.source,
        'services/lendos-daml/daml.yaml on release/2025.4.0: version (release model)',
      );
      assert.equal(
        proposal.dataLoaderFrom.source,
        'services/data-loader-service/daml.yaml on origin/main: version (deployed data loader)',
      );
    });

    it('proposes the next patch when the release still carries the deployed version, and says so', () => {
      const proposal = proposeUpgradeVersions({ ...base, releaseModel: deployedModel });
      assert.equal(proposal.to.value, '0.1.93');
      assert.match(
        proposal.to.source,
        /still reads 0\.1\.92, the deployed version: proposed the next patch version/,
      );
    });

    it('leaves a field empty, saying what was not found, rather than guessing', () => {
      const proposal = proposeUpgradeVersions({ deployedRef: 'origin/main', releaseRef: 'release/2025.4.0' });
      assert.deepEqual([proposal.from.value, proposal.to.value, proposal.dataLoaderFrom.value], ['', '', '']);
      assert.equal(proposal.from.source, 'no daml.yaml of lendos-model found on origin/main: type it');
    });

    it('continues with the versions of an earlier generation', () => {
      const proposal = proposalFromManifest(
        { from: '0.1.92', to: '0.1.93', dataLoaderFrom: '0.1.92' },
        'Generated/manifest.json on upgrade/2025.4.0',
      );
      assert.deepEqual(
        [proposal.to.value, proposal.to.source],
        ['0.1.93', 'Generated/manifest.json on upgrade/2025.4.0 (generated earlier): to'],
      );
    });
  });

  it('compares versions numerically and validates them strictly', () => {
    assert.ok(compareDamlVersions('0.1.10', '0.1.9') > 0);
    assert.equal(compareDamlVersions('1.0.0', '1.0.0'), 0);
    assert.equal(damlVersionProblem('0.1.93'), undefined);
    for (const bad of ['0.1', 'v0.1.93', '0.01.93', '0.1.93; rm -rf /', '-1.0.0', '']) {
      assert.match(damlVersionProblem(bad) ?? '', /is not a DAML package version/, bad);
    }
  });

  it('reads the generator manifest, refusing anything else', () => {
    assert.deepEqual(
      parseManifest('{"from":"0.1.91","to":"0.1.92","dataLoaderFrom":"0.1.91","templates":[]}'),
      { from: '0.1.91', to: '0.1.92', dataLoaderFrom: '0.1.91' },
    );
    for (const bad of [
      undefined,
      '',
      'not json',
      '{"from":"0.1.91"}',
      '{"from":"x","to":"0.1.92","dataLoaderFrom":"0.1.91"}',
    ]) {
      assert.equal(parseManifest(bad), undefined, String(bad));
    }
  });
});
