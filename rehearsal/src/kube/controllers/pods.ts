import type { WorldClock, ScenarioDurations } from '../../contracts.js';
import type { Lifecycle } from '../context.js';
import type { LogStore } from '../logs.js';
import { nodeNames, type NameGenerator } from '../names.js';
import { Resources, type ObjectStore } from '../store.js';
import { isRecord, notFound, type KubeObject } from '../types.js';
import type { EventRecorder } from './events.js';
import {
  containerCreatingStatus, containersOf, crashLoopStatus, finishedStatus, imagePullStatus, podPhase, runningStatus, terminatedState,
  unschedulableStatus,
} from './pod-status.js';

/** What a workload sees of its container while it runs. */
export interface PodProcess {
  readonly pod: KubeObject;
  readonly restartCount: number;
  readonly stopped: boolean;
  log(text: string): void;
  /** Waits world time; resolves false if the container was stopped meanwhile. */
  sleep(worldMs: number): Promise<boolean>;
  exit(code: number, message?: string): void;
  /** Called once when the pod is deleted (SIGTERM). */
  onStop(callback: () => void): void;
}

export type Workload = (process: PodProcess) => void | Promise<void>;

interface ProcessState {
  stopped: boolean;
  exited: boolean;
  onStop: (() => void)[];
}

const restartBackoffMs = 10_000;

interface PodRuntimeDeps {
  store: ObjectStore;
  clock: WorldClock;
  names: NameGenerator;
  logs: LogStore;
  lifecycle: Lifecycle;
  events: EventRecorder;
  durations: ScenarioDurations;
  /** Images the registry does not have (the `tag-missing-from-ecr` fault): their pull fails, as the kubelet's does. */
  missingImage?: (image: string) => boolean;
}

/** The kubelet's back-off between pulls of an image it could not pull: 10 s, doubling, at most 5 minutes. */
const pullBackoffMs = (attempt: number) => Math.min(300_000, 10_000 * 2 ** attempt);

function spec(pod: KubeObject): Record<string, unknown> {
  return isRecord(pod['spec']) ? pod['spec'] : {};
}

/** The kubelet and scheduler of the cluster: runs pods through Pending → Running → (Succeeded|Failed) or deletion. */
export class PodRuntime {
  private readonly workloads = new Map<string, Workload>();
  private readonly processes = new Map<string, ProcessState>();

  constructor(private readonly deps: PodRuntimeDeps) {}

  /** Stores a new pod (defaults filled in like the API server's) and schedules its start. */
  create(pod: KubeObject, options: { workload?: Workload; unschedulable?: string; runningSince?: string } = {}): KubeObject {
    const { names, clock } = this.deps;
    const now = options.runningSince ?? clock.now().toISOString();
    const metadata = pod.metadata;
    if (!metadata.name && metadata.generateName) metadata.name = `${metadata.generateName}${names.suffix()}`;
    metadata.uid = names.uid();
    metadata.creationTimestamp = now;
    const podSpec: Record<string, unknown> = { restartPolicy: 'Always', terminationGracePeriodSeconds: 30, dnsPolicy: 'ClusterFirst',
      serviceAccountName: 'default', schedulerName: 'default-scheduler', ...spec(pod) };
    const node = nodeNames[Math.floor(clock.random() * nodeNames.length)] ?? 'ip-10-0-1-23.ec2.internal';
    if (!options.unschedulable && !podSpec['nodeName']) podSpec['nodeName'] = node;
    const nodeName = String(podSpec['nodeName'] ?? '');
    const hostIP = nodeName.replace(/^ip-(\d+)-(\d+)-(\d+)-(\d+).*$/, '$1.$2.$3.$4');
    const draft: KubeObject = { ...pod, apiVersion: 'v1', kind: 'Pod', spec: podSpec };
    draft['status'] = options.unschedulable
      ? unschedulableStatus(options.unschedulable, now)
      : containerCreatingStatus(draft, hostIP, now);
    const created = this.deps.store.create(Resources.pods, draft);
    if (options.workload) this.workloads.set(created.metadata.uid, options.workload);
    if (options.runningSince) {
      this.startContainers(created, 0, undefined, true);
      return this.current(created) ?? created;
    }
    this.announce(created, options.unschedulable);
    return created;
  }

  private announce(pod: KubeObject, unschedulable: string | undefined): void {
    const component = 'default-scheduler';
    if (unschedulable) {
      this.deps.events.record(pod, 'FailedScheduling', unschedulable, { type: 'Warning', component });
      return;
    }
    const node = String(spec(pod)['nodeName']);
    this.deps.events.record(pod, 'Scheduled', `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${node}`, { component });
    this.deps.lifecycle.after(this.deps.durations.podReady, () => this.pullOrStart(pod, 0));
  }

  /** Starts the containers once every image can be pulled; a missing image fails the pull and backs off. */
  private pullOrStart(pod: KubeObject, attempt: number): void {
    const live = this.current(pod);
    if (!live || live.metadata.deletionTimestamp) return;
    const missing = containersOf(live).find((c) => this.deps.missingImage?.(c.image));
    if (!missing) {
      this.startContainers(live, 0);
      return;
    }
    const { events, lifecycle, store } = this.deps;
    const namespace = live.metadata.namespace ?? 'default';
    const image = missing.image;
    const cause = `rpc error: code = NotFound desc = failed to pull and unpack image "${image}": failed to resolve reference "${image}": ${image}: not found`;
    const kubelet = { component: 'kubelet' };
    store.mutate(Resources.pods, namespace, live.metadata.name, (p) => {
      p['status'] = imagePullStatus(p, image, 'ErrImagePull', cause);
    });
    events.record(live, 'Pulling', `Pulling image "${image}"`, kubelet);
    events.record(live, 'Failed', `Failed to pull image "${image}": ${cause}`, { ...kubelet, type: 'Warning' });
    events.record(live, 'Failed', 'Error: ErrImagePull', { ...kubelet, type: 'Warning' });
    lifecycle.after(1_000, () => {
      const waiting = this.current(live);
      if (!waiting || waiting.metadata.deletionTimestamp) return;
      store.mutate(Resources.pods, namespace, live.metadata.name, (p) => {
        p['status'] = imagePullStatus(p, image, 'ImagePullBackOff', `Back-off pulling image "${image}"`);
      });
      events.record(waiting, 'BackOff', `Back-off pulling image "${image}"`, kubelet);
      events.record(waiting, 'Failed', 'Error: ImagePullBackOff', { ...kubelet, type: 'Warning' });
    });
    lifecycle.after(pullBackoffMs(attempt), () => this.pullOrStart(live, attempt + 1));
  }

  private current(pod: KubeObject): KubeObject | undefined {
    const live = this.deps.store.get(Resources.pods, pod.metadata.namespace, pod.metadata.name);
    return live && live.metadata.uid === pod.metadata.uid ? live : undefined;
  }

  /** `quiet` for pods of the seeded cluster, whose start events expired long ago. */
  private startContainers(pod: KubeObject, restartCount: number, lastTerminated?: Record<string, unknown>, quiet = false): void {
    const live = this.current(pod);
    if (!live || live.metadata.deletionTimestamp) return;
    const { logs, clock, events } = this.deps;
    const namespace = live.metadata.namespace ?? 'default';
    const startedAt = clock.now().toISOString();
    const podIP = isRecord(live['status']) && typeof live['status']['podIP'] === 'string' ? live['status']['podIP'] : this.deps.names.podIp();
    const running = this.deps.store.mutate(Resources.pods, namespace, live.metadata.name, (p) => {
      p['status'] = runningStatus(p, { podIP, restartCount, startedAt, lastTerminated }, startedAt);
    });
    if (!running) return;
    if (restartCount === 0) this.runInitContainers(running);
    for (const container of containersOf(running)) {
      logs.start(namespace, running.metadata.name, container.name);
      if (quiet) continue;
      if (restartCount === 0) events.record(running, 'Pulled', `Container image "${container.image}" already present on machine`, { component: 'kubelet' });
      events.record(running, 'Started', `Started container ${container.name}`, { component: 'kubelet' });
    }
    this.runWorkload(running, restartCount, startedAt);
  }

  /** Init containers ran to completion before the main containers started; they leave a short log. */
  private runInitContainers(pod: KubeObject): void {
    const namespace = pod.metadata.namespace ?? 'default';
    const specs = Array.isArray(spec(pod)['initContainers']) ? (spec(pod)['initContainers'] as unknown[]).filter(isRecord) : [];
    for (const init of specs) {
      const name = String(init['name']);
      const env = Array.isArray(init['env']) ? init['env'].filter(isRecord) : [];
      const value = (key: string) => String(env.find((e) => e['name'] === key)?.['value'] ?? '');
      const ledger = value('LEDGER_HOST') ? `${value('LEDGER_HOST')}:${value('LEDGER_PORT')}` : undefined;
      this.deps.logs.start(namespace, pod.metadata.name, name);
      if (ledger) this.deps.logs.append(namespace, pod.metadata.name, name, `Waiting for ledger ${ledger}\nLedger ${ledger} is reachable`);
      this.deps.logs.append(namespace, pod.metadata.name, name, `Prepared DAR bundle from ${String(init['image'] ?? '')}`);
      this.deps.logs.stop(namespace, pod.metadata.name, name);
    }
  }

  private runWorkload(pod: KubeObject, restartCount: number, startedAt: string): void {
    const state: ProcessState = { stopped: false, exited: false, onStop: [] };
    this.processes.set(pod.metadata.uid, state);
    const namespace = pod.metadata.namespace ?? 'default';
    const container = containersOf(pod)[0]?.name ?? '';
    const process: PodProcess = {
      pod,
      restartCount,
      get stopped() {
        return state.stopped || state.exited;
      },
      log: (text) => {
        if (!state.exited) this.deps.logs.append(namespace, pod.metadata.name, container, text);
      },
      sleep: (worldMs) => new Promise((resolve) => this.deps.lifecycle.after(worldMs, () => resolve(!state.stopped && !state.exited))),
      exit: (code, message) => this.exit(pod, state, { code, message, startedAt, restartCount }),
      onStop: (callback) => void state.onStop.push(callback),
    };
    const workload = this.workloads.get(pod.metadata.uid);
    if (workload) this.deps.lifecycle.soon(() => workload(process));
  }

  private exit(pod: KubeObject, state: ProcessState, run: { code: number; message?: string; startedAt: string; restartCount: number }): void {
    if (state.exited) return;
    state.exited = true;
    const live = this.current(pod);
    if (!live) return;
    const namespace = live.metadata.namespace ?? 'default';
    for (const container of containersOf(live)) this.deps.logs.stop(namespace, live.metadata.name, container.name);
    const at = this.deps.clock.now().toISOString();
    const terminated = terminatedState(live, run.code, run.startedAt, at, run.message);
    const policy = String(spec(live)['restartPolicy'] ?? 'Always');
    const restarts = policy === 'Always' || (policy === 'OnFailure' && run.code !== 0);
    this.deps.store.mutate(Resources.pods, namespace, live.metadata.name, (p) => {
      p['status'] = restarts ? crashLoopStatus(p, terminated, at) : finishedStatus(p, terminated, at);
    });
    if (!restarts || live.metadata.deletionTimestamp) return;
    this.deps.events.record(live, 'BackOff', 'Back-off restarting failed container', { type: 'Warning', component: 'kubelet' });
    this.deps.lifecycle.after(restartBackoffMs, () => this.startContainers(live, run.restartCount + 1, terminated));
  }

  /** Graceful deletion: Terminating for `podTerminate`, then gone; unscheduled or finished pods go at once. */
  delete(namespace: string, name: string, gracePeriodSeconds?: number): KubeObject {
    const pod = this.deps.store.get(Resources.pods, namespace, name);
    if (!pod) throw notFound('pods', '', name);
    if (pod.metadata.deletionTimestamp) return pod;
    const phase = podPhase(pod);
    const immediate = !spec(pod)['nodeName'] || phase === 'Succeeded' || phase === 'Failed' || gracePeriodSeconds === 0;
    if (immediate) return this.removeNow(pod);
    const grace = gracePeriodSeconds ?? Number(spec(pod)['terminationGracePeriodSeconds'] ?? 30);
    const deadline = new Date(this.deps.clock.now().getTime() + grace * 1000).toISOString();
    const terminating = this.deps.store.mutate(Resources.pods, namespace, name, (p) => {
      p.metadata.deletionTimestamp = deadline;
      p.metadata.deletionGracePeriodSeconds = grace;
    });
    const state = this.processes.get(pod.metadata.uid);
    if (state && !state.stopped) {
      state.stopped = true;
      state.onStop.forEach((callback) => callback());
    }
    for (const container of containersOf(pod)) {
      this.deps.events.record(pod, 'Killing', `Stopping container ${container.name}`, { component: 'kubelet' });
    }
    this.deps.lifecycle.after(this.deps.durations.podTerminate, () => {
      const live = this.current(pod);
      if (live) this.removeNow(live);
    });
    return terminating ?? pod;
  }

  private removeNow(pod: KubeObject): KubeObject {
    const namespace = pod.metadata.namespace ?? 'default';
    const state = this.processes.get(pod.metadata.uid);
    if (state) state.stopped = true;
    const removed = this.deps.store.remove(Resources.pods, namespace, pod.metadata.name);
    this.deps.logs.forget(namespace, pod.metadata.name);
    this.processes.delete(pod.metadata.uid);
    this.workloads.delete(pod.metadata.uid);
    return removed;
  }
}
