/**
 * A release whose production upgrade is about to fail for good, on a `production-upgrade-fails` world: what a person
 * would have done by then (every step before production's values-tags marked done), the release's production
 * values-tags PR as 3.1 merges it (two backends bumped, recorded as the step's changes), and PQS's counts before.
 * Shared by the rollback's integration test and its by-hand e2e flow.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { ReleaseService } from '../../src/engine/release-service.js';
import { asAda } from './helpers.js';

export const VALUES_FILE = 'values-tags-production.yaml';

/** Active contracts grouped by `column` of PQS's `active()`. */
export async function pqsCount(url: string, column: 'package_version' | 'template_fqn'): Promise<Record<string, number>> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    const { rows } = await db.query<{ k: string; n: string }>(`select ${column} as k, count(*) as n from active() group by 1`);
    return Object.fromEntries(rows.map((r) => [r.k, Number(r.n)]));
  } finally {
    await db.end();
  }
}

/** Every step before `stepId` (runbook order) marked done, as a person would have. */
export async function completeBefore(service: ReleaseService, version: string, stepId: string): Promise<void> {
  const view = await service.view(version);
  for (const planned of view.plan) {
    if (planned.step.id === stepId) return;
    if (planned.status !== 'succeeded' && planned.status !== 'skipped') await service.markDone(version, planned.step.id, { force: true, note: 'done before the test' });
  }
}

/** The release's production values-tags PR, merged: lendos-portal-backend and signing-portal-backend bumped. */
export async function releaseValuesTags(service: ReleaseService, version: string, workloads: string): Promise<void> {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: workloads, env: asAda(), encoding: 'utf8' });
  const file = path.join(workloads, VALUES_FILE);
  writeFileSync(file, readFileSync(file, 'utf8').replace('tag: v0.0.812', 'tag: v0.0.813').replace('tag: v0.0.806', 'tag: v0.0.807'));
  git('commit', '-qam', `Update values-tags for release ${version} (production)`);
  git('push', '-q', 'origin', 'HEAD:main');
  await service.markDone(version, 'production.values-tags', { force: true, note: 'merged (test)' });
  await service.appendEvent({
    release: version,
    step: 'production.values-tags',
    type: 'step.evidence',
    data: {
      file: VALUES_FILE,
      changes: [
        { service: 'lendos-portal-backend', from: 'v0.0.812', to: 'v0.0.813', line: 0 },
        { service: 'signing-portal-backend', from: 'v0.0.806', to: 'v0.0.807', line: 0 },
      ],
    },
  });
}

/** The prerequisites as a person checked them (1.4's images are not built in this world), with PQS's counts before. */
export async function checkedPrerequisites(service: ReleaseService, version: string, pqsUrl: string): Promise<void> {
  await service.markDone(version, 'production.upgrade.prerequisites', { force: true, note: 'checked (test)' });
  const counts = await pqsCount(pqsUrl, 'template_fqn');
  await service.appendEvent({ release: version, step: 'production.upgrade.prerequisites', type: 'step.evidence', data: { pqsCounts: counts, pqsCountsAt: new Date().toISOString() } });
}
