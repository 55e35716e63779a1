import type { FileContent, RepositoryPlan } from './history.js';
import { PEOPLE } from './identities.js';

const { tom, maria } = PEOPLE;

/** Tags the clusters ran before release 2025.3.0 (the fixtures hold the 2025.3.0 tags). */
const BEFORE_2025_3: ReadonlyArray<readonly [string, string]> = [
  ['v0.0.812', 'v0.0.779'],
  ['v0.0.548', 'v0.0.531'],
  ['v0.0.806', 'v0.0.771'],
  ['v0.0.541', 'v0.0.526'],
];

const olderTags = (fixture: string): FileContent => ({ fixture, replace: BEFORE_2025_3 });
const STAGING = 'values-tags-staging.yaml';
const PRODUCTION = 'values-tags-production.yaml';
const DEV = 'values-tags-dev.yaml';

/** lendos-eks-workloads: main only, values-tags updates arriving through PR merges. */
export function workloadsPlan(): RepositoryPlan {
  return {
    fixtureRoot: 'lendos-eks-workloads',
    defaultBranch: 'main',
    steps: [
      {
        kind: 'commit',
        branch: 'main',
        author: tom,
        date: '2025-05-14T09:30:00+02:00',
        message: 'Initial EKS workloads layout',
        include: ['README.md', 'argocd'],
        files: {
          [STAGING]: olderTags(STAGING),
          [PRODUCTION]: olderTags(PRODUCTION),
          [DEV]: { fixture: DEV, replace: [['dev-2025.4.0.3392', 'dev-2025.3.0.3120']] },
        },
      },
      {
        kind: 'commit',
        branch: 'main',
        author: tom,
        date: '2025-05-20T16:45:00+02:00',
        message: 'Add daml-upgrade chart with run-upgrade.sh',
        include: ['charts/daml-upgrade'],
      },
      { kind: 'branch', name: 'release/2025.3.0-values', from: 'main' },
      {
        kind: 'commit',
        branch: 'release/2025.3.0-values',
        author: tom,
        date: '2025-09-04T17:05:00+02:00',
        message: 'Update values-tags for release 2025.3.0',
        files: { [STAGING]: { fixture: STAGING } },
      },
      {
        kind: 'merge',
        into: 'main',
        from: 'release/2025.3.0-values',
        author: tom,
        date: '2025-09-04T17:30:00+02:00',
        message: 'Merge pull request #214 from rplendos/release/2025.3.0-values\n\nUpdate tags for release 2025.3.0',
      },
      {
        kind: 'commit',
        branch: 'main',
        author: tom,
        date: '2025-09-09T10:12:00+02:00',
        message: 'Update production values-tags for release 2025.3.0',
        files: { [PRODUCTION]: { fixture: PRODUCTION } },
      },
      {
        kind: 'commit',
        branch: 'main',
        author: maria,
        date: '2025-11-04T12:00:00+01:00',
        message: 'Sync dev to dev-2025.4.0.3392',
        files: { [DEV]: { fixture: DEV } },
      },
    ],
  };
}
