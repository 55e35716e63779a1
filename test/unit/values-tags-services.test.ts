import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'mocha';
import { resolveConfig } from '../../src/core/config/resolve.js';
import { UserError } from '../../src/core/errors.js';
import { applyTagEdits, ecrRepositoryOf, locateTags, siteOf, tagsBySite } from '../../src/core/values-tags/index.js';
import { inPlaceDiff } from '../../src/steps/text-diff.js';

const STAGING = readFileSync('rehearsal/fixtures/lendos-eks-workloads/values-tags-staging.yaml', 'utf8');

describe('values-tags: services by configured path, their ECR repositories, the diff shown', () => {
  it('finds a service by its configured path when the keys spell it otherwise', () => {
    const text = 'portal:\n  api:\n    image:\n      tag: v1\n';
    const { sites } = locateTags(text);
    const paths = { 'lendos-portal-backend': 'portal.api.image.tag' };
    const bySite = tagsBySite('f.yaml', sites, { 'lendos-portal-backend': 'v2' }, paths);
    assert.deepEqual(bySite, { 'portal-api': 'v2' });
    assert.equal(applyTagEdits('f.yaml', text, bySite).text, 'portal:\n  api:\n    image:\n      tag: v2\n');
    assert.equal(siteOf(sites, 'lendos-portal-backend', paths)?.tag, 'v1');
    assert.throws(
      () => tagsBySite('f.yaml', sites, { 'lendos-portal-backend': 'v2' }, { 'lendos-portal-backend': 'portal.web.image.tag' }),
      (e: Error) => e instanceof UserError && /f\.yaml has no tag at portal\.web\.image\.tag, the path configured for lendos-portal-backend/.test(e.message),
    );
  });

  it('names the ECR repository from the sibling repository (registry host dropped), the configuration, or right-pedal/<service>', () => {
    const { sites } = locateTags(STAGING);
    assert.equal(ecrRepositoryOf('lendos-portal-backend', sites[0], {}), 'right-pedal/lendos-portal-backend');
    assert.equal(ecrRepositoryOf('x', undefined, { x: 'team/x' }), 'team/x');
    assert.equal(ecrRepositoryOf('x', undefined, {}), 'right-pedal/x');
  });

  it('shows an in-place edit as hunks of three context lines, nothing else', () => {
    const after = applyTagEdits('f', STAGING, { 'lendos-portal-backend': 'v0.0.830', 'signing-portal-frontend': 'v0.0.553' }).text;
    const diff = inPlaceDiff('values-tags-staging.yaml', STAGING, after);
    const lines = diff.split('\n');
    assert.deepEqual(lines.slice(0, 3), ['--- a/values-tags-staging.yaml', '+++ b/values-tags-staging.yaml', '@@ -5,7 +5,7 @@']);
    assert.deepEqual(lines.filter((l) => /^[-+][^-+]/.test(l)), [
      '-      tag: v0.0.812',
      '+      tag: v0.0.830',
      '-      tag: v0.0.541   # pinned with the backend, see release notes 2025.3.0',
      '+      tag: v0.0.553   # pinned with the backend, see release notes 2025.3.0',
    ]);
    assert.equal(lines.filter((l) => l.startsWith('@@')).length, 2);
    assert.equal(inPlaceDiff('f', STAGING, STAGING), '');
  });

  it('validates environments.<env>.valuesTagsPaths with the path and what to write', () => {
    const layer = (value: unknown) => ({ source: '.lendos/config.yaml', value: { environments: { staging: { valuesTagsPaths: value } } } });
    const good = resolveConfig([layer({ 'lendos-portal-backend': 'lendos-portal.backend.image.tag' })]);
    assert.deepEqual(good.problems, []);
    assert.deepEqual(good.config.environments.staging.valuesTagsPaths, { 'lendos-portal-backend': 'lendos-portal.backend.image.tag' });
    const bad = resolveConfig([layer({ 'lendos-portal-backend': 'lendos-portal backend' })]);
    assert.equal(bad.problems[0]?.path, '.lendos/config.yaml: environments.staging.valuesTagsPaths.lendos-portal-backend');
    assert.match(bad.problems[0]?.message ?? '', /is not a tag path: give the keys down to the tag joined by dots/);
    assert.deepEqual(bad.config.environments.staging.valuesTagsPaths, {});
    assert.match(resolveConfig([layer(['x'])]).problems[0]?.message ?? '', /must map service images to the dotted path of their tag/);
  });
});
