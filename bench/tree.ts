/**
 * Event → tree: `staging.upgrade.run` on a fresh `fast` world, through the product's engine (StepRunner, the real
 * Kube adapter's Job watch, StageTracker, the journal on disk, ReleaseService), timing each stage Job change from the
 * rehearsal API server's store to the first `ReleaseService.view()` that shows it — the view the Release tree renders
 * when `ReleaseService.changed` fires, re-read with the same coalescing as ReleaseSession. The vscode TreeView itself
 * is not part of it. Baseline: the same changes' arrival in the product's Job watch callback, in this process.
 * Usage: node --import tsx bench/tree.ts
 */
import { FileRunLocks } from '../src/adapters/run-locks.js';
import { createStepPorts, type RehearsalWorld } from '../src/adapters/step-ports.js';
import type { ReleaseService, ReleaseView } from '../src/engine/release-service.js';
import { scriptedPrompt } from '../src/engine/scripted-prompt.js';
import { StepRunner } from '../src/engine/step-runner.js';
import type { LogSink } from '../src/engine/step-types.js';
import type { JournalStore, Kube } from '../src/ports.js';
import type { ClusterStoreView } from '../rehearsal/src/kube/index.js';
import type { ObjectStore } from '../rehearsal/src/kube/store.js';
import { Resources } from '../rehearsal/src/kube/store.js';
import { ChangeProbe } from './lib/change-probe.js';
import { withMethod } from './lib/intercept.js';
import { TO, VERSION, markDoneBefore, startReleaseWorld, type ReleaseWorld } from './lib/release-world.js';
import { emit, median, percentile, progress, round } from './lib/report.js';

const STEP = 'staging.upgrade.run';

/** The tree's refresh: on every `changed`, re-read the view; a change during a read queues exactly one more read. */
class TreeRefresh {
  private loading: Promise<void> | undefined;
  private queued = false;
  views = 0;
  /** How long each view took to read (journal file, fold, plan). */
  readonly readMs: number[] = [];

  constructor(
    private readonly service: ReleaseService,
    private readonly onView: (view: ReleaseView, at: number) => void,
  ) {
    service.changed.on(() => void this.refresh());
  }

  refresh(): Promise<void> {
    if (this.loading) {
      this.queued = true;
      return this.loading;
    }
    this.loading = this.load().finally(() => {
      this.loading = undefined;
      if (this.queued) {
        this.queued = false;
        void this.refresh();
      }
    });
    return this.loading;
  }

  /** Settles once no read is running or queued. */
  async idle(): Promise<void> {
    while (this.loading) await this.loading;
  }

  private async load(): Promise<void> {
    const active = await this.service.activeRelease();
    await this.service.versions();
    if (!active) return;
    const began = performance.now();
    const view = await this.service.view(active);
    this.readMs.push(performance.now() - began);
    this.views += 1;
    this.onView(view, performance.now());
  }
}

/** The cluster's store as the rehearsal builds it; `subscribe` is how its watch endpoint hears of changes. */
function subscribable(store: ClusterStoreView): store is ClusterStoreView & Pick<ObjectStore, 'subscribe'> {
  return typeof (store as Partial<Pick<ObjectStore, 'subscribe'>>).subscribe === 'function';
}

/** The product's Kube port, with the Job watch's callback timed on its way to the StageSession. */
function timedKube(kube: Kube, probe: ChangeProbe): Kube {
  const watchJobs: Kube['watchJobs'] = (context, namespace, selector, onChange, signal) =>
    kube.watchJobs(
      context,
      namespace,
      selector,
      (jobs) => {
        probe.watched(jobs, performance.now());
        onChange(jobs);
      },
      signal,
    );
  return withMethod(kube, 'watchJobs', watchJobs);
}

/** The journal store, with each append (one write + fsync) timed. */
function timedStore(store: JournalStore, appendMs: number[]): JournalStore {
  const append: JournalStore['append'] = async (event) => {
    const began = performance.now();
    await store.append(event);
    appendMs.push(performance.now() - began);
  };
  return withMethod(store, 'append', append);
}

const quietLog: LogSink = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  output: () => undefined,
};

function worldOf(release: ReleaseWorld): RehearsalWorld {
  return release.world.description;
}

async function measure(release: ReleaseWorld): Promise<{ probe: ChangeProbe; readMs: number[] }> {
  const probe = new ChangeProbe(TO, 'staging');
  const store = release.world.clusters.staging.store;
  if (!subscribable(store))
    throw new Error(
      'the rehearsal cluster store has no subscribe(): the bench cannot see when a Job changes',
    );
  const unsubscribe = store.subscribe((event) => {
    if (event.resource === Resources.jobs && event.type !== 'DELETED')
      probe.stored(event.object, performance.now());
  });
  const base = createStepPorts(
    release.root,
    () => release.config,
    () => worldOf(release),
    async () => 'Ada Release <ada@example.com>',
  );
  const ports = { ...base, kube: async () => timedKube(await base.kube(), probe) };
  const tree = new TreeRefresh(release.service, (view, at) => probe.viewed(view, at));
  try {
    const runner = new StepRunner(release.service, release.registry, ports, new FileRunLocks(release.root), 'cli');
    const result = await runner.run(VERSION, STEP, {
      prompt: scriptedPrompt({ yes: true }, quietLog),
      log: quietLog,
      signal: new AbortController().signal,
    });
    if (result.status !== 'succeeded') throw new Error(`${STEP} ${result.status}: ${result.summary}`);
    await tree.idle();
    return { probe, readMs: tree.readMs };
  } finally {
    unsubscribe();
  }
}

async function main(): Promise<void> {
  progress('tree: starting a fast world');
  const appendMs: number[] = [];
  const release = await startReleaseWorld((store) => timedStore(store, appendMs));
  try {
    await markDoneBefore(release.service, STEP);
    progress(`tree: running ${STEP}, timing each stage Job change from the API server's store to the view`);
    appendMs.length = 0;
    const { probe, readMs } = await measure(release);
    const { toWatch, toView, changes, superseded, unseen } = probe.latencies();
    emit({
      name: 'tree',
      unit: 'ms',
      value: round(median(toView)),
      baseline: { label: "the product's Job watch callback", value: round(median(toWatch)) },
      details: {
        p95: round(percentile(toView, 0.95)),
        baselineP95: round(percentile(toWatch, 0.95)),
        max: round(Math.max(...toView)),
        changes,
        measured: toView.length,
        superseded,
        unseen,
        journalAppendMs: {
          median: round(median(appendMs)),
          p95: round(percentile(appendMs, 0.95)),
          count: appendMs.length,
        },
        viewReadMs: {
          median: round(median(readMs)),
          p95: round(percentile(readMs, 0.95)),
          count: readMs.length,
        },
      },
    });
  } finally {
    await release.stop();
  }
}

void main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
