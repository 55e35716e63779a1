/** The runbook's phases and the groups that gather steps inside them. */
import type { GroupDef, PhaseDef } from './types.js';

export const PHASES: readonly PhaseDef[] = [
  { id: 'preparation', title: 'Phase 1 · Preparation', section: '1' },
  { id: 'staging', title: 'Phase 2 · Staging deployment', section: '2' },
  { id: 'production', title: 'Phase 3 · Production deployment', section: '3' },
  { id: 'recovery', title: 'Recovery', section: '3.4' },
  // The dev flow's only phase (its own journal, not a release's).
  { id: 'dev', title: 'Section 4 · Dev environment', section: '4' },
];

export const GROUPS: readonly GroupDef[] = [
  { id: 'staging.upgrade', phase: 'staging', title: 'DAML upgrade in staging', section: '2.4' },
  { id: 'production.upgrade', phase: 'production', title: 'DAML upgrade in production', section: '3.2' },
  { id: 'recovery', phase: 'recovery', title: 'Troubleshooting and recovery', section: '3.4' },
  { id: 'staging.rollback', phase: 'recovery', title: 'Roll back staging by RDS restore', section: '3.4' },
  { id: 'production.rollback', phase: 'recovery', title: 'Roll back production by RDS restore', section: '3.4' },
];
