import type { Fault, UpgradeStage } from '../../contracts.js';
import type { ClusterContext } from '../context.js';
import { Resources, type StoreEvent } from '../store.js';
import { clone, isRecord, type KubeObject } from '../types.js';
import { isPodReady, podPhase } from './pod-status.js';
import type { Workload } from './pods.js';
import { dataLoaderScript, isDataLoader } from './data-loader.js';
import { failingStageScript, stageScript, type ScriptLine } from './stage-scripts.js';
import { finishJob, jobTerminal, writeJobStatus, type JobCounts } from './job-status.js';

const stageLabel = 'io.lendos.app/upgrade-stage';
const versionLabel = 'io.lendos.app/current-version';
const stages: UpgradeStage[] = ['upload-dars', 'init-upgrade-coordinator', 'initialize-upgraders', 'upgrade-consent', 'upgrade', 'cleanup-upgraders', 'cleanup-coordinator'];

interface JobPlan {
  stage?: UpgradeStage;
  failure?: { message?: string };
  neverStarts: boolean;
}

function record(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

function labelOf(job: KubeObject, key: string): string | undefined {
  return job.metadata.labels?.[key] ?? (record(record(record(job['spec'])['template'])['metadata'])['labels'] as Record<string, string> | undefined)?.[key];
}

/** The Job controller: runs a Job's pods (scripted stage logs), counts them, and completes or fails the Job. */
export class JobController {
  private readonly plans = new Map<string, JobPlan>();
  private readonly runsPerStage = new Map<string, number>();
  private readonly pending = new Set<string>();
  /** Job uid → where the world's stage hook is: awaited before the Job may complete. */
  private readonly hooks = new Map<string, 'running' | 'settled'>();

  constructor(private readonly context: ClusterContext) {}

  start(): () => void {
    return this.context.store.subscribe((event) => this.onChange(event));
  }

  private onChange(event: StoreEvent): void {
    if (event.resource === Resources.jobs && event.type !== 'DELETED') this.enqueue(event.object);
    if (event.resource === Resources.pods) {
      const owner = event.object.metadata.ownerReferences?.find((o) => o.kind === 'Job');
      if (owner) this.enqueue({ ...event.object, metadata: { ...event.object.metadata, name: owner.name } });
    }
  }

  private enqueue(job: KubeObject): void {
    const key = `${job.metadata.namespace}/${job.metadata.name}`;
    if (this.pending.has(key)) return;
    this.pending.add(key);
    this.context.lifecycle.soon(() => {
      this.pending.delete(key);
      const live = this.context.store.get(Resources.jobs, job.metadata.namespace, job.metadata.name);
      if (live) this.reconcile(live);
    });
  }

  /** Decided once per Job: which stage it runs and whether the scenario makes this run fail or never start. */
  private planFor(job: KubeObject): JobPlan {
    const known = this.plans.get(job.metadata.uid);
    if (known) return known;
    const label = labelOf(job, stageLabel);
    const stage = stages.find((s) => s === label);
    const applies = (fault: Fault): boolean =>
      'stage' in fault && fault.stage === stage && (!('cluster' in fault) || !fault.cluster || fault.cluster === this.context.name);
    const faults = this.context.scenario.faults.filter(applies);
    const run = stage ? (this.runsPerStage.get(stage) ?? 0) + 1 : 0;
    if (stage) this.runsPerStage.set(stage, run);
    const failing = faults.find((f): f is Extract<Fault, { kind: 'stage-fails' }> => f.kind === 'stage-fails');
    const plan: JobPlan = {
      stage,
      neverStarts: faults.some((f) => f.kind === 'job-never-starts'),
      failure: failing && run <= (failing.times ?? 1) ? { message: failing.message } : undefined,
    };
    this.plans.set(job.metadata.uid, plan);
    return plan;
  }

  private podsOf(job: KubeObject): KubeObject[] {
    return this.context.store
      .list(Resources.pods, job.metadata.namespace)
      .filter((p) => p.metadata.ownerReferences?.some((o) => o.uid === job.metadata.uid));
  }

  private reconcile(job: KubeObject): void {
    if (job.metadata.deletionTimestamp || jobTerminal(job)) return;
    const spec = record(job['spec']);
    const pods = this.podsOf(job);
    const counts: JobCounts = {
      active: pods.filter((p) => !p.metadata.deletionTimestamp && ['Pending', 'Running'].includes(podPhase(p))).length,
      ready: pods.filter((p) => !p.metadata.deletionTimestamp && isPodReady(p)).length,
      succeeded: pods.filter((p) => podPhase(p) === 'Succeeded').length,
      failed: pods.filter((p) => podPhase(p) === 'Failed').length + restartsOf(pods),
    };
    const parallelism = typeof spec['parallelism'] === 'number' ? spec['parallelism'] : 1;
    const target = typeof spec['completions'] === 'number' ? spec['completions'] : parallelism;
    const backoffLimit = typeof spec['backoffLimit'] === 'number' ? spec['backoffLimit'] : 6;
    if (counts.failed > backoffLimit) return finishJob(this.context, job, counts, { failed: 'BackoffLimitExceeded' });
    if (counts.succeeded >= target) return this.complete(job, counts);
    const missing = Math.min(parallelism, target - counts.succeeded) - counts.active;
    for (let i = 0; i < missing; i += 1) {
      this.createPod(job, counts.succeeded + counts.active + i, target);
      counts.active += 1;
    }
    if (!record(job['status'])['startTime']) this.scheduleDeadline(job, spec);
    writeJobStatus(this.context, job, counts);
  }

  /** Marks the Job Complete once the world's hook for its stage settled: a stage's work lands before the Job says done. */
  private complete(job: KubeObject, counts: JobCounts): void {
    const uid = job.metadata.uid;
    const hook = this.context.onStageSucceeded;
    const stage = stages.find((s) => s === labelOf(job, stageLabel));
    const state = this.hooks.get(uid);
    const cluster = this.context.name;
    // Dev runs no DAML upgrade and has no PQS to follow one.
    if (!hook || !stage || cluster === 'dev' || state === 'settled') {
      this.hooks.delete(uid);
      return finishJob(this.context, job, counts, {});
    }
    if (state === 'running') return;
    this.hooks.set(uid, 'running');
    const event = { cluster, stage, toVersion: labelOf(job, versionLabel), namespace: job.metadata.namespace ?? 'default', job: job.metadata.name };
    void hook(event)
      .catch((error: unknown) => this.context.lifecycle.fail(error))
      .finally(() => {
        this.hooks.set(uid, 'settled');
        this.enqueue(job);
      });
  }

  private scheduleDeadline(job: KubeObject, spec: Record<string, unknown>): void {
    const deadline = spec['activeDeadlineSeconds'];
    if (typeof deadline !== 'number') return;
    this.context.lifecycle.after(deadline * 1000, () => {
      const live = this.context.store.get(Resources.jobs, job.metadata.namespace, job.metadata.name);
      if (!live || live.metadata.uid !== job.metadata.uid || jobTerminal(live)) return;
      const counts = record(live['status']) as unknown as JobCounts;
      finishJob(this.context, live, { active: 0, ready: 0, succeeded: counts.succeeded ?? 0, failed: counts.failed ?? 0 }, { failed: 'DeadlineExceeded' });
    });
  }

  private createPod(job: KubeObject, index: number, shards: number): void {
    const plan = this.planFor(job);
    const template = clone(record(record(job['spec'])['template']));
    const pod = this.context.pods.create(
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: '', generateName: `${job.metadata.name}-`, namespace: job.metadata.namespace, uid: '', resourceVersion: '', creationTimestamp: '',
          labels: { ...(record(template['metadata'])['labels'] as Record<string, string>) },
          annotations: { ...(record(template['metadata'])['annotations'] as Record<string, string>) },
          ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: job.metadata.name, uid: job.metadata.uid, controller: true, blockOwnerDeletion: true }],
        },
        spec: record(template['spec']),
      },
      {
        workload: this.workloadFor(job, plan, { index, shards }),
        unschedulable: plan.neverStarts ? '0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.' : undefined,
      },
    );
    this.context.events.record(job, 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`, { component: 'job-controller' });
  }

  private workloadFor(job: KubeObject, plan: JobPlan, shard: { index: number; shards: number }): Workload {
    const stage = plan.stage;
    const durations = this.context.scenario.durations;
    const duration = stage ? durations.stages?.[stage] ?? durations.stage : durations.stage;
    if (!stage && isDataLoader(job)) {
      const loader = dataLoaderScript(this.context, job);
      return playScript(loader.lines, duration, loader.error);
    }
    if (!stage) return playScript([{ at: 0, text: `Job ${job.metadata.name} started` }, { at: 1, text: 'done' }], duration);
    const run = {
      stage, version: labelOf(job, versionLabel) ?? 'unknown', shard: shard.index % shard.shards, shards: shard.shards,
      random: this.context.clock.random, ledger: ledgerOf(job),
    };
    if (!plan.failure) return playScript(stageScript(run), duration);
    const failing = failingStageScript(run, plan.failure.message);
    return playScript(failing.lines, duration, failing.error);
  }
}

/** The participant the stage talks to, from `--ledger-host`/`--ledger-port` of the Job's container. */
function ledgerOf(job: KubeObject): string {
  const podSpec = record(record(record(job['spec'])['template'])['spec']);
  const container = record(Array.isArray(podSpec['containers']) ? podSpec['containers'][0] : undefined);
  const args = Array.isArray(container['args']) ? container['args'].map(String) : [];
  const after = (flag: string) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : undefined);
  return `${after('--ledger-host') ?? 'canton-participant.canton-participant.svc.cluster.local'}:${after('--ledger-port') ?? '5011'}`;
}

function restartsOf(pods: KubeObject[]): number {
  return pods
    .filter((p) => record(p['spec'])['restartPolicy'] === 'OnFailure')
    .flatMap((p) => (Array.isArray(record(p['status'])['containerStatuses']) ? (record(p['status'])['containerStatuses'] as unknown[]) : []))
    .reduce<number>((sum, s) => sum + Number(record(s)['restartCount'] ?? 0), 0);
}

/** Prints the script's lines at their fraction of `duration`, then exits 0, or 1 with `error`. */
function playScript(lines: ScriptLine[], duration: number, error?: string): Workload {
  return async (process) => {
    let elapsed = 0;
    for (const line of lines) {
      const wait = Math.max(0, line.at * duration - elapsed);
      elapsed += wait;
      if (wait > 0 && !(await process.sleep(wait))) return;
      process.log(line.text);
    }
    process.exit(error ? 1 : 0, error);
  };
}
