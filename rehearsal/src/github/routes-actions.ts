import { DOCS, notFound, ok, paginate, type ApiRequest } from './http.js';
import type { Router } from './router.js';
import { repoOf, site } from './routes-repos.js';
import { dateOrNull, repoJson, userJson } from './shapes.js';
import type { GitHubState, RepoContext, RunRecord } from './state.js';

function runJson(state: GitHubState, req: ApiRequest, repo: RepoContext, run: RunRecord) {
  const s = site(state, req);
  const url = `${req.baseUrl}/repos/${state.world.owner}/${repo.name}/actions/runs/${run.id}`;
  const html = `https://github.com/${state.world.owner}/${repo.name}/actions/runs/${run.id}`;
  return {
    id: run.id,
    name: run.name,
    node_id: Buffer.from(`012:WorkflowRun${run.id}`).toString('base64'),
    head_branch: run.branch,
    head_sha: run.headSha,
    path: run.path,
    display_title: run.headMessage.split('\n')[0],
    run_number: run.runNumber,
    event: run.event,
    status: run.status,
    conclusion: run.conclusion,
    workflow_id: run.workflowId,
    check_suite_id: run.id + 17,
    url,
    html_url: html,
    jobs_url: `${url}/jobs`,
    logs_url: `${url}/logs`,
    workflow_url: `${req.baseUrl}/repos/${state.world.owner}/${repo.name}/actions/workflows/${run.workflowId}`,
    created_at: dateOrNull(run.createdAt),
    updated_at: dateOrNull(run.updatedAt),
    run_started_at: dateOrNull(run.startedAt),
    run_attempt: 1,
    actor: userJson(s, run.actor),
    triggering_actor: userJson(s, run.actor),
    head_commit: { id: run.headSha, message: run.headMessage },
    repository: repoJson(s, repo),
  };
}

function listRuns(state: GitHubState, req: ApiRequest) {
  const repo = repoOf(state, req);
  const q = req.query;
  const status = q.get('status');
  const runs = state.runs
    .filter((r) => r.repo === repo.name)
    .filter((r) => !q.get('branch') || r.branch === q.get('branch'))
    .filter((r) => !q.get('head_sha') || r.headSha === q.get('head_sha'))
    .filter((r) => !q.get('event') || r.event === q.get('event'))
    .filter((r) => !q.get('actor') || r.actor === q.get('actor'))
    .filter((r) => !status || r.status === status || r.conclusion === status)
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.id - a.id);
  const page = paginate(runs, req);
  return ok({ total_count: runs.length, workflow_runs: page.items.map((r) => runJson(state, req, repo, r)) }, page.headers);
}

export function addActionsRoutes(router: Router, state: GitHubState): void {
  const R = '/repos/:owner/:repo/actions/runs';
  router
    .add('GET', R, async (req) => listRuns(state, req))
    .add('GET', `${R}/:id`, async (req) => {
      const repo = repoOf(state, req);
      const run = state.runs.find((r) => r.repo === repo.name && r.id === Number(req.params['id']));
      if (!run) throw notFound(`${DOCS}/actions/workflow-runs#get-a-workflow-run`);
      return ok(runJson(state, req, repo, run));
    });
}
