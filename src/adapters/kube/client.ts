/** The Kube port on @kubernetes/client-node 1.4: every call on the KubeConfig of the context it names. */
import * as k8s from '@kubernetes/client-node';
import { UserError } from '../../core/errors.js';
import type { JsonValue } from '../../core/journal/types.js';
import type {
  ArgoApplicationInfo,
  DeploymentScale,
  JobInfo,
  Kube,
  KubeClusterInfo,
  KubeEvent,
  LeaseRecord,
  LeaseSpecInput,
  LogFollow,
  PodInfo,
} from '../../ports.js';
import type { KubeContexts } from './config.js';
import { toApplication, toJobInfo, toLeaseRecord, toPodInfo } from './convert.js';
import { kubeError, reconnectDelay, sleep, statusOf, withRetry, type KubeOp } from './errors.js';
import { followContainer, type ContainerState } from './logs.js';
import { listWatch, type ListWatchSpec } from './watch.js';

const ARGO = { group: 'argoproj.io', version: 'v1alpha1', plural: 'applications' } as const;
const MAX_LOG_FAILURES = 10;
const mergePatch = () => k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);

async function orUndefined<T>(call: Promise<T>): Promise<T | undefined> {
  try {
    return await call;
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
}

function leaseBody(name: string, spec: LeaseSpecInput, metadata: k8s.V1ObjectMeta = {}): k8s.V1Lease {
  const time = (value: string | undefined) => (value ? new k8s.V1MicroTime(value) : undefined);
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { ...metadata, name },
    spec: {
      holderIdentity: spec.holder,
      leaseDurationSeconds: spec.durationSeconds,
      acquireTime: time(spec.acquireTime),
      renewTime: time(spec.renewTime),
      leaseTransitions: spec.transitions,
    },
  };
}

function scaleOf(scale: k8s.V1Scale): DeploymentScale {
  return { replicas: scale.spec?.replicas ?? 0, currentReplicas: scale.status?.replicas ?? 0, selector: scale.status?.selector ?? '' };
}

export class ClientNodeKube implements Kube {
  constructor(private readonly contexts: KubeContexts) {}

  private async call<T>(op: KubeOp, run: (config: k8s.KubeConfig) => Promise<T>): Promise<T> {
    const config = this.contexts.config(op.context);
    return withRetry(op, () => run(config), config.getCurrentCluster()?.server);
  }

  private api<A extends k8s.ApiType>(config: k8s.KubeConfig, type: k8s.ApiConstructor<A>): A {
    return config.makeApiClient(type);
  }

  async clusterInfo(context: string): Promise<KubeClusterInfo> {
    return this.contexts.info(context);
  }

  async readSecret(context: string, namespace: string, name: string): Promise<Readonly<Record<string, string>> | undefined> {
    const op = { context, verb: 'get', resource: 'secrets', namespace, name };
    const secret = await this.call(op, (c) => orUndefined(this.api(c, k8s.CoreV1Api).readNamespacedSecret({ name, namespace })));
    if (!secret) return undefined;
    return Object.fromEntries(Object.entries(secret.data ?? {}).map(([key, value]) => [key, Buffer.from(value, 'base64').toString('utf8')]));
  }

  async clusterUid(context: string): Promise<string> {
    const op = { context, verb: 'get', resource: 'namespaces', name: 'kube-system' };
    const namespace = await this.call(op, (c) => orUndefined(this.api(c, k8s.CoreV1Api).readNamespace({ name: 'kube-system' })));
    const uid = namespace?.metadata?.uid;
    if (!uid) {
      throw new UserError(`The cluster of context ${context} shows no kube-system namespace, so it cannot be identified: is this a Kubernetes cluster? Nothing was changed.`, 'no-cluster-identity');
    }
    return uid;
  }

  async listEvents(context: string, namespace: string, prefixes: readonly string[]): Promise<KubeEvent[]> {
    const op = { context, verb: 'list', resource: 'events', namespace };
    const list = await this.call(op, (c) => this.api(c, k8s.CoreV1Api).listNamespacedEvent({ namespace }));
    const time = (e: k8s.CoreV1Event) => e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata?.creationTimestamp;
    return list.items
      .filter((e) => prefixes.some((p) => (e.involvedObject.name ?? '').startsWith(p)))
      .map((e) => {
        const at = time(e);
        return {
          type: e.type ?? 'Normal',
          reason: e.reason ?? '',
          message: e.message ?? '',
          object: `${e.involvedObject.kind ?? ''}/${e.involvedObject.name ?? ''}`,
          count: e.count ?? 1,
          ...(at ? { lastTime: new Date(at).toISOString() } : {}),
        };
      })
      .sort((a, b) => (a.lastTime ?? '').localeCompare(b.lastTime ?? ''));
  }

  async restartDeployment(context: string, namespace: string, deployment: string, at: string): Promise<void> {
    const op = { context, verb: 'patch', resource: 'deployments', namespace, name: deployment };
    const body = { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': at } } } } };
    await this.call(op, (c) => this.api(c, k8s.AppsV1Api).patchNamespacedDeployment({ name: deployment, namespace, body }, mergePatch()));
  }

  async namespaceExists(context: string, namespace: string): Promise<boolean> {
    const op = { context, verb: 'get', resource: 'namespaces', name: namespace };
    const found = await this.call(op, (c) => orUndefined(this.api(c, k8s.CoreV1Api).readNamespace({ name: namespace })));
    return found !== undefined;
  }

  getScale(context: string, namespace: string, deployment: string): Promise<DeploymentScale> {
    const op = { context, verb: 'get', resource: 'deployments/scale', namespace, name: deployment };
    return this.call(op, async (c) => scaleOf(await this.api(c, k8s.AppsV1Api).readNamespacedDeploymentScale({ name: deployment, namespace })));
  }

  setScale(context: string, namespace: string, deployment: string, replicas: number): Promise<DeploymentScale> {
    const op = { context, verb: 'patch', resource: 'deployments/scale', namespace, name: deployment };
    const body = { spec: { replicas } };
    return this.call(op, async (c) =>
      scaleOf(await this.api(c, k8s.AppsV1Api).patchNamespacedDeploymentScale({ name: deployment, namespace, body }, mergePatch())),
    );
  }

  private async podList(context: string, namespace: string, selector: string): Promise<{ items: PodInfo[]; resourceVersion?: string }> {
    const op = { context, verb: 'list', resource: 'pods', namespace };
    const list = await this.call(op, (c) => this.api(c, k8s.CoreV1Api).listNamespacedPod({ namespace, labelSelector: selector }));
    return { items: list.items.map(toPodInfo), resourceVersion: list.metadata?.resourceVersion };
  }

  async listPods(context: string, namespace: string, selector: string): Promise<PodInfo[]> {
    return (await this.podList(context, namespace, selector)).items;
  }

  watchPods(context: string, namespace: string, selector: string, onChange: (pods: readonly PodInfo[]) => void, signal: AbortSignal): Promise<void> {
    return this.watch<PodInfo>(context, {
      op: { context, verb: 'watch', resource: 'pods', namespace },
      path: `/api/v1/namespaces/${namespace}/pods`,
      query: { labelSelector: selector },
      list: () => this.podList(context, namespace, selector),
      convert: (object) => toPodInfo(object as k8s.V1Pod),
      key: (pod) => pod.name,
    }, onChange, signal);
  }

  async deletePods(context: string, namespace: string, selector: string): Promise<string[]> {
    const names = (await this.listPods(context, namespace, selector)).map((p) => p.name);
    const op = { context, verb: 'deletecollection', resource: 'pods', namespace };
    await this.call(op, (c) => this.api(c, k8s.CoreV1Api).deleteCollectionNamespacedPod({ namespace, labelSelector: selector }));
    return names;
  }

  private async jobList(context: string, namespace: string, selector: string): Promise<{ items: JobInfo[]; resourceVersion?: string }> {
    const op = { context, verb: 'list', resource: 'jobs', namespace };
    const list = await this.call(op, (c) => this.api(c, k8s.BatchV1Api).listNamespacedJob({ namespace, labelSelector: selector }));
    return { items: list.items.map(toJobInfo), resourceVersion: list.metadata?.resourceVersion };
  }

  async listJobs(context: string, namespace: string, selector: string): Promise<JobInfo[]> {
    return (await this.jobList(context, namespace, selector)).items;
  }

  watchJobs(context: string, namespace: string, selector: string, onChange: (jobs: readonly JobInfo[]) => void, signal: AbortSignal): Promise<void> {
    return this.watch<JobInfo>(context, {
      op: { context, verb: 'watch', resource: 'jobs', namespace },
      path: `/apis/batch/v1/namespaces/${namespace}/jobs`,
      query: { labelSelector: selector },
      list: () => this.jobList(context, namespace, selector),
      convert: (object) => toJobInfo(object as k8s.V1Job),
      key: (job) => job.name,
    }, onChange, signal);
  }

  private async watch<T>(context: string, spec: Omit<ListWatchSpec<T>, 'server'>, onChange: (items: readonly T[]) => void, signal: AbortSignal): Promise<void> {
    const config = this.contexts.config(context);
    await listWatch(config, { ...spec, server: config.getCurrentCluster()?.server ?? '' }, onChange, signal);
  }

  private async containerState(context: string, namespace: string, pod: string, container: string): Promise<ContainerState> {
    const op = { context, verb: 'get', resource: 'pods', namespace, name: pod };
    const found = await this.call(op, (c) => orUndefined(this.api(c, k8s.CoreV1Api).readNamespacedPod({ name: pod, namespace })));
    if (!found) return 'gone';
    const state = found.status?.containerStatuses?.find((s) => s.name === container)?.state;
    if (state?.terminated) return 'terminated';
    if (state?.running) return 'running';
    return found.status?.phase === 'Succeeded' || found.status?.phase === 'Failed' ? 'terminated' : 'waiting';
  }

  async followPodLogs(context: string, namespace: string, pod: string, container: string, follow: LogFollow): Promise<void> {
    const config = this.contexts.config(context);
    const op = { context, verb: 'get', resource: 'pods/log', namespace, name: pod };
    await followContainer({
      config,
      namespace,
      pod,
      container,
      state: () => this.containerState(context, namespace, pod, container),
      onFailure: async (error, failures) => {
        const status = statusOf(error);
        const fatal = status === 401 || status === 403 || failures > MAX_LOG_FAILURES;
        if (fatal) throw kubeError(op, error, config.getCurrentCluster()?.server);
        await sleep(status === 400 || status === 404 ? 250 : reconnectDelay(failures), follow.signal);
      },
    }, follow);
  }

  async tailDeploymentLogs(context: string, namespace: string, deployment: string, lines: number): Promise<{ pod: string; lines: string[] }[]> {
    const op: KubeOp = { context, verb: 'get', resource: 'deployments', namespace, name: deployment };
    const found = await this.call(op, (c) => this.api(c, k8s.AppsV1Api).readNamespacedDeployment({ name: deployment, namespace }));
    const selector = Object.entries(found.spec?.selector.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`).join(',');
    const pods = (await this.listPods(context, namespace, selector)).filter((p) => !p.deleting && p.phase === 'Running');
    return Promise.all(pods.map((pod) => this.tail(context, pod, pod.containers.includes(deployment) ? deployment : pod.containers[0], lines)));
  }

  async tailPodLogs(context: string, namespace: string, selector: string, lines: number): Promise<{ pod: string; lines: string[] }[]> {
    const pods = await this.listPods(context, namespace, selector);
    return Promise.all(pods.map((pod) => this.tail(context, pod, pod.containers[0], lines)));
  }

  private async tail(context: string, pod: PodInfo, container: string | undefined, lines: number): Promise<{ pod: string; lines: string[] }> {
    const op = { context, verb: 'get', resource: 'pods/log', namespace: pod.namespace, name: pod.name };
    const text = await this.call(op, (c) =>
      this.api(c, k8s.CoreV1Api).readNamespacedPodLog({ name: pod.name, namespace: pod.namespace, container, tailLines: lines }),
    );
    return { pod: pod.name, lines: String(text ?? '').split('\n').filter((l) => l !== '') };
  }

  getLease(context: string, namespace: string, name: string): Promise<LeaseRecord | undefined> {
    const op = { context, verb: 'get', resource: 'leases', namespace, name };
    return this.call(op, async (c) => {
      const lease = await orUndefined(this.api(c, k8s.CoordinationV1Api).readNamespacedLease({ name, namespace }));
      return lease ? toLeaseRecord(lease) : undefined;
    });
  }

  createLease(context: string, namespace: string, name: string, spec: LeaseSpecInput): Promise<LeaseRecord> {
    const op = { context, verb: 'create', resource: 'leases', namespace, name };
    const body = leaseBody(name, spec);
    return this.call(op, async (c) => toLeaseRecord(await this.api(c, k8s.CoordinationV1Api).createNamespacedLease({ namespace, body })));
  }

  replaceLease(context: string, lease: LeaseRecord, spec: LeaseSpecInput): Promise<LeaseRecord> {
    const { name, namespace, resourceVersion } = lease;
    const op = { context, verb: 'update', resource: 'leases', namespace, name };
    const body = leaseBody(name, spec, { namespace, resourceVersion });
    return this.call(op, async (c) => toLeaseRecord(await this.api(c, k8s.CoordinationV1Api).replaceNamespacedLease({ name, namespace, body })));
  }

  private async applicationList(context: string, namespace: string): Promise<{ items: ArgoApplicationInfo[]; resourceVersion?: string }> {
    const op = { context, verb: 'list', resource: 'applications.argoproj.io', namespace };
    const list = (await this.call(op, (c) => this.api(c, k8s.CustomObjectsApi).listNamespacedCustomObject({ ...ARGO, namespace }))) as {
      items?: unknown[];
      metadata?: { resourceVersion?: string };
    };
    return { items: (list.items ?? []).map(toApplication), resourceVersion: list.metadata?.resourceVersion };
  }

  async listApplications(context: string, namespace: string): Promise<ArgoApplicationInfo[]> {
    return (await this.applicationList(context, namespace)).items;
  }

  async getApplication(context: string, namespace: string, name: string): Promise<ArgoApplicationInfo | undefined> {
    const op = { context, verb: 'get', resource: 'applications.argoproj.io', namespace, name };
    const found: unknown = await this.call(op, (c) => orUndefined(this.api(c, k8s.CustomObjectsApi).getNamespacedCustomObject({ ...ARGO, namespace, name })));
    return found === undefined ? undefined : toApplication(found);
  }

  async patchApplication(context: string, namespace: string, name: string, patch: { readonly [key: string]: JsonValue }): Promise<ArgoApplicationInfo> {
    const op = { context, verb: 'patch', resource: 'applications.argoproj.io', namespace, name };
    const api = (c: k8s.KubeConfig) => this.api(c, k8s.CustomObjectsApi);
    const patched: unknown = await this.call(op, (c) => api(c).patchNamespacedCustomObject({ ...ARGO, namespace, name, body: patch }, mergePatch()));
    return toApplication(patched);
  }

  watchApplications(context: string, namespace: string, onChange: (apps: readonly ArgoApplicationInfo[]) => void, signal: AbortSignal): Promise<void> {
    return this.watch<ArgoApplicationInfo>(context, {
      op: { context, verb: 'watch', resource: 'applications.argoproj.io', namespace },
      path: `/apis/${ARGO.group}/${ARGO.version}/namespaces/${namespace}/${ARGO.plural}`,
      query: {},
      list: () => this.applicationList(context, namespace),
      convert: toApplication,
      key: (app) => app.name,
    }, onChange, signal);
  }
}
