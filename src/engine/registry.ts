/** Which steps have an executor. A step without one stays manual: guidance + Mark done. */
import type { StepExecutor } from './step-types.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyExecutor = StepExecutor<any, any>;

export interface Executors {
  isAutomated(stepId: string): boolean;
  find(stepId: string): Promise<StepExecutor | undefined>;
}

const matches = (pattern: string | RegExp, stepId: string) => (typeof pattern === 'string' ? pattern === stepId : pattern.test(stepId));

export class ExecutorRegistry implements Executors {
  constructor(private readonly executors: readonly AnyExecutor[]) {}

  async find(stepId: string): Promise<StepExecutor | undefined> {
    return this.executors.find((e) => matches(e.stepId, stepId));
  }

  isAutomated(stepId: string): boolean {
    return this.executors.some((e) => matches(e.stepId, stepId));
  }
}

/**
 * Knows which steps are automated from a small list of ids and patterns, and loads the executors (and with them the
 * steps' code) only when a step runs — so activation does not pay for them. A test keeps the list and the executors in step.
 */
export class LazyExecutorRegistry implements Executors {
  private loaded: Promise<ExecutorRegistry> | undefined;

  constructor(
    private readonly automated: readonly (string | RegExp)[],
    private readonly load: () => Promise<readonly AnyExecutor[]>,
  ) {}

  isAutomated(stepId: string): boolean {
    return this.automated.some((pattern) => matches(pattern, stepId));
  }

  async find(stepId: string): Promise<StepExecutor | undefined> {
    if (!this.isAutomated(stepId)) return undefined;
    this.loaded ??= this.load().then((executors) => new ExecutorRegistry(executors));
    return (await this.loaded).find(stepId);
  }
}
