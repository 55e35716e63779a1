/** A scenario for tests where every world delay is a millisecond or less, unless a test says otherwise. */
import type { Fault, Scenario } from '../../../rehearsal/src/contracts.js';

export function instantScenario(name: string, seed: number, faults: Fault[] = []): Scenario {
  const durations = { podReady: 1, podTerminate: 1, stage: 1, snapshot: 1, restore: 1, argoSync: 1, mainBuild: 1 };
  return { name, description: '', seed, timeScale: 0.001, durations, faults };
}
