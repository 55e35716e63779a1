/** Which steps have an executor. A step without one stays manual: guidance + Mark done. */
import type { StepExecutor } from './step-types.js';

export class ExecutorRegistry {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  constructor(private readonly executors: readonly StepExecutor<any, any>[]) {}

  find(stepId: string): StepExecutor | undefined {
    return this.executors.find((e) => (typeof e.stepId === 'string' ? e.stepId === stepId : e.stepId.test(stepId)));
  }

  isAutomated(stepId: string): boolean {
    return this.find(stepId) !== undefined;
  }
}
