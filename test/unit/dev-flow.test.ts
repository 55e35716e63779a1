import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { deployTagOf, newestMainTag, parseDevChoice, portalImages, sharedDevTags } from '../../src/core/dev-tags.js';
import { devImageTag } from '../../src/core/names.js';
import { defaultConfig } from '../../src/core/config/defaults.js';
import { buildRunbook, DEV_FLOW, findStep } from '../../src/core/runbook/index.js';

const at = (tag: string, day: number) => ({ tag, pushedAt: `2026-11-${String(day).padStart(2, '0')}T10:00:00Z` });

const config = defaultConfig();

describe("the dev flow and dev's tags per portal (Section 4), pure parts", () => {
  it('keeps the dev flow out of a release: Section 4 is its own runbook, started without a release', () => {
    assert.equal(buildRunbook('2025.4.0', config).steps.filter((s) => s.phase === 'dev').length, 0);
    const dev = buildRunbook(DEV_FLOW, config);
    assert.equal(dev.version, DEV_FLOW);
    assert.deepEqual(dev.phases.map((p) => p.title), ['Section 4 · Dev environment']);
    assert.deepEqual(dev.steps.map((s) => s.id), ['dev.request-sync', 'dev.changelog', 'dev.image-tags', 'dev.sync-apps', 'dev.verify', 'dev.data-reseeding']);
    assert.ok(dev.steps.every((s) => s.environment === 'dev' && s.section === '4'));
    const commands = findStep(dev, 'dev.sync-apps')!.commands;
    for (const app of config.environments.dev.argoApplications) {
      assert.ok(commands.includes(`argocd app sync ${app} --prune`), app);
    }
    assert.match(findStep(dev, 'dev.image-tags')!.guidance, /deploy\/dev-YYYY\.R\.H\.BUILD/);
    assert.doesNotMatch(JSON.stringify(dev), /\bnull\b|undefined/);
  });


  it('groups the service images by portal', () => {
    const portals = portalImages(['lendos-portal-backend', 'lendos-portal-frontend', 'signing-portal-backend', 'signing-portal-frontend']);
    assert.deepEqual([...portals], [
      ['lendos-portal', ['lendos-portal-backend', 'lendos-portal-frontend']],
      ['signing-portal', ['signing-portal-backend', 'signing-portal-frontend']],
    ]);
  });

  it('reads "main" or a dev build in either form; anything else says what to type', () => {
    assert.deepEqual(parseDevChoice(' main '), { kind: 'main' });
    assert.deepEqual(parseDevChoice('deploy/dev-2025.4.0.3411'), { kind: 'deploy', tag: 'dev-2025.4.0.3411' });
    assert.deepEqual(parseDevChoice('dev-2025.4.0.3411'), { kind: 'deploy', tag: 'dev-2025.4.0.3411' });
    for (const bad of ['', 'latest', 'v0.0.830', 'deploy/dev-2025.4.3411', 'deploy/dev-2025.4.0.x', 'deploy/stg-2025.4.0.1']) {
      const parsed = parseDevChoice(bad);
      assert.equal(typeof parsed, 'string', bad);
      assert.match(parsed as string, /main.*deploy\/dev-2025\.4\.0\.3392/);
    }
    assert.equal(devImageTag('deploy/dev-2025.4.0.3392'), 'dev-2025.4.0.3392');
    assert.equal(deployTagOf('dev-2025.4.0.3392'), 'deploy/dev-2025.4.0.3392');
  });

  it('takes the newest main build by push time, never a dev build', () => {
    assert.equal(newestMainTag([at('v0.0.829', 1), at('v0.0.831', 3), at('dev-2025.4.0.3411', 9), at('v0.0.830', 2)])?.tag, 'v0.0.831');
    assert.equal(newestMainTag([at('dev-2025.4.0.3411', 9)]), undefined);
  });

  it('lists only the dev builds every image of a portal has, newest first', () => {
    const backend = [at('dev-2025.4.0.3392', 1), at('dev-2025.4.0.3405', 5), at('dev-2025.4.0.3411', 7), at('v0.0.830', 8)];
    const frontend = [at('dev-2025.4.0.3392', 1), at('dev-2025.4.0.3405', 5)];
    assert.deepEqual(sharedDevTags([backend, frontend]), ['dev-2025.4.0.3405', 'dev-2025.4.0.3392']);
    assert.deepEqual(sharedDevTags([backend]), ['dev-2025.4.0.3411', 'dev-2025.4.0.3405', 'dev-2025.4.0.3392']);
    assert.deepEqual(sharedDevTags([]), []);
  });
});
