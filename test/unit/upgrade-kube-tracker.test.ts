import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import type { EventData } from '../../src/core/journal/types.js';
import type { JobInfo } from '../../src/ports.js';
import { StageTracker, type StageJournal } from '../../src/steps/upgrade/stage-tracker.js';

function job(stage: string, uid: string, fields: Partial<JobInfo> & { done?: 'Complete' | 'Failed' } = {}): JobInfo {
  const { done, ...rest } = fields;
  return {
    name: `daml-upgrade-0-1-93-${stage}`, namespace: 'lendos-portal', uid,
    labels: { 'io.lendos.app/upgrade-stage': stage, 'io.lendos.app/current-version': '0.1.93' },
    active: 0, succeeded: 0, failed: 0, parallelism: 1, completions: 1,
    conditions: done ? [{ type: done, status: 'True', ...(done === 'Failed' ? { reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' } : {}) }] : [],
    ...rest,
  };
}

function recorder() {
  const events: string[] = [];
  const journalOf = (stage: string): StageJournal => ({
    started: async (m) => void events.push(`${stage} started ${m ?? ''}`.trim()),
    progress: async (m) => void events.push(`${stage} progress ${m}`),
    record: async (_d: EventData) => undefined,
    succeeded: async (m) => void events.push(`${stage} succeeded ${m}`),
    failed: async (m) => void events.push(`${stage} failed ${m}`),
    cancelled: async (m) => void events.push(`${stage} cancelled ${m}`),
  });
  return { events, journalOf };
}

describe('upgrade kube: stage states from the Jobs', function () {
  it('adopts a Job complete at the start, ignores a failed one already reported (a rerun replaces it), journals a live one as it goes', async function () {
    const { events, journalOf } = recorder();
    const atStart = (stage: string) => (stage === 'init-upgrade-coordinator' ? 'failed' : 'pending');
    const tracker = new StageTracker(['upload-dars', 'init-upgrade-coordinator', 'initialize-upgraders'], journalOf, atStart, () => undefined);
    const ignored = tracker.begin([job('upload-dars', 'u1', { succeeded: 1, done: 'Complete' }), job('init-upgrade-coordinator', 'c1', { failed: 3, done: 'Failed' })]);
    assert.deepEqual(ignored.sort(), ['c1', 'u1']);
    assert.equal(tracker.view('init-upgrade-coordinator').state, 'pending', 'the failed Job is an earlier run');
    tracker.onJobs([job('upload-dars', 'u1', { succeeded: 1, done: 'Complete' }), job('init-upgrade-coordinator', 'c2', { active: 1 })]);
    tracker.onJobs([job('upload-dars', 'u1', { succeeded: 1, done: 'Complete' }), job('init-upgrade-coordinator', 'c2', { succeeded: 1, done: 'Complete', startTime: '2025-05-01T10:00:00Z', completionTime: '2025-05-01T10:02:00Z' })]);
    await tracker.settled();
    assert.deepEqual(events, [
      'upload-dars started Job daml-upgrade-0-1-93-upload-dars: 1/1 pod(s) succeeded, 0 running',
      'upload-dars succeeded Already done: Job daml-upgrade-0-1-93-upload-dars complete: 1 pod(s)',
      'init-upgrade-coordinator started Job daml-upgrade-0-1-93-init-upgrade-coordinator: 0/1 pod(s) succeeded, 1 running',
      'init-upgrade-coordinator progress 0/1 pod(s) succeeded, 1 running',
      'init-upgrade-coordinator succeeded Job daml-upgrade-0-1-93-init-upgrade-coordinator complete: 1 pod(s) in 120 s',
    ]);
    assert.deepEqual(tracker.completed(), ['upload-dars', 'init-upgrade-coordinator']);
  });

  it('reports a failure nobody has seen (it happened while the window was gone), unless the stage is the one being rerun', function () {
    const failedJob = job('upgrade', 'g1', { failed: 3, done: 'Failed' });
    const unseen = new StageTracker(['upgrade'], recorder().journalOf, () => 'cancelled', () => undefined);
    assert.deepEqual(unseen.begin([failedJob]), [], 'its pods are read for the last log lines');
    assert.equal(unseen.failed(), 'upgrade');
    const rerun = new StageTracker(['upgrade'], recorder().journalOf, () => 'cancelled', () => undefined);
    assert.deepEqual(rerun.begin([failedJob], 'upgrade'), ['g1']);
    assert.equal(rerun.failed(), undefined);
    assert.equal(rerun.view('upgrade').state, 'pending');
  });

  it('does not journal a stage the journal already shows succeeded; reports a failure when asked; cancels the running one', async function () {
    const { events, journalOf } = recorder();
    const tracker = new StageTracker(['upload-dars', 'upgrade'], journalOf, (s) => (s === 'upload-dars' ? 'succeeded' : 'pending'), () => undefined);
    tracker.begin([job('upload-dars', 'u1', { done: 'Complete' })]);
    tracker.onJobs([job('upload-dars', 'u1', { done: 'Complete' }), job('upgrade', 'g1', { active: 3, parallelism: 3, completions: 3 })]);
    tracker.cancelRunning((stage, j) => `${j.name} of ${stage} keeps running`);
    tracker.onJobs([job('upgrade', 'g1', { failed: 3, parallelism: 3, completions: 3, done: 'Failed' })]);
    assert.equal(tracker.failed(), 'upgrade');
    tracker.reportFailure('upgrade', 'Job failed', {});
    await tracker.settled();
    assert.deepEqual(events, [
      'upgrade started Job daml-upgrade-0-1-93-upgrade: 0/3 pod(s) succeeded, 3 running',
      'upgrade progress 0/3 pod(s) succeeded, 3 running',
      'upgrade cancelled daml-upgrade-0-1-93-upgrade of upgrade keeps running',
      'upgrade started Job daml-upgrade-0-1-93-upgrade: 0/3 pod(s) succeeded, 0 running, 3 failed',
      'upgrade failed Job failed',
    ]);
  });
});

describe('upgrade kube: a failed stage’s last lines', function () {
  it('are read from the failed Job’s pods when following them caught nothing in time', async function () {
    const { StageSession } = await import('../../src/steps/upgrade/stage-session.js');
    const { defaultConfig } = await import('../../src/core/config/defaults.js');
    const failed = job('upgrade', 'g1', { failed: 7, done: 'Failed' });
    const untilAborted = (signal: AbortSignal) => new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    const asked: string[] = [];
    const kube = {
      listJobs: async () => [failed],
      watchJobs: async (_c: string, _n: string, _s: string, onChange: (jobs: JobInfo[]) => void, signal: AbortSignal) => (onChange([failed]), untilAborted(signal)),
      watchPods: async (_c: string, _n: string, _s: string, onChange: (pods: unknown[]) => void, signal: AbortSignal) => {
        onChange([{ name: 'daml-upgrade-0-1-93-upgrade-x7k2p', namespace: 'lendos-portal', phase: 'Failed', labels: { 'io.lendos.app/upgrade-stage': 'upgrade' }, containers: ['upgrade'], owner: { kind: 'Job', name: failed.name, uid: 'g1' } }]);
        return untilAborted(signal);
      },
      // A slow API server: the follower has read nothing when the grace period ends.
      followPodLogs: async (_c: string, _n: string, _p: string, _k: string, follow: { signal: AbortSignal }) => untilAborted(follow.signal),
      tailPodLogs: async (_c: string, namespace: string, selector: string, lines: number) => {
        asked.push(`${namespace} ${selector} ${lines}`);
        return [{ pod: 'daml-upgrade-0-1-93-upgrade-x7k2p', lines: ['INFO migrating contracts', 'ERROR io.grpc.StatusRuntimeException: DEADLINE_EXCEEDED'] }];
      },
    };
    const config = defaultConfig();
    const ctx = {
      log: { info: () => undefined, warn: () => undefined, error: () => undefined, output: () => undefined },
      signal: new AbortController().signal,
      clock: { now: () => new Date(), sleep: async () => undefined },
      statusOf: () => 'cancelled',
    };
    const target = { kube, context: 'bxci-prod/SREOperatorAccess', env: config.environments.production, environment: 'production' };
    const session = await StageSession.open(ctx as never, target as never, { from: '0.1.92', to: '0.1.93' }, ['upgrade'], recorder().journalOf);
    const error = await session.failure('upgrade', 'rerun it');
    await session.close();
    assert.deepEqual(asked, ['lendos-portal batch.kubernetes.io/job-name=daml-upgrade-0-1-93-upgrade 8']);
    assert.match(error.message, /Last log lines:\nINFO migrating contracts\nERROR io\.grpc\.StatusRuntimeException: DEADLINE_EXCEEDED\n/);
  });
});
