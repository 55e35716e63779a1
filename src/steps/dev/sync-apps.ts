/**
 * Section 4 · "Manually sync ArgoCD apps": dev's two Applications synced with prune (an `operation` patched on each,
 * as `argocd app sync` does), watched until Synced and Healthy on the tags `dev.image-tags` merged. Each sync runs
 * the `data-loader-service` PreSync hook first; the step shows how every hook ended and its Job's last log lines.
 * Dev is asserted by identity (its cluster, never one of staging's or production's) and confirmed before the sync.
 */
import { UserError } from '../../core/errors.js';
import type { EventData } from '../../core/journal/types.js';
import { neutraliseLine } from '../../core/text.js';
import type { StepExecutor } from '../../engine/step-types.js';
import type { ArgoApplicationInfo, ArgoHookResult, UpgradePorts } from '../../ports.js';
import { startSyncs, waitSynced, type SyncTarget } from '../upgrade/argocd-sync.js';
import { syncState } from '../upgrade/argocd.js';
import { assertCluster, identityEvidence, recordIdentity, recordingNote, unrecorded } from '../upgrade/identity.js';
import type { UpgradeStepContext } from '../upgrade/target.js';

const TAGS_STEP = 'dev.image-tags';
const TIMEOUT_SECONDS = 900;

interface DevTarget extends SyncTarget {
  readonly evidence: EventData;
}

/** The tags `dev.image-tags` merged (image → tag), and the branch that names this sync. */
function merged(ctx: UpgradeStepContext): { tags: Record<string, string>; branch: string } {
  const evidence = ctx.evidenceOf(TAGS_STEP);
  const tags = evidence['tags'];
  if (typeof evidence['branch'] !== 'string' || !tags || typeof tags !== 'object' || Array.isArray(tags) || evidence['mergeSha'] === undefined) {
    throw new UserError(`Set dev's image tags first (${TAGS_STEP}): this step deploys what it merged. Nothing was changed.`, 'blocked');
  }
  return { tags: Object.fromEntries(Object.entries(tags).filter((e): e is [string, string] => typeof e[1] === 'string')), branch: evidence['branch'] };
}

/** Who initiates this sync's operations: a rerun recognises them, a later sync does not. */
const initiatorOf = (branch: string) => `lendos-dev-sync/${branch.replace(/^dev\//, '')}`;

const hookLine = (app: string, hook: ArgoHookResult) =>
  `${app}: ${hook.hookType} hook ${hook.kind}/${hook.name} ${hook.hookPhase ?? 'Unknown'}${hook.message ? ` — ${neutraliseLine(hook.message)}` : ''}`;

/** Images the wanted tags name that no Application runs. */
function notRunning(apps: readonly ArgoApplicationInfo[], tags: Readonly<Record<string, string>>): string[] {
  const images = apps.flatMap((a) => a.images ?? []);
  return Object.entries(tags)
    .filter(([image, tag]) => !images.some((running) => running.endsWith(`:${tag}`) && running.includes(image)))
    .map(([image, tag]) => `${image}:${tag}`);
}

async function hookEvidence(ctx: UpgradeStepContext, target: SyncTarget, apps: readonly ArgoApplicationInfo[]): Promise<EventData[]> {
  const results: EventData[] = [];
  for (const app of apps) {
    const hooks = app.hooks ?? [];
    if (hooks.length === 0) ctx.log.warn(`${app.name}: the sync ran no hook; the data-loader-service did not reload dev's test data.`);
    for (const hook of hooks) {
      ctx.log.info(hookLine(app.name, hook));
      const namespace = hook.namespace ?? app.destinationNamespace ?? '';
      const logs = hook.kind === 'Job' ? await target.kube.tailPodLogs(target.context, namespace, `job-name=${hook.name}`, 3).catch(() => []) : [];
      const lines = logs.flatMap((l) => l.lines.map(neutraliseLine));
      for (const line of lines) ctx.log.info(`  ${hook.name} | ${line}`);
      results.push({ application: app.name, kind: hook.kind, name: hook.name, hookType: hook.hookType, phase: hook.hookPhase ?? null, message: hook.message ? neutraliseLine(hook.message) : null, lastLines: lines });
    }
  }
  return results;
}

/** After a failed sync: each Application's hooks, so the failure says which one and how. */
async function failedHooks(target: SyncTarget): Promise<string> {
  const apps = await Promise.all(target.env.argoApplications.map((n) => target.kube.getApplication(target.context, target.env.argoNamespace, n)));
  const failed = apps.flatMap((a) => (a?.hooks ?? []).filter((h) => h.hookPhase !== 'Succeeded').map((h) => hookLine(a?.name ?? '', h)));
  return failed.length > 0 ? ` Hooks: ${failed.join('; ')}.` : '';
}

export const devSyncApps: StepExecutor<UpgradePorts, DevTarget> = {
  stepId: 'dev.sync-apps',

  /** Done when this sync's operations finished on both Applications, Synced and Healthy on the merged tags. */
  async observe(ctx) {
    if (ctx.statusOf(TAGS_STEP) !== 'succeeded') return { done: false };
    const { tags, branch } = merged(ctx);
    const env = ctx.config.environments.dev;
    const kube = await ctx.ports.kube();
    const apps = await Promise.all(env.argoApplications.map((n) => kube.getApplication(env.kubeContext, env.argoNamespace, n)));
    const found = apps.filter((a): a is ArgoApplicationInfo => a !== undefined);
    if (found.length !== apps.length || found.some((a) => syncState(a, initiatorOf(branch)) !== 'synced') || notRunning(found, tags).length > 0) return { done: false };
    return { done: true, summary: `${env.argoApplications.join(' and ')} were synced by this dev sync and are Synced and Healthy`, evidence: { applications: [...env.argoApplications] } };
  },

  async prepare(ctx) {
    const { tags } = merged(ctx);
    const env = ctx.config.environments.dev;
    const kube = await ctx.ports.kube();
    const info = await kube.clusterInfo(env.kubeContext);
    const identity = await assertCluster(ctx, kube, info);
    for (const namespace of [env.argoNamespace]) {
      if (!(await kube.namespaceExists(env.kubeContext, namespace))) {
        throw new UserError(`Namespace "${namespace}" does not exist in context ${info.context} (server ${info.server}): is this dev's cluster? Check environments.dev in .lendos/config.yaml. Nothing was changed.`, 'missing-namespace');
      }
    }
    const missing = unrecorded(env, undefined, identity);
    const where =
      `Sync Argo CD applications ${env.argoApplications.join(', ')} with prune in ${env.label}: context ${info.context}, server ${info.server}, ` +
      `cluster kube-system UID ${identity.clusterUid}; deploys ${Object.entries(tags).map(([i, t]) => `${i} ${t}`).join(', ')}.${recordingNote(env, missing)}`;
    if (!(await ctx.prompt.confirm(`${where} Go on?`, `Sync ${env.label}`))) {
      ctx.log.warn(`Not confirmed: nothing was changed in ${env.label}.`);
      return undefined;
    }
    await recordIdentity(ctx, env, missing);
    return { kube, context: env.kubeContext, env, evidence: { context: info.context, server: info.server, ...identityEvidence(undefined, identity) } };
  },

  async run(ctx, target) {
    const { tags, branch } = merged(ctx);
    const initiator = initiatorOf(branch);
    await ctx.record({ ...target.evidence, initiatedBy: initiator });
    await startSyncs(ctx, target, initiator, TIMEOUT_SECONDS);
    const apps = await waitSynced(ctx, target, initiator, TIMEOUT_SECONDS).catch(async (error: unknown) => {
      if (error instanceof UserError) throw new UserError(`${error.message}${await failedHooks(target)}`, 'sync-failed');
      throw error;
    });
    const hooks = await hookEvidence(ctx, target, apps);
    const lacking = notRunning(apps, tags);
    if (lacking.length > 0) {
      throw new UserError(`Argo CD synced, but dev does not run ${lacking.join(', ')}: is ${ctx.config.environments.dev.valuesTagsFile} on main what ${TAGS_STEP} merged, and do the Applications read it? Then run this step again.`, 'wrong-images');
    }
    return {
      summary: `${apps.map((a) => a.name).join(' and ')} Synced and Healthy; data-loader hooks: ${hooks.map((h) => `${String(h['phase'])}`).join(', ') || 'none ran'}`,
      evidence: { applications: apps.map((a) => ({ name: a.name, images: [...(a.images ?? [])], message: a.operationMessage ?? null })), hooks, headline: `${apps.length} apps synced` },
    };
  },
};
