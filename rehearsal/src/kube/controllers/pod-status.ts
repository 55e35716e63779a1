import { isRecord, type KubeObject } from '../types.js';

/** Pure builders of the `status` a kubelet and scheduler report for a pod at each point of its life. */

type Condition = { type: string; status: 'True' | 'False'; lastProbeTime: null; lastTransitionTime: string; reason?: string; message?: string };

function condition(type: string, ok: boolean, at: string, reason?: string, message?: string): Condition {
  const result: Condition = { type, status: ok ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: at };
  if (reason) result.reason = reason;
  if (message) result.message = message;
  return result;
}

export function containersOf(pod: KubeObject, field: 'containers' | 'initContainers' = 'containers'): { name: string; image: string }[] {
  const spec = isRecord(pod['spec']) ? pod['spec'] : {};
  const containers = Array.isArray(spec[field]) ? spec[field] : [];
  return containers.filter(isRecord).map((c) => ({ name: String(c['name']), image: String(c['image'] ?? '') }));
}

/** Init containers wait while the pod is being set up, and have completed once it runs. */
function initStatuses(pod: KubeObject, finishedAt?: string): Record<string, unknown>[] | undefined {
  const inits = containersOf(pod, 'initContainers');
  if (inits.length === 0) return undefined;
  return inits.map((c) => ({
    name: c.name, image: c.image, imageID: finishedAt ? imageId(c.image) : '', ready: finishedAt !== undefined, started: false, restartCount: 0,
    state: finishedAt
      ? { terminated: { exitCode: 0, reason: 'Completed', startedAt: finishedAt, finishedAt } }
      : { waiting: { reason: 'PodInitializing' } },
    lastState: {},
  }));
}

function imageId(image: string): string {
  let hash = 0;
  for (const char of image) hash = (Math.imul(hash, 31) + char.charCodeAt(0)) >>> 0;
  return `${image.split(':')[0] ?? image}@sha256:${hash.toString(16).padStart(8, '0').repeat(8)}`;
}

function containerId(pod: KubeObject, name: string, restartCount: number): string {
  return `containerd://${(pod.metadata.uid.replace(/-/g, '') + name + restartCount).slice(0, 64).padEnd(64, '0')}`;
}

export function unschedulableStatus(message: string, at: string): Record<string, unknown> {
  return {
    phase: 'Pending',
    conditions: [condition('PodScheduled', false, at, 'Unschedulable', message)],
    qosClass: 'Burstable',
  };
}

export function containerCreatingStatus(pod: KubeObject, hostIP: string, at: string): Record<string, unknown> {
  return {
    phase: 'Pending',
    conditions: [
      condition('PodReadyToStartContainers', false, at),
      condition('Initialized', true, at),
      condition('Ready', false, at, 'ContainersNotReady', 'containers with unready status'),
      condition('ContainersReady', false, at, 'ContainersNotReady', 'containers with unready status'),
      condition('PodScheduled', true, at),
    ],
    hostIP,
    hostIPs: [{ ip: hostIP }],
    startTime: at,
    qosClass: 'Burstable',
    ...(initStatuses(pod) ? { initContainerStatuses: initStatuses(pod) } : {}),
    containerStatuses: containersOf(pod).map((c) => ({
      name: c.name, image: c.image, imageID: '', ready: false, started: false, restartCount: 0,
      state: { waiting: { reason: 'ContainerCreating' } }, lastState: {},
    })),
  };
}

/** A container whose image cannot be pulled: the pod stays Pending, the container waiting with `reason`. */
export function imagePullStatus(pod: KubeObject, image: string, reason: 'ErrImagePull' | 'ImagePullBackOff', message: string): Record<string, unknown> {
  const previous = isRecord(pod['status']) ? pod['status'] : {};
  const statuses = Array.isArray(previous['containerStatuses']) ? previous['containerStatuses'].filter(isRecord) : [];
  return {
    ...previous,
    phase: 'Pending',
    containerStatuses: statuses.map((s) => (s['image'] === image ? { ...s, state: { waiting: { reason, message } } } : s)),
  };
}

interface RunState {
  podIP: string;
  restartCount: number;
  startedAt: string;
  lastTerminated?: Record<string, unknown>;
}

export function runningStatus(pod: KubeObject, run: RunState, at: string): Record<string, unknown> {
  const previous = isRecord(pod['status']) ? pod['status'] : {};
  return {
    ...previous,
    phase: 'Running',
    conditions: [
      condition('PodReadyToStartContainers', true, at),
      condition('Initialized', true, at),
      condition('Ready', true, at),
      condition('ContainersReady', true, at),
      condition('PodScheduled', true, at),
    ],
    podIP: run.podIP,
    podIPs: [{ ip: run.podIP }],
    ...(initStatuses(pod, run.startedAt) ? { initContainerStatuses: initStatuses(pod, run.startedAt) } : {}),
    containerStatuses: containersOf(pod).map((c) => ({
      name: c.name, image: c.image, imageID: imageId(c.image), containerID: containerId(pod, c.name, run.restartCount),
      ready: true, started: true, restartCount: run.restartCount,
      state: { running: { startedAt: run.startedAt } },
      lastState: run.lastTerminated ? { terminated: run.lastTerminated } : {},
    })),
  };
}

export function terminatedState(pod: KubeObject, exitCode: number, startedAt: string, at: string, message?: string) {
  const state: Record<string, unknown> = {
    exitCode,
    reason: exitCode === 0 ? 'Completed' : 'Error',
    startedAt,
    finishedAt: at,
    containerID: containerId(pod, containersOf(pod)[0]?.name ?? '', 0),
  };
  if (message) state['message'] = message;
  return state;
}

/** The container exited for good (restartPolicy Never, or OnFailure with success). */
export function finishedStatus(pod: KubeObject, terminated: Record<string, unknown>, at: string): Record<string, unknown> {
  const previous = isRecord(pod['status']) ? pod['status'] : {};
  const succeeded = terminated['exitCode'] === 0;
  const statuses = Array.isArray(previous['containerStatuses']) ? previous['containerStatuses'].filter(isRecord) : [];
  return {
    ...previous,
    phase: succeeded ? 'Succeeded' : 'Failed',
    conditions: [
      condition('PodReadyToStartContainers', false, at),
      condition('Initialized', true, at, 'PodCompleted'),
      condition('Ready', false, at, 'PodCompleted'),
      condition('ContainersReady', false, at, 'PodCompleted'),
      condition('PodScheduled', true, at),
    ],
    containerStatuses: statuses.map((s) => ({ ...s, ready: false, started: false, state: { terminated } })),
  };
}

/** Waiting to be restarted after a crash. */
export function crashLoopStatus(pod: KubeObject, terminated: Record<string, unknown>, at: string): Record<string, unknown> {
  const previous = isRecord(pod['status']) ? pod['status'] : {};
  const statuses = Array.isArray(previous['containerStatuses']) ? previous['containerStatuses'].filter(isRecord) : [];
  return {
    ...previous,
    conditions: [
      condition('Initialized', true, at),
      condition('Ready', false, at, 'ContainersNotReady', 'containers with unready status'),
      condition('ContainersReady', false, at, 'ContainersNotReady', 'containers with unready status'),
      condition('PodScheduled', true, at),
    ],
    containerStatuses: statuses.map((s) => ({
      ...s, ready: false, started: false,
      state: { waiting: { reason: 'CrashLoopBackOff', message: `back-off 10s restarting failed container` } },
      lastState: { terminated },
    })),
  };
}

export function podPhase(pod: KubeObject): string {
  return isRecord(pod['status']) ? String(pod['status']['phase'] ?? '') : '';
}

export function isPodReady(pod: KubeObject): boolean {
  const status = isRecord(pod['status']) ? pod['status'] : {};
  const conditions = Array.isArray(status['conditions']) ? status['conditions'].filter(isRecord) : [];
  return conditions.some((c) => c['type'] === 'Ready' && c['status'] === 'True');
}
