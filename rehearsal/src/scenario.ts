/** Scenario files (`rehearsal/scenarios/*.yaml`): time scale, durations and faults of a rehearsal. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { Fault, Scenario, ScenarioDurations } from './contracts.js';

/** `rehearsal/scenarios`, found upwards from this module (it runs from `rehearsal/src` or bundled in `dist`). */
function findScenarioDir(): string {
  let dir = __dirname;
  for (;;) {
    const candidate = path.join(dir, 'rehearsal', 'scenarios');
    if (existsSync(candidate)) return candidate;
    if (existsSync(path.join(dir, 'scenarios', 'happy-path.yaml'))) return path.join(dir, 'scenarios');
    const parent = path.dirname(dir);
    if (parent === dir) return path.join(__dirname, '..', 'scenarios');
    dir = parent;
  }
}

export const SCENARIO_DIR = findScenarioDir();

const DEFAULT_DURATIONS: ScenarioDurations = {
  podReady: 8_000,
  podTerminate: 5_000,
  stage: 60_000,
  snapshot: 120_000,
  restore: 300_000,
  argoSync: 20_000,
  mainBuild: 180_000,
};

const FAULT_KINDS = new Set<Fault['kind']>([
  'stage-fails',
  'job-never-starts',
  'snapshot-slow',
  'snapshot-fails',
  'restore-fails',
  'pr-without-approval',
  'milestone-open-issues',
  'tag-missing-from-ecr',
  'watch-drop',
  'api-errors',
  'expired-credentials',
  'selfheal',
  'script-fails',
  'lease-contended',
  'gitflow-conflict',
  'main-build',
  'data-loader-fails',
]);

const MAIN_BUILD_OUTCOMES = ['failure', 'never-starts'];

export class ScenarioError extends Error {}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Validates a decoded scenario; throws a ScenarioError naming the file and the field. */
export function readScenario(value: unknown, source: string): Scenario {
  if (!isRecord(value)) throw new ScenarioError(`${source}: a scenario is a mapping with name, timeScale and faults`);
  const name = value.name;
  if (typeof name !== 'string' || !/^[a-z0-9-]+$/.test(name)) throw new ScenarioError(`${source}: name must be lower-case words with hyphens`);
  const timeScale = value.timeScale ?? 1;
  if (typeof timeScale !== 'number' || !(timeScale > 0) || timeScale > 10) throw new ScenarioError(`${source}: timeScale must be a number in (0, 10]`);
  const seed = value.seed ?? 1;
  if (typeof seed !== 'number' || !Number.isInteger(seed)) throw new ScenarioError(`${source}: seed must be an integer`);
  const durations = { ...DEFAULT_DURATIONS, ...(isRecord(value.durations) ? value.durations : {}) } as ScenarioDurations;
  for (const [key, ms] of Object.entries(durations)) {
    if (key === 'stages') continue;
    if (typeof ms !== 'number' || ms < 0) throw new ScenarioError(`${source}: durations.${key} must be milliseconds (a number ≥ 0)`);
  }
  const faults = value.faults ?? [];
  if (!Array.isArray(faults)) throw new ScenarioError(`${source}: faults must be a list`);
  faults.forEach((fault, i) => {
    if (!isRecord(fault) || !FAULT_KINDS.has(fault.kind as Fault['kind'])) {
      throw new ScenarioError(`${source}: faults[${i}] has an unknown kind; use one of ${[...FAULT_KINDS].join(', ')}`);
    }
    if (fault.kind === 'main-build' && !MAIN_BUILD_OUTCOMES.includes(String(fault.outcome))) {
      throw new ScenarioError(`${source}: faults[${i}].outcome must be one of ${MAIN_BUILD_OUTCOMES.join(', ')}`);
    }
    if (fault.kind === 'data-loader-fails' && fault.application !== undefined && typeof fault.application !== 'string') {
      throw new ScenarioError(`${source}: faults[${i}].application must be an Argo CD application's name`);
    }
  });
  const description = typeof value.description === 'string' ? value.description : '';
  return { name, description, seed, timeScale, durations, faults: faults as Fault[] };
}

export function listScenarios(dir = SCENARIO_DIR): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -'.yaml'.length))
    .sort();
}

/** Loads `name` from the scenario folder, or a path to a YAML file. */
export function loadScenario(nameOrPath: string, dir = SCENARIO_DIR): Scenario {
  const file = nameOrPath.endsWith('.yaml') ? nameOrPath : path.join(dir, `${nameOrPath}.yaml`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new ScenarioError(`no scenario "${nameOrPath}": choose one of ${listScenarios(dir).join(', ')}`);
  }
  return readScenario(parse(text), path.basename(file));
}
