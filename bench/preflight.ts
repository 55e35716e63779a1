/**
 * Preflight (2.1) against a fresh `fast` world's GitHub, warm: the product's engine (`getPull`, then `preflightPull`,
 * its four checks concurrently) through the real GitHub adapter (Octokit over HTTP), timed over N runs after a few
 * warm-up runs. Baseline, in the same process on the same port: `getPull`, then the same four checks one after another.
 * The two are interleaved run by run so a noisy machine weighs on both alike.
 * Usage: node --import tsx bench/preflight.ts [--runs N] [--warmup N]
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createGitHub } from '../src/adapters/github/index.js';
import { defaultConfig } from '../src/core/config/defaults.js';
import { withRehearsal } from '../src/core/config/environment.js';
import type { GitHub, PullInfo, RepoRef } from '../src/ports.js';
import { productApprovers } from '../src/steps/github/context.js';
import { preflightPull, pullChecks, type PullPreflight } from '../src/steps/github/preflight.js';
import { startWorld, type World } from '../rehearsal/src/index.js';
import { emit, median, numberOptions, percentile, progress, round } from './lib/report.js';

const VERSION = '2025.4.0';
const LENDOS: RepoRef = { owner: 'rplendos', name: 'lendos' };
const exec = promisify(execFile);

/** release/2025.4.0 pushed, its PR opened, and the world's approver's review in. */
async function releasePull(world: World, gh: GitHub): Promise<PullInfo> {
  const cwd = world.description.workspace.lendos;
  const env = {
    ...process.env,
    GIT_AUTHOR_NAME: 'Bench',
    GIT_AUTHOR_EMAIL: 'bench@example.com',
    GIT_COMMITTER_NAME: 'Bench',
    GIT_COMMITTER_EMAIL: 'bench@example.com',
  };
  const git = (...args: string[]) => exec('git', args, { cwd, env });
  await git('checkout', '-q', '-B', `release/${VERSION}`, 'origin/develop');
  writeFileSync(path.join(cwd, 'VERSION'), `${VERSION}\n`);
  await git('commit', '-qam', `Bump VERSION to ${VERSION} for release`);
  await git('push', '-q', 'origin', `release/${VERSION}`);
  const pull = await gh.createPull(LENDOS, {
    head: `release/${VERSION}`,
    base: 'main',
    title: `Release ${VERSION}`,
    body: '',
  });
  for (let i = 0; i < 200; i++) {
    if ((await gh.listReviews(LENDOS, pull.number)).some((r) => r.state === 'APPROVED')) return pull;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the world's approver did not review #${pull.number}`);
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const began = performance.now();
  await work();
  return performance.now() - began;
}

async function main(): Promise<void> {
  const options = numberOptions({ runs: 15, warmup: 3 });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lendos-bench-preflight-'));
  const world = await startWorld({ scenario: 'fast', dir, quiet: true });
  try {
    const d = world.description;
    const config = withRehearsal(defaultConfig(), d);
    const gh = createGitHub({
      baseUrl: d.github.apiUrl,
      token: d.github.token,
      tokenSource: 'the rehearsal world',
    });
    const pull = await releasePull(world, gh);
    const input = (current: PullInfo): PullPreflight => ({
      gh,
      lendos: LENDOS,
      version: VERSION,
      pull: current,
      approvers: () => productApprovers({ config }, gh),
    });
    const concurrent = async () => {
      const report = await preflightPull(input((await gh.getPull(LENDOS, pull.number)) as PullInfo));
      if (!report.passed) throw new Error(`preflight did not pass: ${JSON.stringify(report.checks)}`);
    };
    const parts: Record<string, number[]> = { getPull: [] };
    const sequential = async () => {
      let current: PullInfo | undefined;
      parts.getPull?.push(await timed(async () => (current = await gh.getPull(LENDOS, pull.number))));
      for (const [id, check] of pullChecks(input(current as PullInfo)))
        (parts[id] ??= []).push(await timed(check));
    };
    for (let i = 0; i < options.warmup; i++) {
      await concurrent();
      await sequential();
    }
    const engine: number[] = [];
    const oneByOne: number[] = [];
    for (let i = 0; i < options.runs; i++) {
      engine.push(await timed(concurrent));
      oneByOne.push(await timed(sequential));
      progress(
        `preflight run ${i + 1}/${options.runs}: ${round(engine[i] ?? 0)} ms concurrent, ${round(oneByOne[i] ?? 0)} ms one after another`,
      );
    }
    const value = median(engine);
    emit({
      name: 'preflight',
      unit: 'ms',
      value: round(value),
      baseline: { label: 'the four checks one after another', value: round(median(oneByOne)) },
      details: {
        partsMedianMs: Object.fromEntries(
          Object.entries(parts).map(([id, times]) => [id, round(median(times))]),
        ),
        runs: options.runs,
        warmup: options.warmup,
        p95: round(percentile(engine, 0.95)),
        baselineP95: round(percentile(oneByOne, 0.95)),
        samples: engine.map((v) => round(v)),
      },
    });
  } finally {
    await world.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
