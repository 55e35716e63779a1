/**
 * Hands-off staging: the whole Section 3 procedure (`staging.upgrade.prerequisites` … `staging.upgrade.validate`) on a
 * fresh `fast` world, each step through the built CLI (`node dist/cli.js run <step> --world … --yes`) with no person
 * and no terminal, timed from the first step's start to validation's end. What precedes Section 3 (Phase 1's versions
 * and verified images, 2.3's values-tags, the steps in between marked done) is prepared the way the integration
 * harnesses do and not timed. Baseline: how long the world took to start, in this process.
 * Usage: node --import tsx bench/staging.ts   (after `node esbuild.mjs`)
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  VERSION,
  bumpStagingValuesTags,
  markDoneBefore,
  recordUpgradeImages,
  startReleaseWorld,
  type ReleaseWorld,
} from './lib/release-world.js';
import { emit, progress, round } from './lib/report.js';

const CLI = path.resolve(__dirname, '..', 'dist', 'cli.js');
const STEPS = [
  'prerequisites',
  'scale-down',
  'canton-restart',
  'snapshot',
  'run',
  'argocd-sync',
  'scale-up',
  'validate',
].map((s) => `staging.upgrade.${s}`);

/** This process's environment without AWS, Kubernetes, GitHub or LendOS settings: the world file says everything. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^(AWS_|KUBE|LENDOS_|GITHUB_)/.test(key)),
  );
}

/** One `lendos run` with no terminal: resolves with its wall time in seconds, rejects with its output when it fails. */
function runStep(release: ReleaseWorld, stepId: string): Promise<number> {
  const args = [CLI, 'run', stepId, '--world', release.world.worldFile, '--yes', '--workspace', release.root];
  const began = performance.now();
  return new Promise((resolve, reject) => {
    // Asynchronous on purpose: the world's servers answer the CLI from this very process.
    const child = spawn(process.execPath, args, {
      cwd: release.root,
      env: cleanEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const seconds = (performance.now() - began) / 1000;
      if (code === 0) return resolve(seconds);
      reject(
        new Error(
          `lendos run ${stepId} exited with ${code} after ${seconds.toFixed(1)} s:\n${output.slice(-4000)}`,
        ),
      );
    });
  });
}

async function prepare(release: ReleaseWorld): Promise<void> {
  await recordUpgradeImages(release);
  await bumpStagingValuesTags(release);
  await markDoneBefore(release.service, STEPS[0] ?? '');
}

async function main(): Promise<void> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build it with "node esbuild.mjs" first`);
  progress('staging: starting a fast world');
  const release = await startReleaseWorld();
  try {
    await prepare(release);
    const steps: Record<string, number> = {};
    const began = performance.now();
    for (const stepId of STEPS) {
      steps[stepId] = round(await runStep(release, stepId), 2);
      progress(`staging: ${stepId} ${steps[stepId]} s`);
    }
    const total = (performance.now() - began) / 1000;
    const view = await release.service.view(VERSION);
    const stages = view.plan.filter(
      (p) => p.step.parent === 'staging.upgrade.run' && p.status === 'succeeded',
    ).length;
    const validation = view.plan.find((p) => p.step.id === STEPS[STEPS.length - 1])?.state.message ?? '';
    emit({
      name: 'staging',
      unit: 's',
      value: round(total, 2),
      baseline: { label: 'world start', value: round(release.startSeconds, 2) },
      details: { steps, stagesSucceeded: stages, validation },
    });
  } finally {
    await release.stop();
  }
}

void main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
