/** Small builders so each step states only what is particular to it. */
import type { UpgradeContext } from './context.js';
import type { StepDef } from './types.js';

export type StepInput = Omit<StepDef, 'kind' | 'optional' | 'dependsOn'> &
  Partial<Pick<StepDef, 'optional' | 'dependsOn'>>;

/** A step a person performs; every step is manual until a later issue gives it an executor. */
export function manualStep(input: StepInput): StepDef {
  return { kind: 'manual', optional: false, dependsOn: [], ...input };
}

/** A step that waits for someone's recorded decision (Product's smoke-test approval). */
export function approvalStep(input: StepInput): StepDef {
  return { kind: 'approval', optional: false, dependsOn: [], ...input };
}

/** Joins sentences of guidance into one Markdown paragraph. */
export function paragraph(...sentences: string[]): string {
  return sentences.join(' ');
}

/** Fields every step of an environment's Section 3 procedure shares. */
export function procedureStep(
  context: UpgradeContext,
  name: string,
): Pick<StepInput, 'id' | 'phase' | 'environment' | 'group'> {
  const { environment, group } = context;
  return { id: `${group}.${name}`, phase: environment, environment, group };
}
