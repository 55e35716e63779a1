/** What the e2e suites do by hand in the rehearsal world's repositories, as a release engineer would (2.3, 3.4). */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

function workloadsClone(): string {
  const world = JSON.parse(readFileSync(process.env.LENDOS_E2E_WORLD ?? '', 'utf8')) as { workspace: { workloads: string } };
  return world.workspace.workloads;
}

/** New backend tags in values-tags-<cluster>.yaml, committed and pushed to the workloads main branch. */
export function updateValuesTags(cluster: 'staging' | 'production'): void {
  const cwd = workloadsClone();
  execFileSync('git', ['pull', '-q', '--ff-only', 'origin', 'main'], { cwd });
  const file = path.join(cwd, `values-tags-${cluster}.yaml`);
  writeFileSync(file, readFileSync(file, 'utf8').replace(/tag: v0\.0\.812/, 'tag: v0.0.813').replace(/tag: v0\.0\.806/, 'tag: v0.0.807'));
  for (const args of [['commit', '-qam', `Update values-tags for release 2025.4.0 (${cluster})`], ['push', '-q', 'origin', 'HEAD:main']]) {
    execFileSync('git', args, { cwd });
  }
}

/** The product approver (luis-product, with the world's approver token) comments on a pull request of lendos. */
export async function commentAsApprover(pr: number, body: string): Promise<void> {
  const world = JSON.parse(readFileSync(process.env.LENDOS_E2E_WORLD ?? '', 'utf8')) as { github: { apiUrl: string; owner: string; approverToken: string } };
  const response = await fetch(`${world.github.apiUrl}/repos/${world.github.owner}/lendos/issues/${pr}/comments`, {
    method: 'POST',
    headers: { authorization: `token ${world.github.approverToken}`, 'content-type': 'application/json', accept: 'application/vnd.github+json' },
    body: JSON.stringify({ body }),
  });
  if (response.status !== 201) throw new Error(`commenting on #${pr} answered ${response.status}: ${await response.text()}`);
}
