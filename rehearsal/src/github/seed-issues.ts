import { PEOPLE } from '../git/identities.js';
import type { GitHubState, IssueRecord, MilestoneRecord } from './state.js';

const REPO = 'lendos';
const { tom, maria, dev, sofia, luis } = PEOPLE;

interface SeedIssue {
  number: number;
  title: string;
  labels: string[];
  user: string;
  assignee?: string;
  created: string;
  closed?: string;
}

const RELEASE_2025_3: SeedIssue[] = [
  { number: 5690, title: 'Covenant template in the loan model', labels: ['daml', 'feature'], user: luis.login, assignee: dev.login, created: '2025-07-08T09:00:00Z', closed: '2025-08-12T13:00:00Z' },
  { number: 5694, title: 'Alert the agent desk when a covenant test breaches', labels: ['portal', 'feature'], user: luis.login, assignee: maria.login, created: '2025-07-10T10:30:00Z', closed: '2025-08-20T08:00:00Z' },
  { number: 5701, title: 'DAML upgrade 0.1.91 → 0.1.92 for covenants', labels: ['daml', 'release'], user: tom.login, assignee: tom.login, created: '2025-08-25T07:45:00Z', closed: '2025-09-04T15:00:00Z' },
];

const RELEASE_2025_4: SeedIssue[] = [
  { number: 5790, title: 'Bulk signature requests in the Signing Portal', labels: ['signing-portal', 'feature'], user: luis.login, assignee: sofia.login, created: '2025-09-10T08:20:00Z', closed: '2025-10-06T09:30:00Z' },
  { number: 5793, title: 'Facility list times out behind the API gateway', labels: ['portal', 'bug'], user: luis.login, assignee: maria.login, created: '2025-09-18T14:05:00Z', closed: '2025-10-21T13:10:00Z' },
  { number: 5806, title: 'Upgrade generator overwrites hand-written upgrade tests', labels: ['daml', 'bug'], user: dev.login, assignee: dev.login, created: '2025-10-02T11:00:00Z', closed: '2025-11-03T12:40:00Z' },
  { number: 5822, title: 'Pre-flight validation checklist', labels: ['devops', 'release'], user: tom.login, assignee: tom.login, created: '2025-10-14T09:00:00Z', closed: '2025-11-07T16:00:00Z' },
];

/** Open issues a `milestone-open-issues` fault leaves in the release milestone, cycled when more are asked for. */
const OPEN_RELEASE_BUGS = [
  'Signing Portal: bulk request e-mail shows the wrong document count',
  'Portal: covenant breach badge missing on narrow screens',
  'Data loader: re-run creates a duplicate facility for initech',
  'Portal: facility export ignores the maturity filter',
  'Signing Portal: expired requests stay in the pending list',
];

const NEXT_RELEASE: SeedIssue[] = [
  { number: 5824, title: 'Script service shutdown/startup operations', labels: ['devops'], user: tom.login, created: '2025-10-14T09:10:00Z' },
  { number: 5825, title: 'CalVer RC build pipeline (build on release branches)', labels: ['devops', 'ci'], user: tom.login, created: '2025-10-14T09:12:00Z' },
  { number: 5832, title: 'Improve upgrade branch management (directories, no generated code)', labels: ['devops', 'daml'], user: tom.login, created: '2025-10-15T08:00:00Z' },
];

function milestone(state: GitHubState, number: number, title: string, dates: { created: string; due?: string; closed?: string }): MilestoneRecord {
  return {
    repo: REPO,
    number,
    id: state.nextId(),
    title,
    description: `Release ${title}`,
    state: dates.closed ? 'closed' : 'open',
    createdAt: new Date(dates.created),
    updatedAt: new Date(dates.closed ?? dates.created),
    ...(dates.closed ? { closedAt: new Date(dates.closed) } : {}),
    ...(dates.due ? { dueOn: new Date(dates.due) } : {}),
  };
}

function issue(state: GitHubState, seed: SeedIssue, milestoneNumber: number): IssueRecord {
  return {
    repo: REPO,
    number: seed.number,
    id: state.nextId(),
    title: seed.title,
    body: `${seed.title}.\n\nAcceptance criteria agreed with product.`,
    state: seed.closed ? 'closed' : 'open',
    labels: seed.labels,
    milestone: milestoneNumber,
    user: seed.user,
    ...(seed.assignee ? { assignee: seed.assignee } : {}),
    createdAt: new Date(seed.created),
    updatedAt: new Date(seed.closed ?? seed.created),
    ...(seed.closed ? { closedAt: new Date(seed.closed) } : {}),
  };
}

/** Milestones 2025.3.0 (closed), 2025.4.0 (this release) and 2025.5.0, with their issues. */
export function seedIssues(state: GitHubState): void {
  state.milestones.push(
    milestone(state, 14, '2025.3.0', { created: '2025-07-07T08:00:00Z', due: '2025-09-01T00:00:00Z', closed: '2025-09-04T15:30:00Z' }),
    milestone(state, 15, '2025.4.0', { created: '2025-09-05T08:00:00Z', due: '2025-11-14T00:00:00Z' }),
    milestone(state, 16, '2025.5.0', { created: '2025-11-03T08:00:00Z', due: '2026-01-30T00:00:00Z' }),
  );
  const openCount = state.world.scenario.faults.reduce((n, f) => (f.kind === 'milestone-open-issues' ? Math.max(n, f.open) : n), 0);
  const openBugs: SeedIssue[] = Array.from({ length: openCount }, (_, i) => ({
    number: 5833 + i,
    title: `${OPEN_RELEASE_BUGS[i % OPEN_RELEASE_BUGS.length]}${i >= OPEN_RELEASE_BUGS.length ? ` (#${i + 1})` : ''}`,
    labels: ['bug'],
    user: luis.login,
    created: '2025-11-06T10:00:00Z',
  }));
  state.issues.push(
    ...RELEASE_2025_3.map((s) => issue(state, s, 14)),
    ...[...RELEASE_2025_4, ...openBugs].map((s) => issue(state, s, 15)),
    ...NEXT_RELEASE.map((s) => issue(state, s, 16)),
  );
}
