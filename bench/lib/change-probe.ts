/**
 * When each change of a stage Job was seen at three points: the rehearsal API server's store, the product's own Job
 * watch (the Kube adapter's callback), and the release view the tree renders (`ReleaseService.view()`). A change is
 * what the tree can show: a new state (running, complete, failed) or new pod counts of a stage's Job.
 */
import type * as k8s from '@kubernetes/client-node';
import { toJobInfo } from '../../src/adapters/kube/convert.js';
import type { ReleaseView } from '../../src/engine/release-service.js';
import type { JobInfo } from '../../src/ports.js';
import { STAGE_LABEL, VERSION_LABEL, jobState, podCounts } from '../../src/steps/upgrade/stages.js';

interface Change {
  readonly job: string;
  readonly stage: string;
  readonly state: string;
  readonly counts: string;
  readonly stored: number;
  watched?: number;
  shown?: number;
  /** Shown only as part of a later state of the same Job, which reached the view first. */
  superseded?: boolean;
}

const signature = (job: JobInfo) => `${jobState(job)} ${podCounts(job)}`;

export class ChangeProbe {
  private readonly changes: Change[] = [];
  private readonly lastStored = new Map<string, string>();

  constructor(
    private readonly version: string,
    private readonly environment: string,
  ) {}

  /** A Job object as the API server's store just wrote it. */
  stored(object: unknown, at: number): void {
    const job = toJobInfo(object as k8s.V1Job);
    const stage = job.labels[STAGE_LABEL];
    if (job.labels[VERSION_LABEL] !== this.version || !stage) return;
    const key = signature(job);
    if (this.lastStored.get(job.name) === key) return;
    this.lastStored.set(job.name, key);
    this.changes.push({ job: job.name, stage, state: jobState(job), counts: podCounts(job), stored: at });
  }

  /** The full set of Jobs the product's watch delivered. */
  watched(jobs: readonly JobInfo[], at: number): void {
    for (const job of jobs) {
      const key = signature(job);
      const change = this.changes.find(
        (c) => c.job === job.name && c.watched === undefined && `${c.state} ${c.counts}` === key,
      );
      if (change) change.watched = at;
    }
  }

  /** A view the tree would render: each stage step's state, matched to the changes it shows. */
  viewed(view: ReleaseView, at: number): void {
    for (const planned of view.plan) {
      const prefix = `${this.environment}.upgrade.stage.`;
      if (!planned.step.id.startsWith(prefix)) continue;
      const stage = planned.step.id.slice(prefix.length);
      const { status, progress, message } = planned.state;
      const text = progress ?? message ?? '';
      const pending = this.changes.filter((c) => c.stage === stage && c.shown === undefined);
      const index = pending.findIndex((c) =>
        status === 'succeeded'
          ? c.state === 'complete'
          : c.state === 'running' && (text === c.counts || text.endsWith(`: ${c.counts}`)),
      );
      pending.slice(0, index + 1).forEach((c, i) => {
        c.shown = at;
        c.superseded = i < index;
      });
    }
  }

  /** Milliseconds from the store to the watch and to the view, for each change seen at all three points. */
  latencies(): { toWatch: number[]; toView: number[]; changes: number; superseded: number; unseen: number } {
    const complete = this.changes.filter((c) => c.watched !== undefined && c.shown !== undefined);
    return {
      toWatch: complete.map((c) => (c.watched ?? 0) - c.stored),
      toView: complete.map((c) => (c.shown ?? 0) - c.stored),
      changes: this.changes.length,
      superseded: complete.filter((c) => c.superseded).length,
      unseen: this.changes.length - complete.length,
    };
  }
}
