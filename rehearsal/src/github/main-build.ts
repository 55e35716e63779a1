import { createHash } from 'node:crypto';
import type { EcrRegistry, Fault } from '../contracts.js';
import type { CommitInfo } from './repo-git.js';
import type { GitHubState, RunRecord } from './state.js';

export const WORKFLOWS = {
  build: { name: 'Build and Publish', path: '.github/workflows/build-main.yml', id: 78_112_345 },
  ci: { name: 'CI', path: '.github/workflows/ci.yml', id: 78_112_301 },
} as const;

/** The service images CI builds on `main`, with the patch number a repository starts at when it has no tags yet. */
export const SERVICE_BUILDS = [
  { repository: 'right-pedal/lendos-portal-backend', firstPatch: 800, sizeBytes: 192_000_000 },
  { repository: 'right-pedal/lendos-portal-frontend', firstPatch: 500, sizeBytes: 27_000_000 },
  { repository: 'right-pedal/signing-portal-backend', firstPatch: 800, sizeBytes: 176_000_000 },
  { repository: 'right-pedal/signing-portal-frontend', firstPatch: 500, sizeBytes: 24_000_000 },
] as const;

const SEMVER = /^v(\d+)\.(\d+)\.(\d+)$/;

/** The next `v0.0.N` after the highest semver tag in the repository (codacy/git-version bumps the patch). */
export function nextServiceTag(ecr: EcrRegistry, repository: string, firstPatch: number): string {
  let images: ReturnType<EcrRegistry['images']> = [];
  try {
    images = ecr.images(repository);
  } catch {
    images = [];
  }
  let best: [number, number, number] | undefined;
  for (const tag of images.flatMap((i) => i.tags)) {
    const m = SEMVER.exec(tag);
    if (!m) continue;
    const version: [number, number, number] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (!best || version[0] > best[0] || (version[0] === best[0] && (version[1] > best[1] || (version[1] === best[1] && version[2] > best[2])))) {
      best = version;
    }
  }
  return best ? `v${best[0]}.${best[1]}.${best[2] + 1}` : `v0.0.${firstPatch}`;
}

function serviceManifest(repository: string, tag: string, sha: string, sizeBytes: number): string {
  const digest = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;
  const layer = (name: string, size: number) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: digest(name), size });
  return JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: digest(`${repository}:${sha}:config`), size: 6_412 },
    layers: [layer(`${repository}:base`, Math.round(sizeBytes * 0.7)), layer(`${repository}:${sha}`, Math.round(sizeBytes * 0.3))],
    annotations: { 'org.opencontainers.image.version': tag, 'org.opencontainers.image.revision': sha },
  });
}

const missingTag = (faults: readonly Fault[], repository: string, tag: string) =>
  faults.some((f) => f.kind === 'tag-missing-from-ecr' && f.tag === tag && (f.repository === repository || `right-pedal/${f.repository}` === repository));

/** Pushes the four service images of a main build; a `tag-missing-from-ecr` fault makes CI skip that one. */
export function pushServiceImages(state: GitHubState, sha: string): string[] {
  const pushed: string[] = [];
  for (const build of SERVICE_BUILDS) {
    const tag = nextServiceTag(state.world.ecr, build.repository, build.firstPatch);
    if (missingTag(state.world.scenario.faults, build.repository, tag)) continue;
    const sizeBytes = Math.round(build.sizeBytes * (0.97 + state.world.clock.random() * 0.06));
    state.world.ecr.putImage({
      repository: build.repository,
      tags: [tag],
      manifest: serviceManifest(build.repository, tag, sha, sizeBytes),
      sizeBytes,
      pushedAt: state.now(),
    });
    pushed.push(`${build.repository}:${tag}`);
  }
  return pushed;
}

export function newRun(state: GitHubState, fields: Pick<RunRecord, 'repo' | 'branch' | 'headSha' | 'headMessage' | 'actor'> & { workflow: keyof typeof WORKFLOWS }): RunRecord {
  const workflow = WORKFLOWS[fields.workflow];
  const sameWorkflow = state.runs.filter((r) => r.repo === fields.repo && r.workflowId === workflow.id);
  const now = state.now();
  const run: RunRecord = {
    repo: fields.repo,
    id: 11_604_000_000 + state.runs.length * 7_919 + Math.floor(state.world.clock.random() * 500),
    runNumber: Math.max(0, ...sameWorkflow.map((r) => r.runNumber)) + 1,
    name: workflow.name,
    path: workflow.path,
    workflowId: workflow.id,
    event: 'push',
    branch: fields.branch,
    headSha: fields.headSha,
    headMessage: fields.headMessage,
    status: 'queued',
    conclusion: null,
    actor: fields.actor,
    createdAt: now,
    updatedAt: now,
    startedAt: now,
  };
  state.runs.push(run);
  return run;
}

type MainBuildFault = Extract<Fault, { kind: 'main-build' }>;

const mainBuildFault = (faults: readonly Fault[]) => faults.find((f): f is MainBuildFault => f.kind === 'main-build');

/**
 * Merging into lendos `main` starts "Build and Publish": queued → in_progress → images pushed → success. A
 * `main-build` fault makes it fail part-way (pushing nothing), or start no run at all (answers undefined).
 */
export function startMainBuild(state: GitHubState, commit: CommitInfo, actor: string): RunRecord | undefined {
  const fault = mainBuildFault(state.world.scenario.faults);
  if (fault?.outcome === 'never-starts') return undefined;
  const run = newRun(state, { repo: 'lendos', branch: 'main', headSha: commit.sha, headMessage: commit.message, actor, workflow: 'build' });
  const duration = state.world.scenario.durations.mainBuild;
  const queued = Math.min(5_000, duration * 0.05);
  state.track(
    (async () => {
      await state.world.clock.sleep(queued);
      if (state.closed) return;
      Object.assign(run, { status: 'in_progress', startedAt: state.now(), updatedAt: state.now() });
      if (fault?.outcome === 'failure') {
        // The build's tests fail before anything is pushed.
        await state.world.clock.sleep(Math.max(0, duration * 0.6 - queued));
        if (state.closed) return;
        Object.assign(run, { status: 'completed', conclusion: 'failure', updatedAt: state.now() });
        return;
      }
      await state.world.clock.sleep(Math.max(0, duration - queued));
      if (state.closed) return;
      pushServiceImages(state, commit.sha);
      Object.assign(run, { status: 'completed', conclusion: 'success', updatedAt: state.now() });
    })(),
  );
  return run;
}

/** Past runs: a build for each recent commit on main, CI for each on develop (from the seeded history). */
export function seedRuns(state: GitHubState, main: CommitInfo[], develop: CommitInfo[]): void {
  const past = [
    ...main.map((c) => ({ commit: c, branch: 'main', workflow: WORKFLOWS.build, minutes: 14 })),
    ...develop.map((c) => ({ commit: c, branch: 'develop', workflow: WORKFLOWS.ci, minutes: 6 })),
  ].sort((a, b) => Date.parse(a.commit.committer.date) - Date.parse(b.commit.committer.date));
  past.forEach(({ commit, branch, workflow, minutes }, index) => {
    const created = new Date(Date.parse(commit.committer.date) + 40_000);
    const runNumber = 1 + past.slice(0, index).filter((p) => p.workflow.id === workflow.id).length + (workflow.id === WORKFLOWS.build.id ? 311 : 2_204);
    state.runs.push({
      repo: 'lendos',
      id: 10_020_000_000 + index * 104_729,
      runNumber,
      name: workflow.name,
      path: workflow.path,
      workflowId: workflow.id,
      event: 'push',
      branch,
      headSha: commit.sha,
      headMessage: commit.message,
      status: 'completed',
      conclusion: 'success',
      actor: 'tbecker-lendos',
      createdAt: created,
      updatedAt: new Date(created.getTime() + minutes * 60_000),
      startedAt: new Date(created.getTime() + 8_000),
    });
  });
}
