import { formatMatchLabels } from './selectors.js';
import { isRecord, type KubeObject } from './types.js';

export interface ColumnDefinition {
  name: string;
  type: 'string' | 'integer' | 'date';
  format: string;
  description: string;
  priority: number;
}

export type Cell = string | number;

export interface Printer {
  columns: ColumnDefinition[];
  cells(object: KubeObject, now: Date): Cell[];
}

function column(name: string, type: ColumnDefinition['type'], description: string, priority = 0, format = ''): ColumnDefinition {
  return { name, type, format, description, priority };
}

const nameColumn = column('Name', 'string', 'Name must be unique within a namespace.', 0, 'name');
const ageColumn = column('Age', 'string', 'CreationTimestamp is a timestamp representing the server time when this object was created.');

/** apimachinery's duration.HumanDuration, which the real server uses for Age cells. */
export function humanDuration(milliseconds: number): string {
  const seconds = Math.floor(milliseconds / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) return hours % 24 === 0 ? `${hours / 24}d` : `${Math.floor(hours / 24)}d${hours % 24}h`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  return `${Math.floor(hours / 24 / 365)}y`;
}

function since(timestamp: unknown, now: Date): string {
  return typeof timestamp === 'string' ? humanDuration(now.getTime() - Date.parse(timestamp)) : '<unknown>';
}

function age(object: KubeObject, now: Date): string {
  return since(object.metadata.creationTimestamp, now);
}

function record(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

function list(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

function num(value: unknown): number {
  return typeof value === 'number' ? value : 0;
}

function containersOf(podSpec: unknown): Record<string, unknown>[] {
  return list(record(podSpec)['containers']);
}

/** The STATUS cell of `kubectl get pods`, following the real printer's precedence. */
function initReason(status: Record<string, unknown>, total: number): string | undefined {
  const inits = list(status['initContainerStatuses']);
  for (const [index, container] of inits.entries()) {
    const state = record(container['state']);
    const terminated = record(state['terminated']);
    const waiting = record(state['waiting']);
    if (isRecord(state['terminated']) && terminated['exitCode'] === 0) continue;
    if (isRecord(state['terminated'])) return `Init:${String(terminated['reason'] ?? `ExitCode:${num(terminated['exitCode'])}`)}`;
    if (typeof waiting['reason'] === 'string' && waiting['reason'] !== 'PodInitializing') return `Init:${waiting['reason']}`;
    return `Init:${index}/${total}`;
  }
  return undefined;
}

export function podStatusReason(pod: KubeObject): string {
  const status = record(pod['status']);
  let reason = typeof status['reason'] === 'string' ? status['reason'] : String(status['phase'] ?? 'Unknown');
  const initializing = initReason(status, list(record(pod['spec'])['initContainers']).length);
  if (initializing) return pod.metadata.deletionTimestamp ? 'Terminating' : initializing;
  for (const container of list(status['containerStatuses'])) {
    const state = record(container['state']);
    const waiting = record(state['waiting']);
    const terminated = record(state['terminated']);
    if (typeof waiting['reason'] === 'string' && waiting['reason'] !== '') reason = waiting['reason'];
    else if (typeof terminated['reason'] === 'string' && terminated['reason'] !== '') reason = terminated['reason'];
    else if (isRecord(state['terminated'])) reason = `ExitCode:${num(terminated['exitCode'])}`;
  }
  if (pod.metadata.deletionTimestamp) reason = 'Terminating';
  return reason;
}

const podPrinter: Printer = {
  columns: [
    nameColumn,
    column('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
    column('Status', 'string', 'The aggregate status of the containers in this pod.'),
    column('Restarts', 'integer', 'The number of times the containers in this pod have been restarted.'),
    ageColumn,
    column('IP', 'string', 'IP address allocated to the pod.', 1),
    column('Node', 'string', 'Name of the node assigned to the pod.', 1),
    column('Nominated Node', 'string', 'Name of the node nominated for the pod.', 1),
    column('Readiness Gates', 'string', 'Pod readiness gates.', 1),
  ],
  cells(pod, now) {
    const status = record(pod['status']);
    const statuses = list(status['containerStatuses']);
    const total = containersOf(pod['spec']).length;
    const ready = statuses.filter((c) => c['ready'] === true).length;
    const restarts = statuses.reduce((sum, c) => sum + num(c['restartCount']), 0);
    const spec = record(pod['spec']);
    return [pod.metadata.name, `${ready}/${total}`, podStatusReason(pod), restarts, age(pod, now),
      String(status['podIP'] ?? '<none>'), String(spec['nodeName'] ?? '<none>'), '<none>', '<none>'];
  },
};

function workloadColumns(): ColumnDefinition[] {
  return [
    column('Containers', 'string', 'Names of each container in the template.', 1),
    column('Images', 'string', 'Images referenced by each container in the template.', 1),
    column('Selector', 'string', 'Label selector for pods.', 1),
  ];
}

function workloadCells(object: KubeObject): Cell[] {
  const spec = record(object['spec']);
  const containers = containersOf(record(spec['template'])['spec']);
  const selector = record(record(spec['selector'])['matchLabels']) as Record<string, string>;
  return [containers.map((c) => String(c['name'])).join(','), containers.map((c) => String(c['image'])).join(','), formatMatchLabels(selector)];
}

const deploymentPrinter: Printer = {
  columns: [
    nameColumn,
    column('Ready', 'string', 'Number of the pod with ready state'),
    column('Up-to-date', 'integer', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.'),
    column('Available', 'integer', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.'),
    ageColumn,
    ...workloadColumns(),
  ],
  cells(deployment, now) {
    const status = record(deployment['status']);
    const desired = num(record(deployment['spec'])['replicas']);
    return [deployment.metadata.name, `${num(status['readyReplicas'])}/${desired}`, num(status['updatedReplicas']),
      num(status['availableReplicas']), age(deployment, now), ...workloadCells(deployment)];
  },
};

const replicaSetPrinter: Printer = {
  columns: [
    nameColumn,
    column('Desired', 'integer', 'Replicas is the number of desired replicas.'),
    column('Current', 'integer', 'Replicas is the most recently oberved number of replicas.'),
    column('Ready', 'integer', 'The number of ready replicas for this replica set.'),
    ageColumn,
    ...workloadColumns(),
  ],
  cells(replicaSet, now) {
    const status = record(replicaSet['status']);
    return [replicaSet.metadata.name, num(record(replicaSet['spec'])['replicas']), num(status['replicas']),
      num(status['readyReplicas']), age(replicaSet, now), ...workloadCells(replicaSet)];
  },
};

function jobDuration(job: KubeObject, now: Date): string {
  const status = record(job['status']);
  if (typeof status['startTime'] !== 'string') return '';
  const end = typeof status['completionTime'] === 'string' ? Date.parse(status['completionTime']) : now.getTime();
  return humanDuration(end - Date.parse(status['startTime']));
}

const jobPrinter: Printer = {
  columns: [
    nameColumn,
    column('Completions', 'string', 'The desired number of successfully finished pods the job should be run with.'),
    column('Duration', 'string', 'Time required to complete the job.'),
    ageColumn,
    ...workloadColumns(),
  ],
  cells(job, now) {
    const spec = record(job['spec']);
    const succeeded = num(record(job['status'])['succeeded']);
    const parallelism = num(spec['parallelism']);
    const completions = typeof spec['completions'] === 'number' ? `${succeeded}/${spec['completions']}`
      : parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
    return [job.metadata.name, completions, jobDuration(job, now),
      age(job, now), ...workloadCells(job)];
  },
};

const namespacePrinter: Printer = {
  columns: [nameColumn, column('Status', 'string', 'The status of the namespace'), ageColumn],
  cells: (ns, now) => [ns.metadata.name, String(record(ns['status'])['phase'] ?? 'Active'), age(ns, now)],
};

const eventPrinter: Printer = {
  columns: [
    column('Last Seen', 'string', 'The time at which the most recent occurrence of this event was recorded.'),
    column('Type', 'string', 'Type of this event (Normal, Warning), new types could be added in the future.'),
    column('Reason', 'string', 'This should be a short, machine understandable string that gives the reason for this event being generated.'),
    column('Object', 'string', 'The object that this event is about.'),
    column('Message', 'string', 'A human-readable description of the status of this operation.'),
  ],
  cells(event, now) {
    const involved = record(event['involvedObject']);
    return [since(event['lastTimestamp'], now), String(event['type'] ?? ''), String(event['reason'] ?? ''),
      `${String(involved['kind'] ?? '').toLowerCase()}/${String(involved['name'] ?? '')}`, String(event['message'] ?? '')];
  },
};

const secretPrinter: Printer = {
  columns: [nameColumn, column('Type', 'string', 'The type of the secret'), column('Data', 'integer', 'The number of entries in the secret'), ageColumn],
  cells: (secret, now) => [secret.metadata.name, String(secret['type'] ?? ''), Object.keys(record(secret['data'])).length, age(secret, now)],
};

const leasePrinter: Printer = {
  columns: [nameColumn, column('Holder', 'string', 'The holder of the lease.'), ageColumn],
  cells: (lease, now) => [lease.metadata.name, String(record(lease['spec'])['holderIdentity'] ?? ''), age(lease, now)],
};

const applicationPrinter: Printer = {
  columns: [
    nameColumn,
    column('Sync Status', 'string', ''),
    column('Health Status', 'string', ''),
    column('Revision', 'string', '', 10),
    column('Project', 'string', '', 10),
  ],
  cells(application) {
    const status = record(application['status']);
    return [application.metadata.name, String(record(status['sync'])['status'] ?? ''),
      String(record(status['health'])['status'] ?? ''), String(record(status['sync'])['revision'] ?? ''),
      String(record(application['spec'])['project'] ?? '')];
  },
};

const genericPrinter: Printer = { columns: [nameColumn, ageColumn], cells: (o, now) => [o.metadata.name, age(o, now)] };

const printers: Record<string, Printer> = {
  pods: podPrinter,
  'deployments.apps': deploymentPrinter,
  'replicasets.apps': replicaSetPrinter,
  'jobs.batch': jobPrinter,
  namespaces: namespacePrinter,
  events: eventPrinter,
  secrets: secretPrinter,
  'leases.coordination.k8s.io': leasePrinter,
  'applications.argoproj.io': applicationPrinter,
};

export function printerFor(resource: string): Printer {
  return printers[resource] ?? genericPrinter;
}
