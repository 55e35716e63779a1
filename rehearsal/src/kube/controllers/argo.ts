import type { ClusterContext } from '../context.js';
import { Resources, type StoreEvent } from '../store.js';
import { isRecord, type KubeObject } from '../types.js';
import {
  argoAppsOf, argoNamespace, containerImage, deploymentHealth, isOutOfSync, tagFor, withTag, type AppDefinition,
} from './argo-apps.js';
import { hookResult, runHook } from './argo-hooks.js';

/** Argo CD's default self-heal delay and git polling period. */
const selfHealDelayMs = 5_000;
const refreshPeriodMs = 180_000;

function record(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

/** A sync operation under way: what asked for it, when it started, the application's source. */
interface SyncRun {
  operation: unknown;
  startedAt: string;
  source: Record<string, unknown>;
  /** The source's commit the sync applied (`main` of the workloads repository), when the world knows it. */
  revision?: string;
}

/** The Argo CD application controller: sync operations, health and sync status, automated self-heal. */
export class ArgoController {
  private readonly syncing = new Set<string>();
  private readonly healPending = new Set<string>();
  private values: Record<string, string> | undefined;
  /** This cluster's applications (dev's are not staging's and production's). */
  private readonly apps: readonly AppDefinition[];

  constructor(private readonly context: ClusterContext) {
    this.apps = argoAppsOf(context.name);
  }

  private appDefinition(name: string): AppDefinition | undefined {
    return this.apps.find((a) => a.name === name);
  }

  start(): () => void {
    const stop = this.context.store.subscribe((event) => this.onChange(event));
    this.context.lifecycle.soon(() => this.refreshLoop());
    return stop;
  }

  private onChange(event: StoreEvent): void {
    if (event.resource === Resources.applications && event.type !== 'DELETED') {
      const app = event.object;
      if (app.metadata.namespace !== argoNamespace) return;
      if (app['operation'] !== undefined && !this.syncing.has(app.metadata.name)) {
        this.syncing.add(app.metadata.name);
        this.context.lifecycle.soon(() => this.runSync(app.metadata.name));
      }
      if (app.metadata.annotations?.['argocd.argoproj.io/refresh']) this.context.lifecycle.soon(() => this.refresh(app.metadata.name, true));
    }
    if (event.resource === Resources.deployments) {
      const app = this.apps.find((a) => a.namespace === event.object.metadata.namespace && event.object.metadata.name in a.deployments);
      if (app) this.context.lifecycle.soon(() => this.assess(app));
    }
  }

  private application(name: string): KubeObject | undefined {
    return this.context.store.get(Resources.applications, argoNamespace, name);
  }

  private liveDeployments(app: AppDefinition): KubeObject[] {
    return this.context.store.list(Resources.deployments, app.namespace).filter((d) => d.metadata.name in app.deployments);
  }

  /** Recomputes health and sync status from the live deployments; self-heals drift when automated. */
  private assess(app: AppDefinition): void {
    const application = this.application(app.name);
    if (!application) return;
    const live = this.liveDeployments(app);
    const outOfSync = isOutOfSync(app, live, this.values);
    const healthy = live.length === Object.keys(app.deployments).length && live.every((d) => deploymentHealth(d) === 'Healthy');
    this.context.store.mutate(Resources.applications, argoNamespace, app.name, (a) => {
      const status = record(a['status']);
      status['sync'] = { ...record(status['sync']), status: outOfSync ? 'OutOfSync' : 'Synced' };
      status['health'] = { status: live.length === 0 ? 'Missing' : healthy ? 'Healthy' : 'Progressing' };
      status['summary'] = { images: [...new Set(live.map(containerImage))].sort() };
      status['resources'] = live.map((d) => ({
        group: 'apps', version: 'v1', kind: 'Deployment', namespace: app.namespace, name: d.metadata.name,
        status: this.deploymentOutOfSync(app, d) ? 'OutOfSync' : 'Synced',
        health: { status: deploymentHealth(d) },
      }));
      a['status'] = status;
    });
    const automated = record(record(record(application['spec'])['syncPolicy'])['automated']);
    if (outOfSync && automated['selfHeal'] === true && !this.syncing.has(app.name) && !this.healPending.has(app.name)) {
      this.healPending.add(app.name);
      this.context.lifecycle.after(selfHealDelayMs, () => {
        this.healPending.delete(app.name);
        if (isOutOfSync(app, this.liveDeployments(app), this.values)) this.startAutomatedSync(app.name);
      });
    }
  }

  private deploymentOutOfSync(app: AppDefinition, deployment: KubeObject): boolean {
    const desired = app.deployments[deployment.metadata.name];
    return desired !== undefined && isOutOfSync({ ...app, deployments: { [deployment.metadata.name]: desired } }, [deployment], this.values);
  }

  private startAutomatedSync(name: string): void {
    if (this.syncing.has(name)) return;
    this.context.store.mutate(Resources.applications, argoNamespace, name, (a) => {
      a['operation'] = { initiatedBy: { automated: true }, sync: { prune: true }, retry: { limit: 5 } };
    });
  }

  private async refreshLoop(): Promise<void> {
    for (const app of this.apps) await this.refresh(app.name, false);
    this.context.lifecycle.after(refreshPeriodMs, () => this.refreshLoop());
  }

  /** Reads the values-tags (git) like Argo's periodic refresh; automated apps sync when git moved on. */
  private async refresh(name: string, requested: boolean): Promise<void> {
    const app = this.appDefinition(name);
    if (!app) return;
    try {
      this.values = await this.context.valuesTags(this.context.name);
    } catch (error) {
      this.setCondition(name, `Failed to load target state: ${(error as Error).message}`);
      return;
    }
    if (requested) {
      this.context.store.mutate(Resources.applications, argoNamespace, name, (a) => {
        const annotations = { ...a.metadata.annotations };
        delete annotations['argocd.argoproj.io/refresh'];
        a.metadata.annotations = annotations;
      });
    }
    this.setCondition(name, undefined);
    this.recordRevision(name, await this.sourceRevision());
    this.assess(app);
    const automated = record(record(record(this.application(name)?.['spec'])['syncPolicy'])['automated']);
    if (Object.keys(automated).length > 0 && isOutOfSync(app, this.liveDeployments(app), this.values)) this.startAutomatedSync(name);
  }

  private async sourceRevision(): Promise<string | undefined> {
    return this.context.workloadsRevision?.().catch(() => undefined);
  }

  /** `status.sync.revision`: the commit the comparison (and a sync) was made at, as Argo CD reports it. */
  private recordRevision(name: string, revision: string | undefined): void {
    if (!revision) return;
    this.context.store.mutate(Resources.applications, argoNamespace, name, (a) => {
      const status = record(a['status']);
      status['sync'] = { ...record(status['sync']), revision };
      a['status'] = status;
    });
  }

  private setCondition(name: string, comparisonError: string | undefined): void {
    const now = this.context.clock.now().toISOString();
    this.context.store.mutate(Resources.applications, argoNamespace, name, (a) => {
      const status = record(a['status']);
      status['reconciledAt'] = now;
      if (comparisonError) status['conditions'] = [{ type: 'ComparisonError', message: comparisonError, lastTransitionTime: now }];
      else delete status['conditions'];
      a['status'] = status;
    });
  }

  private async runSync(name: string): Promise<void> {
    try {
      await this.sync(name);
    } finally {
      this.syncing.delete(name);
    }
  }

  /**
   * One sync operation: Running → the PreSync hook, if the app has one (a failed hook ends the operation Failed with
   * nothing applied) → apply the chart with the values-tags → Succeeded (or Error), then clear `operation`.
   */
  private async sync(name: string): Promise<void> {
    const app = this.appDefinition(name);
    const application = this.application(name);
    if (!application || application['operation'] === undefined) return;
    const operation = application['operation'];
    const startedAt = this.context.clock.now().toISOString();
    const source = record(record(application['spec'])['source']);
    this.writeOperation(name, { operation, phase: 'Running', message: 'one or more tasks are running', startedAt }, false);
    let values: Record<string, string>;
    try {
      if (!app) throw new Error(`application ${name} renders no resources in this world`);
      values = await this.context.valuesTags(this.context.name);
      this.values = values;
    } catch (error) {
      const message = `ComparisonError: ${(error as Error).message}`;
      this.writeOperation(name, { operation, phase: 'Error', message, startedAt, finishedAt: this.context.clock.now().toISOString() }, true);
      return;
    }
    const revision = await this.sourceRevision();
    const hooks = await this.preSync(app, { operation, startedAt, source, revision }, values);
    if (!hooks) return;
    if (hooks.failed) {
      const finishedAt = this.context.clock.now().toISOString();
      const message = 'one or more synchronization tasks completed unsuccessfully';
      this.writeOperation(name, { operation, phase: 'Failed', message, startedAt, finishedAt, syncResult: { resources: hooks.resources, source } }, true);
      this.assess(app);
      return;
    }
    const resources = [...hooks.resources, ...this.apply(app, values)];
    await this.context.clock.sleep(this.context.scenario.durations.argoSync);
    if (this.context.lifecycle.stopped) return;
    this.finish(app, { operation, startedAt, source, revision }, resources);
  }

  /** Runs the app's PreSync hook; its result entries, whether it failed, or undefined when the cluster closed. */
  private async preSync(app: AppDefinition, run: SyncRun, values: Record<string, string>): Promise<{ resources: Record<string, unknown>[]; failed: boolean } | undefined> {
    const hook = app.preSync;
    if (!hook) return { resources: [], failed: false };
    const message = `waiting for completion of hook batch/Job/${hook.name}`;
    const running = { resources: [hookResult(app, hook, 'Running', '')], source: run.source };
    this.writeOperation(app.name, { operation: run.operation, phase: 'Running', message, startedAt: run.startedAt, syncResult: running }, false);
    const outcome = await runHook(this.context, app, hook, values);
    if (!outcome || this.context.lifecycle.stopped) return undefined;
    return { resources: [hookResult(app, hook, outcome.phase, outcome.message)], failed: outcome.phase === 'Failed' };
  }

  /** Succeeded: the operation's result, a history entry, then health and sync status afresh. */
  private finish(app: AppDefinition, run: SyncRun, resources: Record<string, unknown>[]): void {
    const { operation, startedAt, source, revision } = run;
    const finishedAt = this.context.clock.now().toISOString();
    const at = revision ? { revision } : {};
    this.writeOperation(app.name, {
      operation, phase: 'Succeeded', message: 'successfully synced (all tasks run)', startedAt, finishedAt,
      syncResult: { resources, source, ...at },
    }, true);
    this.context.store.mutate(Resources.applications, argoNamespace, app.name, (a) => {
      const status = record(a['status']);
      const history = Array.isArray(status['history']) ? status['history'] : [];
      status['history'] = [...history, { id: history.length, deployStartedAt: startedAt, deployedAt: finishedAt, source, ...at }].slice(-10);
      a['status'] = status;
    });
    this.recordRevision(app.name, revision);
    this.assess(app);
  }

  /** Sets image tags from the values and the chart's replica counts on the app's deployments. */
  private apply(app: AppDefinition, values: Record<string, string>): Record<string, unknown>[] {
    return Object.entries(app.deployments).map(([deploymentName, desired]) => {
      const updated = this.context.store.mutate(Resources.deployments, app.namespace, deploymentName, (d) => {
        const spec = record(d['spec']);
        spec['replicas'] = desired.replicas;
        const tag = tagFor(desired.image, values);
        const containers = record(record(spec['template'])['spec'])['containers'];
        const first = Array.isArray(containers) ? containers[0] : undefined;
        if (tag && isRecord(first)) first['image'] = withTag(String(first['image'] ?? ''), tag);
      });
      return {
        group: 'apps', version: 'v1', kind: 'Deployment', namespace: app.namespace, name: deploymentName,
        status: updated ? 'Synced' : 'SyncFailed',
        message: updated ? `deployment.apps/${deploymentName} configured` : `deployments.apps "${deploymentName}" not found`,
        hookPhase: updated ? 'Succeeded' : 'Failed', syncPhase: 'Sync',
        images: updated ? [containerImage(updated)] : [],
      };
    });
  }

  private writeOperation(name: string, state: Record<string, unknown>, finished: boolean): void {
    this.context.store.mutate(Resources.applications, argoNamespace, name, (a) => {
      a['status'] = { ...record(a['status']), operationState: state };
      if (finished) delete a['operation'];
    });
  }
}
