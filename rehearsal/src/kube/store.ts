import { resourceByKey } from './resources.js';
import { alreadyExists, clone, conflict, KubeError, notFound, type KubeObject } from './types.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** One change of the store; `revision` is the store's revision after it (etcd-style, global). */
export interface StoreEvent {
  type: WatchEventType;
  resource: string;
  object: KubeObject;
  /** The object before a MODIFIED, so selector-filtered watches can turn it into ADDED/DELETED. */
  previous?: KubeObject;
  revision: number;
}

export type StoreListener = (event: StoreEvent) => void;

/** The keys of the resource types, as `store` methods take them. */
export const Resources = {
  namespaces: 'namespaces',
  pods: 'pods',
  events: 'events',
  secrets: 'secrets',
  deployments: 'deployments.apps',
  replicaSets: 'replicasets.apps',
  jobs: 'jobs.batch',
  leases: 'leases.coordination.k8s.io',
  applications: 'applications.argoproj.io',
} as const;

function objectKey(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}

/**
 * All objects of one cluster, with a global resourceVersion counter, a bounded history of changes for
 * watches that resume from a resourceVersion, and synchronous fan-out to listeners.
 */
export class ObjectStore {
  private readonly objects = new Map<string, Map<string, KubeObject>>();
  private readonly history: StoreEvent[] = [];
  private readonly listeners = new Set<StoreListener>();
  private currentRevision = 1;
  /** Every change at or below this revision has left the history: resuming from older ones is 410 Gone. */
  private compacted = 0;

  constructor(private readonly historyLimit: number) {}

  get revision(): number {
    return this.currentRevision;
  }

  get compactedRevision(): number {
    return this.compacted;
  }

  get(resource: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const found = this.bucket(resource).get(objectKey(namespace, name));
    return found ? clone(found) : undefined;
  }

  /** Objects of a type, in one namespace or all, sorted by namespace then name like the real API. */
  list(resource: string, namespace?: string): KubeObject[] {
    const items = [...this.bucket(resource).values()].filter(
      (o) => namespace === undefined || o.metadata.namespace === namespace,
    );
    items.sort((a, b) =>
      objectKey(a.metadata.namespace, a.metadata.name).localeCompare(objectKey(b.metadata.namespace, b.metadata.name)),
    );
    return items.map((o) => clone(o));
  }

  create(resource: string, object: KubeObject): KubeObject {
    const bucket = this.bucket(resource);
    const key = objectKey(object.metadata.namespace, object.metadata.name);
    if (bucket.has(key)) {
      const type = resourceByKey(resource);
      throw alreadyExists(type.plural, type.group, object.metadata.name);
    }
    const stored = this.stamp(object);
    bucket.set(key, stored);
    this.publish({ type: 'ADDED', resource, object: stored, revision: this.currentRevision });
    return clone(stored);
  }

  /** Replaces an object; a set `metadata.resourceVersion` must match the stored one (optimistic concurrency). */
  update(resource: string, object: KubeObject, options: { checkVersion?: boolean } = {}): KubeObject {
    const bucket = this.bucket(resource);
    const key = objectKey(object.metadata.namespace, object.metadata.name);
    const existing = bucket.get(key);
    const type = resourceByKey(resource);
    if (!existing) throw notFound(type.plural, type.group, object.metadata.name);
    const expected = object.metadata.resourceVersion;
    if (options.checkVersion !== false && expected && expected !== existing.metadata.resourceVersion) {
      throw conflict(type.plural, type.group, object.metadata.name);
    }
    const next: KubeObject = { ...object, metadata: { ...object.metadata, uid: existing.metadata.uid } };
    next.metadata.creationTimestamp = existing.metadata.creationTimestamp;
    next.metadata.generation = existing.metadata.generation;
    if (existing.metadata.generation !== undefined && JSON.stringify(next['spec']) !== JSON.stringify(existing['spec'])) {
      next.metadata.generation = existing.metadata.generation + 1;
    }
    if (JSON.stringify(withoutVersion(next)) === JSON.stringify(withoutVersion(existing))) return clone(existing);
    const stored = this.stamp(next);
    bucket.set(key, stored);
    this.publish({ type: 'MODIFIED', resource, object: stored, previous: existing, revision: this.currentRevision });
    return clone(stored);
  }

  /** Read-modify-write for controllers: no-op (returns undefined) if the object is gone. */
  mutate(
    resource: string,
    namespace: string | undefined,
    name: string,
    change: (object: KubeObject) => void,
  ): KubeObject | undefined {
    const current = this.get(resource, namespace, name);
    if (!current) return undefined;
    change(current);
    return this.update(resource, current, { checkVersion: false });
  }

  remove(resource: string, namespace: string | undefined, name: string): KubeObject {
    const bucket = this.bucket(resource);
    const key = objectKey(namespace, name);
    const existing = bucket.get(key);
    if (!existing) {
      const type = resourceByKey(resource);
      throw notFound(type.plural, type.group, name);
    }
    bucket.delete(key);
    this.currentRevision += 1;
    const gone = clone(existing);
    gone.metadata.resourceVersion = String(this.currentRevision);
    this.publish({ type: 'DELETED', resource, object: gone, revision: this.currentRevision });
    return clone(gone);
  }

  /** Changes after `revision` still in the history; throws 410 when some have been compacted away. */
  eventsSince(revision: number): StoreEvent[] {
    if (revision < this.compacted) {
      throw new KubeError(410, 'Expired', `too old resource version: ${revision} (${this.compacted + 1})`);
    }
    return this.history.filter((e) => e.revision > revision);
  }

  subscribe(listener: StoreListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private bucket(resource: string): Map<string, KubeObject> {
    let bucket = this.objects.get(resource);
    if (!bucket) {
      resourceByKey(resource);
      bucket = new Map();
      this.objects.set(resource, bucket);
    }
    return bucket;
  }

  private stamp(object: KubeObject): KubeObject {
    this.currentRevision += 1;
    const stored = clone(object);
    stored.metadata.resourceVersion = String(this.currentRevision);
    return stored;
  }

  private publish(event: StoreEvent): void {
    this.history.push(event);
    while (this.history.length > this.historyLimit) {
      const dropped = this.history.shift();
      if (dropped) this.compacted = dropped.revision;
    }
    for (const listener of [...this.listeners]) listener(event);
  }
}

function withoutVersion(object: KubeObject): KubeObject {
  return { ...object, metadata: { ...object.metadata, resourceVersion: '' } };
}
