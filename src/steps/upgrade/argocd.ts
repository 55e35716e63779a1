/**
 * Argo CD around the upgrade: an Application with automated sync (selfHeal) would undo the scale-down, so its
 * automation is suspended for the procedure (what was there is kept in the scale-down's evidence) and restored at
 * scale-up; the sync itself is a merge-patch of the Application's `operation`, as `argocd app sync --prune` does.
 */
import type { EventData, JsonValue } from '../../core/journal/types.js';
import type { ArgoApplicationInfo } from '../../ports.js';
import type { Cluster, UpgradeStepContext } from './target.js';

export type JsonObject = { readonly [key: string]: JsonValue };

/** Evidence key (on the scale-down step) of the automation suspended per Application. */
export const SUSPENDED_KEY = 'suspendedAutomation';

/** The Applications that manage any of these deployments (by their resources, else by destination namespace). */
export function owningApplications(
  apps: readonly ArgoApplicationInfo[],
  deployments: readonly { namespace: string; deployment: string }[],
): ArgoApplicationInfo[] {
  return apps.filter((app) =>
    deployments.some(
      (d) =>
        app.resources.some((r) => r.kind === 'Deployment' && r.name === d.deployment && (r.namespace ?? app.destinationNamespace) === d.namespace) ||
        (app.resources.length === 0 && app.destinationNamespace === d.namespace),
    ),
  );
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What scale-down suspended: Application name → its `spec.syncPolicy.automated`. */
export function suspendedAutomation(evidence: EventData): Record<string, JsonObject> {
  const saved = evidence[SUSPENDED_KEY];
  if (!isObject(saved)) return {};
  return Object.fromEntries(Object.entries(saved).filter((entry): entry is [string, JsonObject] => isObject(entry[1])));
}

/** Turns automated sync off on the given Applications, recording each one's settings before it is changed. */
export async function suspendAutomation(ctx: UpgradeStepContext, cluster: Cluster, apps: readonly ArgoApplicationInfo[]): Promise<string[]> {
  const saved = { ...suspendedAutomation(ctx.evidenceOf(ctx.step.id)) };
  const suspended: string[] = [];
  for (const app of apps) {
    if (!app.automated) continue;
    const how = app.automated['selfHeal'] === true ? 'automated sync with selfHeal' : 'automated sync';
    ctx.log.warn(`Argo CD application ${app.name} has ${how}: it would scale ${app.destinationNamespace ?? 'its deployments'} back up. Suspending it until scale-up.`);
    saved[app.name] = app.automated;
    await ctx.record({ [SUSPENDED_KEY]: saved });
    await cluster.kube.patchApplication(cluster.context, app.namespace, app.name, { spec: { syncPolicy: { automated: null } } });
    suspended.push(app.name);
  }
  return suspended;
}

/** Puts back what scale-down suspended; Applications whose automation is already on are left alone. */
export async function restoreAutomation(ctx: UpgradeStepContext, cluster: Cluster, saved: Record<string, JsonObject>): Promise<string[]> {
  const restored: string[] = [];
  for (const [name, automated] of Object.entries(saved)) {
    const app = await cluster.kube.getApplication(cluster.context, cluster.env.argoNamespace, name);
    if (!app) {
      ctx.log.warn(`Argo CD application ${name} is gone; its automated sync was not restored.`);
      continue;
    }
    if (app.automated) continue;
    await cluster.kube.patchApplication(cluster.context, app.namespace, name, { spec: { syncPolicy: { automated } } });
    ctx.log.info(`Restored automated sync of Argo CD application ${name} (${JSON.stringify(automated)}).`);
    restored.push(name);
  }
  return restored;
}

/** Applications whose suspended automation is not back yet. */
export async function automationPending(cluster: Cluster, saved: Record<string, JsonObject>): Promise<string[]> {
  const pending: string[] = [];
  for (const name of Object.keys(saved)) {
    const app = await cluster.kube.getApplication(cluster.context, cluster.env.argoNamespace, name);
    if (app && !app.automated) pending.push(name);
  }
  return pending;
}

/** Who initiates our syncs: the release, so a rerun recognises its own finished operation. */
export function syncInitiator(version: string): string {
  return `lendos-release/${version}`;
}

export function syncOperation(initiator: string): JsonObject {
  return { operation: { initiatedBy: { username: initiator }, sync: { prune: true, syncStrategy: { hook: {} } } } };
}

/** The state of one Application during our sync. */
export function syncState(app: ArgoApplicationInfo, initiator: string): 'running' | 'failed' | 'synced' | 'settling' {
  if (app.operationPending || app.operationBy !== initiator || app.operationPhase === 'Running' || app.operationPhase === 'Terminating') {
    return 'running';
  }
  if (app.operationPhase !== 'Succeeded') return 'failed';
  return app.syncStatus === 'Synced' && app.health === 'Healthy' ? 'synced' : 'settling';
}

export function describeApp(app: ArgoApplicationInfo): string {
  return `${app.name}: ${app.syncStatus ?? 'Unknown'}/${app.health ?? 'Unknown'}, last operation ${app.operationPhase ?? 'none'}${app.operationMessage ? ` (${app.operationMessage})` : ''}`;
}
