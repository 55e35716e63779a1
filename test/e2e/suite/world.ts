/** What the e2e suites do by hand in the rehearsal world, as a person would: the product approver's comment. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

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

interface WorldForPulls {
  github: { apiUrl: string; owner: string; token: string };
  remotes: { lendos: string };
}

async function api(world: WorldForPulls, method: string, route: string, body: object): Promise<Record<string, unknown>> {
  const response = await fetch(`${world.github.apiUrl}/repos/${world.github.owner}/lendos${route}`, {
    method,
    headers: { authorization: `token ${world.github.token}`, 'content-type': 'application/json', accept: 'application/vnd.github+json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${route} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as Record<string, unknown>;
}

/**
 * A teammate's feature landing on lendos' main, as work lands between dev syncs: a branch of one commit on the
 * remote (git plumbing, no working tree touched), its PR opened and merged with a merge commit.
 */
export async function landOnMain(branch: string, title: string): Promise<number> {
  const world = JSON.parse(readFileSync(process.env.LENDOS_E2E_WORLD ?? '', 'utf8')) as WorldForPulls;
  const git = (args: string[], input?: string) => execFileSync('git', ['--git-dir', world.remotes.lendos, ...args], { encoding: 'utf8', input }).trim();
  const parent = git(['rev-parse', 'refs/heads/main']);
  const blob = git(['hash-object', '-w', '--stdin'], `${title}\n`);
  const tree = git(['mktree'], `${git(['ls-tree', 'main'])}\n100644 blob ${blob}\t${branch.replace(/\W/g, '-')}.md\n`);
  const commit = execFileSync('git', ['--git-dir', world.remotes.lendos, 'commit-tree', tree, '-p', parent, '-m', title], {
    encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_NAME: 'Ada Dev', GIT_AUTHOR_EMAIL: 'ada@lendos.example', GIT_COMMITTER_NAME: 'Ada Dev', GIT_COMMITTER_EMAIL: 'ada@lendos.example' },
  }).trim();
  git(['update-ref', `refs/heads/${branch}`, commit]);
  const pull = await api(world, 'POST', '/pulls', { head: branch, base: 'main', title, body: '' });
  await api(world, 'PUT', `/pulls/${String(pull['number'])}/merge`, { sha: commit, merge_method: 'merge' });
  return Number(pull['number']);
}
