import type { ConfigProblem } from './types.js';
import type { EnvironmentName } from '../runbook/types.js';

export const ENVIRONMENT_NAMES: readonly EnvironmentName[] = ['dev', 'staging', 'production'];

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface ProblemSink {
  add(path: string, message: string): void;
}

/** Collects problems, each prefixed by the source it came from. */
export class Problems {
  readonly list: ConfigProblem[] = [];
  at(source: string): ProblemSink {
    return {
      add: (path, message) => this.list.push({ path: path ? `${source}: ${path}` : source, message }),
    };
  }
}

export function expectKeys(at: ProblemSink, path: string, value: Record<string, unknown>, keys: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (!keys.includes(key)) {
      const where = path ? `${path}.${key}` : key;
      at.add(where, `unknown setting "${key}": expected one of ${keys.join(', ')}`);
    }
  }
}

export function formatProblems(problems: readonly ConfigProblem[]): string {
  return problems.map((p) => `${p.path}: ${p.message}`).join('\n');
}
