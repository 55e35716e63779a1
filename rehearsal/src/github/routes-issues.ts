import { DOCS, HttpError, notFound, ok, paginate, type ApiRequest } from './http.js';
import type { Router } from './router.js';
import { repoOf, site } from './routes-repos.js';
import { dateOrNull, userJson, type Site } from './shapes.js';
import type { GitHubState, IssueRecord, MilestoneRecord } from './state.js';

const LABEL_COLORS: Record<string, string> = { bug: 'd73a4a', feature: 'a2eeef', release: '0e8a16', daml: '5319e7', devops: 'fbca04' };

function milestoneJson(state: GitHubState, s: Site, m: MilestoneRecord) {
  const issues = state.issues.filter((i) => i.repo === m.repo && i.milestone === m.number);
  const url = `${s.baseUrl}/repos/${s.owner}/${m.repo}/milestones/${m.number}`;
  return {
    url,
    html_url: `https://github.com/${s.owner}/${m.repo}/milestone/${m.number}`,
    labels_url: `${url}/labels`,
    id: m.id,
    node_id: Buffer.from(`09:Milestone${m.id}`).toString('base64'),
    number: m.number,
    title: m.title,
    description: m.description,
    creator: userJson(s, 'tbecker-lendos'),
    open_issues: issues.filter((i) => i.state === 'open').length,
    closed_issues: issues.filter((i) => i.state === 'closed').length,
    state: m.state,
    created_at: dateOrNull(m.createdAt),
    updated_at: dateOrNull(m.updatedAt),
    due_on: dateOrNull(m.dueOn),
    closed_at: dateOrNull(m.closedAt),
  };
}

function issueJson(state: GitHubState, s: Site, issue: IssueRecord) {
  const url = `${s.baseUrl}/repos/${s.owner}/${issue.repo}/issues/${issue.number}`;
  const milestone = state.milestones.find((m) => m.repo === issue.repo && m.number === issue.milestone);
  return {
    url,
    repository_url: `${s.baseUrl}/repos/${s.owner}/${issue.repo}`,
    html_url: `https://github.com/${s.owner}/${issue.repo}/issues/${issue.number}`,
    id: issue.id,
    node_id: Buffer.from(`05:Issue${issue.id}`).toString('base64'),
    number: issue.number,
    title: issue.title,
    user: userJson(s, issue.user),
    labels: issue.labels.map((name) => ({ name, color: LABEL_COLORS[name] ?? 'ededed', default: name === 'bug' })),
    state: issue.state,
    state_reason: issue.state === 'closed' ? 'completed' : null,
    locked: false,
    assignee: issue.assignee ? userJson(s, issue.assignee) : null,
    assignees: issue.assignee ? [userJson(s, issue.assignee)] : [],
    milestone: milestone ? milestoneJson(state, s, milestone) : null,
    comments: state.comments.filter((c) => c.repo === issue.repo && c.issue === issue.number).length,
    created_at: dateOrNull(issue.createdAt),
    updated_at: dateOrNull(issue.updatedAt),
    closed_at: dateOrNull(issue.closedAt),
    author_association: 'MEMBER',
    body: issue.body,
  };
}

function byState<T extends { state: string }>(req: ApiRequest, items: T[]): T[] {
  const wanted = req.query.get('state') ?? 'open';
  if (!['open', 'closed', 'all'].includes(wanted)) {
    throw new HttpError(422, 'Validation Failed', DOCS, [{ resource: 'Issue', field: 'state', code: 'invalid' }]);
  }
  return items.filter((i) => wanted === 'all' || i.state === wanted);
}

function listIssues(state: GitHubState, req: ApiRequest) {
  const repo = repoOf(state, req);
  const milestone = req.query.get('milestone');
  const labels = (req.query.get('labels') ?? '').split(',').filter(Boolean);
  const assignee = req.query.get('assignee');
  if (milestone && !['*', 'none'].includes(milestone) && !state.milestones.some((m) => m.repo === repo.name && String(m.number) === milestone)) {
    throw notFound(`${DOCS}/issues/issues#list-repository-issues`);
  }
  const matches = byState(req, state.issues.filter((i) => i.repo === repo.name))
    .filter((i) => !milestone || (milestone === '*' ? i.milestone !== undefined : milestone === 'none' ? i.milestone === undefined : String(i.milestone) === milestone))
    .filter((i) => labels.every((l) => i.labels.includes(l)))
    .filter((i) => !assignee || (assignee === 'none' ? !i.assignee : assignee === '*' ? !!i.assignee : i.assignee === assignee))
    .sort((a, b) => (req.query.get('direction') === 'asc' ? 1 : -1) * (a.createdAt.getTime() - b.createdAt.getTime()));
  const page = paginate(matches, req);
  return ok(page.items.map((i) => issueJson(state, site(state, req), i)), page.headers);
}

export function addIssueRoutes(router: Router, state: GitHubState): void {
  const R = '/repos/:owner/:repo';
  router
    .add('GET', `${R}/milestones`, async (req) => {
      const repo = repoOf(state, req);
      const direction = req.query.get('direction') === 'desc' ? -1 : 1;
      const milestones = byState(req, state.milestones.filter((m) => m.repo === repo.name)).sort(
        (a, b) => direction * ((a.dueOn?.getTime() ?? Infinity) - (b.dueOn?.getTime() ?? Infinity)),
      );
      const page = paginate(milestones, req);
      return ok(page.items.map((m) => milestoneJson(state, site(state, req), m)), page.headers);
    })
    .add('GET', `${R}/milestones/:number`, async (req) => {
      const repo = repoOf(state, req);
      const m = state.milestones.find((x) => x.repo === repo.name && x.number === Number(req.params['number']));
      if (!m) throw notFound(`${DOCS}/issues/milestones#get-a-milestone`);
      return ok(milestoneJson(state, site(state, req), m));
    })
    .add('GET', `${R}/issues`, async (req) => listIssues(state, req))
    .add('GET', `${R}/issues/:number`, async (req) => {
      const repo = repoOf(state, req);
      const issue = state.issues.find((i) => i.repo === repo.name && i.number === Number(req.params['number']));
      if (!issue) throw notFound(`${DOCS}/issues/issues#get-an-issue`);
      return ok(issueJson(state, site(state, req), issue));
    });
}
