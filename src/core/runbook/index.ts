/** The runbook as data, instantiated for one release, and the queries the shells ask of it. */
import { CalVer } from '../calver.js';
import type { LendosConfig } from '../config/types.js';
import type { RunbookContext } from './context.js';
import { DEV_FLOW } from '../flows.js';
import { devSteps } from './dev.js';
import { GROUPS, PHASES } from './phases.js';
import { preparationSteps } from './preparation.js';
import { productionSteps } from './production.js';
import { recoverySteps } from './recovery.js';
import { rollbackSteps } from './rollback.js';
import { stagingSteps } from './staging.js';
import type { GroupDef, PhaseId, Runbook, StepDef } from './types.js';

export { GROUPS, PHASES } from './phases.js';
export { shellWord } from './commands.js';

export { DEV_FLOW, flowTitle, isDevFlow } from '../flows.js';

/** Section 4 alone: the dev flow's phase and steps. */
function devRunbook(config: LendosConfig): Runbook {
  return { version: DEV_FLOW, phases: PHASES.filter((p) => p.id === 'dev'), groups: [], steps: devSteps(config) };
}

/**
 * Every phase, group and step of the runbook with this release's version and configuration filled in; for
 * `DEV_FLOW`, the dev flow's.
 */
export function buildRunbook(version: CalVer | string, config: LendosConfig): Runbook {
  if (version === DEV_FLOW) return devRunbook(config);
  const context: RunbookContext = {
    version: typeof version === 'string' ? CalVer.parse(version) : version,
    config,
  };
  const steps = [
    ...preparationSteps(context),
    ...stagingSteps(context),
    ...productionSteps(context),
    ...recoverySteps(context),
    ...rollbackSteps(context),
  ];
  return { version: context.version.format(), phases: PHASES.filter((p) => p.id !== 'dev'), groups: GROUPS, steps };
}

export function findStep(runbook: Runbook, id: string): StepDef | undefined {
  return runbook.steps.find((step) => step.id === id);
}

/** All steps of a phase in runbook order, grouped ones and stages included. */
export function stepsOfPhase(runbook: Runbook, phase: PhaseId): StepDef[] {
  return runbook.steps.filter((step) => step.phase === phase);
}

/** The upgrade stages under a run step such as `staging.upgrade.run`, in order. */
export function stagesOf(runbook: Runbook, parentId: string): StepDef[] {
  return runbook.steps.filter((step) => step.parent === parentId);
}

/** The direct children of a group (its stages hang under their run step instead). */
export function childrenOfGroup(runbook: Runbook, groupId: string): StepDef[] {
  return runbook.steps.filter((step) => step.group === groupId && step.parent === undefined);
}

export type PhaseItem =
  { readonly kind: 'step'; readonly step: StepDef } | { readonly kind: 'group'; readonly group: GroupDef };

/** The top level of a phase as a tree shows it: ungrouped steps and groups, in runbook order. */
export function phaseItems(runbook: Runbook, phase: PhaseId): PhaseItem[] {
  const items: PhaseItem[] = [];
  const seenGroups = new Set<string>();
  for (const step of stepsOfPhase(runbook, phase)) {
    const group = step.group === undefined ? undefined : runbook.groups.find((g) => g.id === step.group);
    if (!group) {
      if (step.parent === undefined) items.push({ kind: 'step', step });
    } else if (!seenGroups.has(group.id)) {
      seenGroups.add(group.id);
      items.push({ kind: 'group', group });
    }
  }
  return items;
}
