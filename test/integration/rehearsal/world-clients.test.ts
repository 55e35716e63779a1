import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DescribeImagesCommand, ECRClient } from '@aws-sdk/client-ecr';
import * as k8s from '@kubernetes/client-node';
import { Octokit } from '@octokit/rest';
import type { EcrRegistry } from '../../../rehearsal/src/index.js';
import { kubeConfig, run, startTestWorld, waitFor, type TestWorld } from './world-helpers.js';

/** Octokit logs every 4xx; these tests expect none, and a failure is asserted anyway. */
const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

const SERVICE_REPOSITORIES = [
  'right-pedal/lendos-portal-backend',
  'right-pedal/lendos-portal-frontend',
  'right-pedal/signing-portal-backend',
  'right-pedal/signing-portal-frontend',
];

/** Every semver tag of a repository, e.g. `v0.0.812`. */
function semverTags(ecr: EcrRegistry, repository: string): Set<string> {
  return new Set(ecr.images(repository).flatMap((image) => image.tags.filter((tag) => /^v\d+\.\d+\.\d+$/.test(tag))));
}

/** The semver tag pushed last, other than `except`. */
function latestOtherTag(ecr: EcrRegistry, repository: string, except: string): string | undefined {
  const images = [...ecr.images(repository)].sort((a, b) => a.pushedAt.getTime() - b.pushedAt.getTime());
  return images.flatMap((image) => image.tags.filter((tag) => /^v\d+\.\d+\.\d+$/.test(tag) && tag !== except)).at(-1);
}

async function git(cwd: string, ...args: string[]): Promise<string> {
  const result = await run('git', args, { cwd, env: process.env });
  assert.equal(result.code, 0, `git ${args.join(' ')}: ${result.stderr}`);
  return result.stdout.trim();
}

type Application = { status?: { operationState?: { phase?: string }; sync?: { status?: string }; health?: { status?: string } } };

describe('rehearsal world: the client libraries across its parts', function () {
  let t: TestWorld;

  before(async function () {
    t = await startTestWorld('fast');
  });

  after(async function () {
    await t?.cleanup();
  });

  it('an Argo CD sync patch through client-node deploys the values-tags of the workloads remote', async function () {
    const workloads = t.world.description.workspace.workloads;
    const current = 'v0.0.812';
    const newer = latestOtherTag(t.world.ecr, 'right-pedal/lendos-portal-backend', current);
    assert.ok(newer, 'ECR holds other lendos-portal-backend tags');
    const file = path.join(workloads, 'values-tags-staging.yaml');
    const before = readFileSync(file, 'utf8');
    assert.ok(before.includes(`tag: ${current}`));
    writeFileSync(file, before.replace(`tag: ${current}`, `tag: ${newer}`));
    await git(workloads, 'commit', '-qam', `Staging: lendos-portal-backend ${newer}`);
    await git(workloads, 'push', '-q', 'origin', 'HEAD:main');

    const kc = kubeConfig(t.world, 'staging');
    const custom = kc.makeApiClient(k8s.CustomObjectsApi);
    const app = { group: 'argoproj.io', version: 'v1alpha1', namespace: 'argocd', plural: 'applications', name: 'lendos-portal' };
    const body = { operation: { initiatedBy: { username: 'rehearsal-engineer' }, sync: { prune: true, syncStrategy: { hook: {} } } } };
    await custom.patchNamespacedCustomObject({ ...app, body }, k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch));
    const synced = await waitFor('the lendos-portal application to sync', async () => {
      const object = (await custom.getNamespacedCustomObject(app)) as Application;
      const done = object.status?.operationState?.phase === 'Succeeded' && object.status.health?.status === 'Healthy';
      return done ? object : undefined;
    });
    assert.equal(synced.status?.sync?.status, 'Synced');
    const deployment = await kc.makeApiClient(k8s.AppsV1Api).readNamespacedDeployment({ namespace: 'lendos-portal', name: 'lendos-portal-backend' });
    assert.match(deployment.spec?.template.spec?.containers[0]?.image ?? '', new RegExp(`/right-pedal/lendos-portal-backend:${newer.replace(/\./g, '\\.')}$`));
    const production = await kubeConfig(t.world, 'production')
      .makeApiClient(k8s.AppsV1Api)
      .readNamespacedDeployment({ namespace: 'lendos-portal', name: 'lendos-portal-backend' });
    assert.match(production.spec?.template.spec?.containers[0]?.image ?? '', /:v0\.0\.812$/, 'production reads its own values-tags file');
  });

  it('merging a release PR through Octokit starts the main build, which pushes new service images into ECR', async function () {
    const { github, workspace } = t.world.description;
    const octokit = new Octokit({ auth: github.token, baseUrl: github.apiUrl, log: quiet });
    const repo = { owner: github.owner, repo: 'lendos' };
    const lendos = workspace.lendos;
    await git(lendos, 'fetch', '-q', 'origin');
    await git(lendos, 'checkout', '-q', '-B', 'release/2025.4.0', 'origin/develop');
    writeFileSync(path.join(lendos, 'VERSION'), '2025.4.0\n');
    await git(lendos, 'commit', '-qam', 'Bump VERSION to 2025.4.0 for release');
    await git(lendos, 'push', '-q', '-u', 'origin', 'release/2025.4.0');
    const before = new Map(SERVICE_REPOSITORIES.map((r) => [r, semverTags(t.world.ecr, r)]));

    const pr = (await octokit.rest.pulls.create({ ...repo, base: 'main', head: 'release/2025.4.0', title: 'Release 2025.4.0' })).data;
    const merged = await octokit.rest.pulls.merge({ ...repo, pull_number: pr.number, merge_method: 'merge' });
    assert.equal(merged.data.merged, true);
    assert.equal(await git(t.world.remotes.lendos, 'rev-parse', 'main'), merged.data.sha);
    await t.world.github.settled();
    const runs = await octokit.rest.actions.listWorkflowRunsForRepo({ ...repo, branch: 'main', head_sha: merged.data.sha });
    assert.equal(runs.data.workflow_runs[0]?.conclusion, 'success');

    const { aws } = t.world.description;
    const ecr = new ECRClient({ region: aws.region, endpoint: aws.ecrEndpoint, credentials: aws.credentials });
    try {
      for (const repositoryName of SERVICE_REPOSITORIES) {
        const added = [...semverTags(t.world.ecr, repositoryName)].filter((tag) => !before.get(repositoryName)?.has(tag));
        assert.equal(added.length, 1, `${repositoryName} got one new tag: ${added.join(', ')}`);
        const described = await ecr.send(new DescribeImagesCommand({ repositoryName, imageIds: [{ imageTag: added[0] }] }));
        assert.deepEqual(described.imageDetails?.[0]?.imageTags, added);
      }
    } finally {
      ecr.destroy();
    }
  });
});
