/** `lendos values-tags check` through the built CLI against the rehearsal world: the tag-missing-from-ecr scenario. */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'mocha';
import { createContext } from '../../src/cli/context.js';
import { applyTagEdits } from '../../src/core/values-tags/index.js';
import { CliWorld, VERSION } from './cli-world.js';
import { atFastPace } from './rehearsal/world-helpers.js';

describe('lendos values-tags check (built CLI, rehearsal world)', function () {
  this.timeout(120_000);
  let w: CliWorld;
  let file: string;
  let original: string;
  before(async () => {
    w = await CliWorld.start(atFastPace('tag-missing-from-ecr'));
    file = path.join(w.test.world.description.workspace.workloads, 'values-tags-staging.yaml');
    original = readFileSync(file, 'utf8');
  });
  after(async () => w?.close());

  it('passes the staging file as the world holds it (exit 0)', async () => {
    const result = await w.lendos('values-tags', 'check', '--env', 'staging');
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /^1 file checked against ECR and release 2025\.4\.0's tags: 0 errors, 0 warnings, 0 notes$/m);
  });

  it('the tag the main build never pushed (v0.0.553, hidden by the scenario) is an error at its line and column (exit 1)', async () => {
    // CI pushed it; the scenario's fault keeps it out of ECR's answers, as when the push never happened.
    w.test.world.ecr.putImage({ repository: 'right-pedal/signing-portal-frontend', tags: ['v0.0.553'] });
    writeFileSync(file, applyTagEdits(file, original, { 'signing-portal-frontend': 'v0.0.553' }).text);
    const { service } = await createContext(w.root);
    const pushed = w.test.world.ecr.images('right-pedal/lendos-portal-backend').find((i) => i.tags.includes('v0.0.829'));
    await service.appendEvent({ release: VERSION, step: 'staging.identify-tags', type: 'step.started' });
    await service.appendEvent({
      release: VERSION,
      step: 'staging.identify-tags',
      type: 'step.succeeded',
      data: { tags: { 'lendos-portal-backend': { tag: 'v0.0.829', digest: pushed?.digest ?? '', pushedAt: pushed?.pushedAt.toISOString() ?? '', repository: 'right-pedal/lendos-portal-backend' } } },
    });
    const result = await w.lendos('values-tags', 'check', '--env', 'staging');
    assert.equal(result.code, 1, result.stdout + result.stderr);
    const lines = result.stdout.trim().split('\n');
    assert.match(lines[0] ?? '', /^\S*values-tags-staging\.yaml:8:12: warning: v0\.0\.812 was pushed .*, before v0\.0\.829, the tag release 2025\.4\.0 recorded for lendos-portal-backend/);
    assert.match(lines[1] ?? '', /^\S*values-tags-staging\.yaml:26:12: error: v0\.0\.553 is not in ECR right-pedal\/signing-portal-frontend: no image has this tag\.$/);
    assert.match(lines[2] ?? '', /: 1 errors, 1 warnings, 0 notes$/);
    const json = await w.lendos('values-tags', 'check', '--env', 'staging', '--json');
    assert.equal(json.code, 1);
    const report = JSON.parse(json.stdout) as { release: string; errors: number; files: { diagnostics: { line: number; severity: string; code: string; fix: string | null }[] }[] };
    assert.equal(report.release, VERSION);
    assert.deepEqual(report.files[0]?.diagnostics.map((d) => [d.line, d.severity, d.code, d.fix]), [[8, 'warning', 'tag-older', 'v0.0.829'], [26, 'error', 'tag-missing', null]]);
  });

  it('an unknown environment is a usage error (exit 2); malformed YAML one error at the parser’s position (exit 1)', async () => {
    const bad = await w.lendos('values-tags', 'check', '--env', 'qa');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--env qa: no such environment; use one of dev, staging, production/);
    writeFileSync(file, original.replace('  frontend:\n', '  frontend:\n  frontend:\n'));
    const malformed = await w.lendos('values-tags', 'check', '--env', 'staging');
    assert.equal(malformed.code, 1, malformed.stdout + malformed.stderr);
    assert.match(malformed.stdout, /values-tags-staging\.yaml:11:\d+: error: Not valid YAML: Map keys must be unique/);
  });
});
