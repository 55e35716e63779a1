/** Fakes for 2.2 Identify built artifact tags: a finished main build, its runs on GitHub and its images in ECR. */
import assert from 'node:assert/strict';
import { CalVer } from '../../src/core/calver.js';
import { defaultConfig } from '../../src/core/config/defaults.js';
import { buildRunbook } from '../../src/core/runbook/index.js';
import type { LogSink, Prompt, StepContext } from '../../src/engine/step-types.js';
import type { EcrImage, UpgradePorts, WorkflowRunInfo } from '../../src/ports.js';

export const MERGE_SHA = 'a'.repeat(40);
export const BUILD_START = '2025-06-02T14:00:00Z';

export function run(fields: Partial<WorkflowRunInfo> = {}): WorkflowRunInfo {
  return {
    id: 11_604_000_001,
    name: 'Build and Publish',
    status: 'completed',
    conclusion: 'success',
    headSha: MERGE_SHA,
    branch: 'main',
    event: 'push',
    url: 'https://github.com/rplendos/lendos/actions/runs/11604000001',
    createdAt: BUILD_START,
    updatedAt: '2025-06-02T14:12:00Z',
    ...fields,
  };
}

export function image(
  tag: string,
  pushedAt: string,
  digest = `sha256:${tag.replace(/\W/g, '').padEnd(64, '0')}`,
): EcrImage {
  return { tag, digest, sizeBytes: 1, pushedAt };
}

const quietLog: LogSink = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  output: () => undefined,
};

/** A step context at 2.2 after a finished build: each service repository holds an older tag and the build's push. */
export function builtTagsContext(
  prompt: Prompt,
  runs: readonly WorkflowRunInfo[] = [run()],
): StepContext<UpgradePorts> {
  const config = defaultConfig();
  const step = buildRunbook('2025.4.0', config).steps.find((s) => s.id === 'staging.identify-tags');
  assert.ok(step);
  const github = { listRuns: async () => [...runs] };
  const ecr = {
    listImages: async () => [
      image('v0.0.829', '2025-06-01T10:00:00Z'),
      image('v0.0.830', '2025-06-02T14:11:30Z'),
    ],
    describeImages: async () => [],
  };
  const ports = {
    github: async () => github,
    repositories: async () => ({
      lendos: { owner: 'rplendos', name: 'lendos' },
      workloads: { owner: 'rplendos', name: 'lendos-eks-workloads' },
    }),
    ecr: async () => ecr,
  } as unknown as UpgradePorts;
  return {
    step,
    version: CalVer.parse('2025.4.0'),
    config,
    evidenceOf: (id: string) => (id === 'staging.merge-to-main' ? { mergeSha: MERGE_SHA } : {}),
    statusOf: () => 'succeeded',
    log: quietLog,
    prompt,
    ports,
    clock: { now: () => new Date('2025-06-02T14:30:00Z'), sleep: async () => undefined },
    signal: new AbortController().signal,
  } as unknown as StepContext<UpgradePorts>;
}
