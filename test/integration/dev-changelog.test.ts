/**
 * Section 4's changelog through the built CLI on a rehearsal world: the PRs merged to lendos' main since dev was last
 * synced (the last commit of values-tags-dev.yaml in lendos-eks-workloads), grouped as features, fixes and the rest.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { createGitHub } from '../../src/adapters/github/index.js';
import { CliWorld } from './cli-world.js';
import { asAda } from './helpers.js';

describe('dev changelog since the last dev sync (built CLI, rehearsal world)', function () {
  this.timeout(120_000);
  let w: CliWorld;
  const merged: Record<string, number> = {};

  /** A branch with one commit, its PR to main, merged with a merge commit — as a feature lands. */
  async function land(branch: string, title: string): Promise<number> {
    const d = w.test.world.description;
    const gh = createGitHub({ baseUrl: d.github.apiUrl, token: d.github.token, tokenSource: 'the rehearsal world' });
    const git = (...args: string[]) => execFileSync('git', args, { cwd: w.root, env: asAda(), encoding: 'utf8' }).trim();
    git('fetch', '-q', 'origin');
    git('checkout', '-q', '-B', branch, 'origin/main');
    writeFileSync(path.join(w.root, `${branch.replace(/\W/g, '-')}.md`), `${title}\n`);
    git('add', '-A');
    git('commit', '-qm', title);
    git('push', '-q', 'origin', branch);
    const sha = git('rev-parse', 'HEAD');
    git('checkout', '-q', 'develop');
    const repo = { owner: 'rplendos', name: 'lendos' };
    const pull = await gh.createPull(repo, { head: branch, base: 'main', title, body: '' });
    await gh.mergePull(repo, pull.number, { sha });
    return pull.number;
  }

  before(async () => {
    w = await CliWorld.start('fast');
    merged['feat'] = await land('feature/loan-export', 'feat(portal): export loans as CSV');
    merged['fix'] = await land('fix/signing-timeout', 'fix: signing portal times out on large documents');
    merged['chore'] = await land('chore/deps', 'Bump the JSON API client');
  });
  after(async () => w?.close());

  it('needs the sync to be requested first, then lists what was merged since, grouped', async () => {
    assert.equal((await w.lendos('start', 'dev')).code, 0);
    const early = await w.lendos('run', 'dev.changelog');
    assert.equal(early.code, 1);
    assert.match(early.stderr + early.stdout, /depends on steps that are not done: dev\.request-sync/);
    assert.equal((await w.lendos('done', 'dev.request-sync', '--note', 'Product asked in #lendos-dev (test)')).code, 0);
    const done = await w.lendos('run', 'dev.changelog');
    assert.equal(done.code, 0, done.stdout + done.stderr);
    const out = done.stdout;
    assert.match(out, /Dev was last synced by [0-9a-f]{7} \(.+\) of values-tags-dev\.yaml: dev-2025\.4\.0\.3392/);
    // The log is plain text; the step's evidence keeps the Markdown, its outside text escaped.
    const features = out.indexOf('Features:');
    const fixes = out.indexOf('Fixes:');
    const other = out.indexOf('Other changes:');
    assert.ok(features >= 0 && features < fixes && fixes < other, out);
    assert.ok(out.slice(features, fixes).includes(`  - #${merged['feat']} feat(portal): export loans as CSV (@`), out);
    assert.ok(out.slice(fixes, other).includes(`  - #${merged['fix']} fix: signing portal times out`), out);
    assert.ok(out.slice(other).includes(`  - #${merged['chore']} Bump the JSON API client`), out);
    const status = JSON.parse((await w.lendos('status', '--json')).stdout) as { steps: { id: string; evidence: { changelog?: string } }[] };
    const markdown = status.steps.find((s) => s.id === 'dev.changelog')?.evidence.changelog ?? '';
    assert.ok(markdown.indexOf('### Features') < markdown.indexOf('### Fixes'), markdown);
    // Titles are Markdown-escaped (a PR title is outside text): `feat\(portal\)\: …`.
    assert.ok(markdown.includes(`- #${merged['feat']} feat\\(portal\\)\\: export loans as CSV (@`), markdown);
    assert.match(out, /dev\.changelog: succeeded — \d+ PR\(s\) merged to main since dev was last synced/);
    const report = await w.lendos('report');
    assert.match(report.stdout, /^# Dev sync\n/);
    assert.match(report.stdout, /Generate the changelog since the last sync \| succeeded/);
  });
});
