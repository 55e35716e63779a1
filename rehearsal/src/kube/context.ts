import type { KubeClusterName, Scenario, StageSucceededHook, ValuesTagsReader, WorldClock } from '../contracts.js';
import type { EventRecorder } from './controllers/events.js';
import type { PodRuntime } from './controllers/pods.js';
import type { LogStore } from './logs.js';
import type { NameGenerator } from './names.js';
import type { ObjectStore } from './store.js';

/** Timers of the cluster's controllers: all in world time, all inert once the cluster is closed. */
export class Lifecycle {
  private stoppedFlag = false;
  readonly failures: string[] = [];

  constructor(private readonly clock: WorldClock) {}

  get stopped(): boolean {
    return this.stoppedFlag;
  }

  stop(): void {
    this.stoppedFlag = true;
  }

  /** Runs `action` after `worldMs` of world time unless the cluster closed meanwhile; failures are recorded, never thrown. */
  after(worldMs: number, action: () => void | Promise<void>): void {
    void this.clock.sleep(worldMs).then(() => this.run(action));
  }

  /** Runs `action` on a later turn, so controllers never write to the store from inside a store listener. */
  soon(action: () => void | Promise<void>): void {
    setImmediate(() => void this.run(action));
  }

  /** Records a controller error (bounded), for `stats().failures`. */
  fail(error: unknown): void {
    if (this.failures.length < 100) this.failures.push(error instanceof Error ? error.stack ?? error.message : String(error));
  }

  private async run(action: () => void | Promise<void>): Promise<void> {
    if (this.stoppedFlag) return;
    try {
      await action();
    } catch (error) {
      this.fail(error);
    }
  }
}

/** Where the LendOS images live: the artifacts account's ECR. */
export const defaultImageRepositoryPrefix = '381492038457.dkr.ecr.us-east-1.amazonaws.com/right-pedal';

/** Everything the handlers and controllers of one cluster share. */
export interface ClusterContext {
  name: KubeClusterName;
  clock: WorldClock;
  scenario: Scenario;
  valuesTags: ValuesTagsReader;
  /** The commit of the applications' source revision (`main`), when the world knows it. */
  workloadsRevision?: () => Promise<string>;
  store: ObjectStore;
  names: NameGenerator;
  logs: LogStore;
  lifecycle: Lifecycle;
  events: EventRecorder;
  pods: PodRuntime;
  /** Registry path of the LendOS images; default `defaultImageRepositoryPrefix`. */
  imageRepositoryPrefix?: string;
  /** The DAML version the seeded ledger runs before any upload-dars Job. */
  initialDamlVersion: string;
  /** The Canton database restored from snapshots: what the ledger did between a snapshot and its restore is undone. */
  ledgerRewinds: { snapshotAt: Date; restoredAt: Date }[];
  /** Closers of the open watch streams. */
  watches: Set<() => void>;
  /** The world's work for a succeeded stage, awaited before its Job completes. */
  onStageSucceeded?: StageSucceededHook;
}
