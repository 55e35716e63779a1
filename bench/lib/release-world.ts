/**
 * A fresh rehearsal world with release 2025.4.0 started on its lendos clone through the product's engine, the way the
 * integration harnesses (test/integration/upgrade-*-harness.ts) prepare one: Phase 1's results recorded in the journal
 * (versions, verified upgrade images) and steps before the one measured marked done by hand. None of this is timed
 * except the world's start, which the hands-off bench uses as its baseline.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { readConfigFile } from '../../src/adapters/config-file.js';
import { systemClock } from '../../src/adapters/clock.js';
import { FileJournalStore } from '../../src/adapters/journal-file.js';
import { GitWorkspaceRepo } from '../../src/adapters/workspace-repo.js';
import { resolveConfig } from '../../src/core/config/resolve.js';
import type { LendosConfig } from '../../src/core/config/types.js';
import type { EventData } from '../../src/core/journal/types.js';
import { LazyExecutorRegistry } from '../../src/engine/registry.js';
import { ReleaseService } from '../../src/engine/release-service.js';
import type { JournalStore } from '../../src/ports.js';
import { AUTOMATED_STEPS } from '../../src/steps/automated.js';
import { startWorld, type World } from '../../rehearsal/src/index.js';
import { asAda } from '../../test/integration/helpers.js';

export const VERSION = '2025.4.0';
export const FROM = '0.1.92';
export const TO = '0.1.93';
const UPGRADE_REPOSITORY = 'right-pedal/portal-daml-upgrade';
const run = promisify(execFile);

export interface ReleaseWorld {
  readonly world: World;
  /** The world's lendos clone: the workspace the release runs in. */
  readonly root: string;
  readonly config: LendosConfig;
  readonly registry: LazyExecutorRegistry;
  readonly service: ReleaseService;
  /** How long `startWorld` took, in seconds. */
  readonly startSeconds: number;
  stop(): Promise<void>;
}

/** Starts the `fast` world in a temp folder and release 2025.4.0 in its lendos clone, configured as the CLI would be. */
export async function startReleaseWorld(
  wrapStore: (store: JournalStore) => JournalStore = (store) => store,
): Promise<ReleaseWorld> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lendos-bench-world-'));
  const began = performance.now();
  const world = await startWorld({ scenario: 'fast', dir, quiet: true });
  const startSeconds = (performance.now() - began) / 1000;
  const stop = async () => {
    await world.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const root = world.description.workspace.lendos;
    const { layer } = await readConfigFile(root);
    const { config } = resolveConfig(layer ? [layer] : []);
    const registry = new LazyExecutorRegistry(AUTOMATED_STEPS, async () =>
      (await import('../../src/steps/index.js')).allExecutors(),
    );
    const service = new ReleaseService({
      store: wrapStore(new FileJournalStore(root)),
      repo: new GitWorkspaceRepo(root),
      clock: systemClock,
      config: () => config,
      isAutomated: (id) => registry.isAutomated(id),
    });
    await service.startRelease(VERSION);
    await recordSuccess(service, 'prep.upgrade-branch', { from: FROM, to: TO });
    return { world, root, config, registry, service, startSeconds, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Journals a step's success with evidence, as its executor would have. */
export async function recordSuccess(
  service: ReleaseService,
  stepId: string,
  evidence: EventData,
): Promise<void> {
  await service.appendEvent({ release: VERSION, step: stepId, type: 'step.started' });
  await service.appendEvent({
    release: VERSION,
    step: stepId,
    type: 'step.succeeded',
    message: 'recorded by the bench',
    data: evidence,
  });
}

/** Marks every step before `stepId` in runbook order done, as a person who did them outside LendOS would. */
export async function markDoneBefore(service: ReleaseService, stepId: string): Promise<void> {
  const view = await service.view(VERSION);
  for (const planned of view.plan) {
    if (planned.step.id === stepId) return;
    if (planned.status !== 'succeeded' && planned.status !== 'skipped') {
      const note = planned.step.kind === 'approval' ? 'Approved for the bench' : undefined;
      await service.markDone(VERSION, planned.step.id, { force: true, note });
    }
  }
}

/** 1.4's result: this release's upgrade images pushed to the world's ECR and their evidence journalled. */
export async function recordUpgradeImages(release: ReleaseWorld): Promise<void> {
  const images = (['init', 'runner'] as const).map((variant) => {
    const image = release.world.ecr.putImage({
      repository: UPGRADE_REPOSITORY,
      tags: [`v${TO}.${FROM}.7-${variant}`],
    });
    return {
      variant,
      tag: image.tags[0] ?? '',
      digest: image.digest,
      sizeBytes: image.sizeBytes,
      pushedAt: image.pushedAt.toISOString(),
    };
  });
  await recordSuccess(release.service, 'prep.upgrade-images', {
    repository: UPGRADE_REPOSITORY,
    from: FROM,
    to: TO,
    build: 7,
    images,
  });
}

/** 2.3's result: new backend tags in values-tags-staging.yaml, pushed to the workloads repository's main branch. */
export async function bumpStagingValuesTags(release: ReleaseWorld): Promise<void> {
  const cwd = release.world.description.workspace.workloads;
  const env = asAda();
  await run(
    'sed',
    [
      '-i',
      's/tag: v0\\.0\\.812/tag: v0.0.813/; s/tag: v0\\.0\\.806/tag: v0.0.807/',
      'values-tags-staging.yaml',
    ],
    { cwd, env },
  );
  await run('git', ['commit', '-qam', `Update values-tags for release ${VERSION} (staging)`], { cwd, env });
  await run('git', ['push', '-q', 'origin', 'HEAD:main'], { cwd, env });
}
