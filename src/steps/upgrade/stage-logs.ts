/**
 * Live logs of the upgrade stages: a watch on the release's stage pods starts one log follower per container as pods
 * appear (retried pods included), each stage into its own sink in batches, with the pod name as a prefix when the
 * stage runs (or has run) more than one pod.
 */
import type { UpgradeStage } from '../../core/runbook/types.js';
import type { LogSink } from '../../engine/step-types.js';
import type { Clock, Kube, PodInfo } from '../../ports.js';
import { BatchedLog } from './batched-log.js';
import { STAGE_LABEL, VERSION_LABEL } from './stages.js';

export interface StageLogsOptions {
  readonly kube: Kube;
  readonly context: string;
  readonly namespace: string;
  readonly version: string;
  readonly stages: readonly UpgradeStage[];
  readonly sinkFor: (stage: UpgradeStage) => LogSink;
  /** Times the grace period of `close` (the step's `ctx.clock`). */
  readonly clock: Clock;
  /** Warnings about the logs themselves (a follower that gave up). */
  readonly warn: (line: string) => void;
  /** Pods of a stage that cannot start (Unschedulable, ImagePullBackOff, …), whenever that list changes. */
  readonly onStuck?: (stage: UpgradeStage, reasons: readonly string[]) => void;
}

/** Waiting reasons every pod passes through on its way to running: not worth a word. */
const ORDINARY_WAITING = /^(ContainerCreating|PodInitializing)\b/;

export class StageLogs {
  private readonly abort = new AbortController();
  private readonly logs = new Map<UpgradeStage, BatchedLog>();
  private readonly followers = new Map<string, Promise<void>>();
  private readonly podsPerStage = new Map<UpgradeStage, Set<string>>();
  private readonly ignoredJobs = new Set<string>();
  private readonly parallelism = new Map<UpgradeStage, number>();
  private readonly stuck = new Map<UpgradeStage, string>();
  private watching: Promise<void> | undefined;

  constructor(private readonly options: StageLogsOptions) {}

  /** Pods of this Job are not followed (a finished stage, or a failed Job the script will replace). */
  ignoreJob(uid: string): void {
    this.ignoredJobs.add(uid);
  }

  setParallelism(stage: UpgradeStage, pods: number): void {
    this.parallelism.set(stage, pods);
  }

  start(): void {
    const { kube, context, namespace, version } = this.options;
    this.watching = kube
      .watchPods(context, namespace, `${VERSION_LABEL}=${version}`, (pods) => this.onPods(pods), this.abort.signal)
      .catch((error: unknown) => this.options.warn(`Stopped following stage logs: ${error instanceof Error ? error.message : String(error)}`));
  }

  private logOf(stage: UpgradeStage): BatchedLog {
    let log = this.logs.get(stage);
    if (!log) {
      log = new BatchedLog(this.options.sinkFor(stage));
      this.logs.set(stage, log);
    }
    return log;
  }

  private onPods(pods: readonly PodInfo[]): void {
    const stuck = new Map<UpgradeStage, string[]>(this.options.stages.map((s) => [s, []]));
    for (const pod of pods) {
      const stage = this.options.stages.find((s) => s === pod.labels[STAGE_LABEL]);
      if (!stage || (pod.owner && this.ignoredJobs.has(pod.owner.uid))) continue;
      const seen = this.podsPerStage.get(stage) ?? new Set<string>();
      seen.add(pod.name);
      this.podsPerStage.set(stage, seen);
      if (pod.phase === 'Pending' && pod.waiting && !ORDINARY_WAITING.test(pod.waiting)) stuck.get(stage)?.push(`${pod.name}: ${pod.waiting}`);
      for (const container of pod.containers) this.follow(stage, pod.name, container);
    }
    for (const [stage, reasons] of stuck) this.reportStuck(stage, reasons);
  }

  private reportStuck(stage: UpgradeStage, reasons: readonly string[]): void {
    const key = reasons.join('\n');
    if ((this.stuck.get(stage) ?? '') === key) return;
    this.stuck.set(stage, key);
    if (reasons.length > 0) this.logOf(stage).append(reasons.map((r) => `Pod not starting — ${r}`));
    this.options.onStuck?.(stage, reasons);
  }

  private prefix(stage: UpgradeStage, pod: string): string {
    const several = (this.parallelism.get(stage) ?? 1) > 1 || (this.podsPerStage.get(stage)?.size ?? 0) > 1;
    return several ? `[${pod}] ` : '';
  }

  private follow(stage: UpgradeStage, pod: string, container: string): void {
    const key = `${pod}/${container}`;
    if (this.followers.has(key)) return;
    const { kube, context, namespace } = this.options;
    const log = this.logOf(stage);
    const following = kube
      .followPodLogs(context, namespace, pod, container, { signal: this.abort.signal, onLines: (lines) => log.append(lines, this.prefix(stage, pod)) })
      .catch((error: unknown) => this.options.warn(`Stopped following the log of ${pod}: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => log.flush());
    this.followers.set(key, following);
  }

  /** The last lines of a stage's pods, for a failure message. */
  lastLines(stage: UpgradeStage, count: number): string[] {
    return this.logs.get(stage)?.lastLines(count) ?? [];
  }

  /** Lets the followers read what their (exited) containers printed, for at most `graceMs`, then stops everything. */
  async close(graceMs: number): Promise<void> {
    const graceOver = new AbortController();
    const grace = this.options.clock.sleep(graceMs, graceOver.signal).catch(() => undefined);
    await Promise.race([Promise.all(this.followers.values()), grace]);
    graceOver.abort();
    this.stop();
    await this.watching;
    await Promise.all(this.followers.values());
  }

  stop(): void {
    this.abort.abort();
    for (const log of this.logs.values()) log.flush();
  }
}
