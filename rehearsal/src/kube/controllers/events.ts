import type { WorldClock } from '../../contracts.js';
import type { NameGenerator } from '../names.js';
import { Resources, type ObjectStore } from '../store.js';
import type { KubeObject } from '../types.js';

/** Events expire in a real cluster (1 h TTL); here the oldest go once there are this many. */
const maxEvents = 1000;

/** Records core/v1 Events about objects, as the controllers and kubelet of a real cluster do. */
export class EventRecorder {
  private recorded = 0;
  private readonly live: { namespace: string; name: string }[] = [];

  constructor(
    private readonly store: ObjectStore,
    private readonly clock: WorldClock,
    private readonly names: NameGenerator,
  ) {}

  /** How many Events were recorded since the cluster started. */
  get count(): number {
    return this.recorded;
  }

  record(subject: KubeObject, reason: string, message: string, options: { type?: 'Normal' | 'Warning'; component: string }): void {
    const namespace = subject.metadata.namespace ?? 'default';
    if (!this.store.get(Resources.namespaces, undefined, namespace)) return;
    const now = this.clock.now().toISOString();
    const name = `${subject.metadata.name}.${this.names.suffix(16)}`;
    this.store.create(Resources.events, {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace, uid: this.names.uid(), resourceVersion: '', creationTimestamp: now },
      involvedObject: {
        kind: subject.kind,
        namespace: subject.metadata.namespace,
        name: subject.metadata.name,
        uid: subject.metadata.uid,
        apiVersion: subject.apiVersion,
        resourceVersion: subject.metadata.resourceVersion,
      },
      reason,
      message,
      source: { component: options.component },
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
      type: options.type ?? 'Normal',
      eventTime: null,
      reportingComponent: options.component,
      reportingInstance: '',
    });
    this.recorded += 1;
    this.live.push({ namespace, name });
    this.expireOldest();
  }

  private expireOldest(): void {
    while (this.live.length > maxEvents) {
      const oldest = this.live.shift();
      if (oldest && this.store.get(Resources.events, oldest.namespace, oldest.name)) {
        this.store.remove(Resources.events, oldest.namespace, oldest.name);
      }
    }
  }
}
