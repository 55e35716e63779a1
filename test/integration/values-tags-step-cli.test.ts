/**
 * 2.3 Update values-tags through the built CLI (`dist/cli.js`) against a rehearsal world: the unified diff printed
 * before the question; without a terminal and without --yes nothing is written; in a terminal (a pty) the question is
 * asked and a "no" writes nothing; --yes applies, opens the PR and follows it to its merge.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { after, before, describe, it } from 'mocha';
import { createContext } from '../../src/cli/context.js';
import { readValuesTags } from '../../rehearsal/src/git/values-tags.js';
import { CLI } from './cli-helpers.js';
import { CliWorld, VERSION } from './cli-world.js';
import { mergeIntoMain, pushCommit } from './rehearsal/github-merge.js';
import { worldEnv } from './rehearsal/world-helpers.js';

const STEP = 'staging.values-tags';

/** `lendos run STEP --world …` in a pseudo-terminal (util-linux `script`), answering `answer` to its question. */
function inTerminal(w: CliWorld, answer: string): Promise<string> {
  const command = [process.execPath, CLI, 'run', STEP, '--world', w.test.world.worldFile].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
  const child = spawn('script', ['-qec', command, '/dev/null'], { cwd: w.root, env: worldEnv(w.test.world), stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  let answered = false;
  // A step that never asks must not outlive the test (it holds the step's lock).
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((resolve) => {
    const take = (chunk: Buffer) => {
      output += chunk.toString();
      if (!answered && output.includes('y/N]')) {
        answered = true;
        child.stdin.write(`${answer}\n`);
      }
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('close', () => {
      clearTimeout(timer);
      // The terminal's carriage returns and cursor moves are not what the person reads.
      resolve(stripVTControlCharacters(output).replace(/\r/g, ''));
    });
  });
}

describe('2.3 Update values-tags through the built CLI', function () {
  this.timeout(180_000);
  let w: CliWorld;
  let tags: Record<string, string>;
  const branches = () => w.test.world.description.remotes.workloads;

  before(async () => {
    w = await CliWorld.start('fast');
    const world = w.test.world;
    mkdirSync(path.join(w.root, '.lendos'), { recursive: true });
    writeFileSync(path.join(w.root, '.lendos', 'config.yaml'), 'github:\n  approvalPollSeconds: 1\n');
    pushCommit(world, `release/${VERSION}`, 'VERSION', VERSION);
    const sha = await mergeIntoMain(world, `release/${VERSION}`);
    const { service } = await createContext(w.root);
    await service.appendEvent({ release: VERSION, step: 'staging.merge-to-main', type: 'step.started' });
    await service.appendEvent({ release: VERSION, step: 'staging.merge-to-main', type: 'step.succeeded', data: { mergeSha: sha } });
    await world.github.settled();
    const identified = await w.lendos('run', 'staging.identify-tags', '--yes');
    assert.equal(identified.code, 0, identified.stdout + identified.stderr);
    const recorded = (await w.events('staging.identify-tags')).at(-1)?.data?.['tags'] as Record<string, { tag: string }>;
    tags = Object.fromEntries(Object.entries(recorded).map(([image, t]) => [image, t.tag]));
  });
  after(async () => w?.close());

  it('without a terminal and without --yes: prints the diff, says how to confirm, writes nothing', async () => {
    const run = await w.lendos('run', STEP);
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.match(run.stdout, /^--- a\/values-tags-staging\.yaml\n\+\+\+ b\/values-tags-staging\.yaml\n@@ -5,13 \+5,13 @@$/m);
    assert.match(run.stdout, /^- {6}tag: v0\.0\.812\n\+ {6}tag: v0\.0\.830$/m);
    assert.equal(run.stdout.split('\n').filter((l) => /^[-+] /.test(l)).length, 8, run.stdout);
    assert.match(run.stderr, /Staging values-tags for release 2025\.4\.0: \/\S*\/lendos-eks-workloads\/values-tags-staging\.yaml Not confirmed: pass --yes/);
    assert.deepEqual(await w.events(STEP), []);
    assert.equal(await readValuesTags(branches(), 'staging').then((t) => t['lendos-portal-backend']), 'v0.0.812');
  });

  it('in a terminal: the diff, then the question; "n" writes nothing', async () => {
    const output = await inTerminal(w, 'n');
    const diff = output.indexOf('+      tag: v0.0.830');
    const question = output.indexOf('[Apply and open the PR? y/N]');
    assert.ok(diff >= 0 && question > diff, output);
    assert.match(output.slice(diff, question), /Staging values-tags for release 2025\.4\.0: \/\S*\/lendos-eks-workloads\/values-tags-staging\.yaml $/);
    assert.match(output, /staging\.values-tags: cancelled — Not applied/);
    assert.deepEqual(await w.events(STEP), []);
  });

  it('--yes applies it, opens the PR and follows it to the merge', async () => {
    const run = await w.lendos('run', STEP, '--yes');
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /Apply and open the PR \(--yes\)/);
    assert.match(run.stdout, /staging\.values-tags: succeeded — values-tags-staging\.yaml: .* — PR #\d+ merged into main as [0-9a-f]{7}/);
    assert.deepEqual(await readValuesTags(branches(), 'staging'), tags);
  });
});
