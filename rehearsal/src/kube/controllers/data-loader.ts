/** What dev's `data-loader-service` hook Job prints: it reloads a portal's test data (idempotent), or fails under the fault. */
import type { Fault } from '../../contracts.js';
import type { ClusterContext } from '../context.js';
import type { KubeObject } from '../types.js';
import type { ScriptLine } from './stage-scripts.js';

export const dataLoaderName = 'data-loader-service';

/** The test data per portal: the same counts on every run, since a reload is idempotent. */
const testData: Record<string, { parties: number; contracts: number }> = {
  'lendos-portal': { parties: 42, contracts: 318 },
  'signing-portal': { parties: 17, contracts: 96 },
};

const defaultFailure = 'io.grpc.StatusRuntimeException: ALREADY_EXISTS: DUPLICATE_CONTRACT_KEY(10,0): party allocation raced with another loader';

export function isDataLoader(job: KubeObject): boolean {
  return job.metadata.labels?.['app.kubernetes.io/name'] === dataLoaderName;
}

/** A `data-loader-fails` fault that names this Job's application (or its portal), or names none. */
function failing(faults: readonly Fault[], job: KubeObject): boolean {
  const application = job.metadata.labels?.['app.kubernetes.io/instance'];
  const portal = job.metadata.labels?.['app.kubernetes.io/part-of'] ?? job.metadata.namespace;
  return faults.some((f) => f.kind === 'data-loader-fails' && (!f.application || f.application === application || f.application === portal));
}

function imageTag(job: KubeObject): string {
  const containers = (job['spec'] as { template?: { spec?: { containers?: { image?: string }[] } } } | undefined)?.template?.spec?.containers;
  const image = containers?.[0]?.image ?? '';
  return image.includes(':') ? image.slice(image.lastIndexOf(':') + 1) : 'latest';
}

/** The loader's log lines (at fractions of its run) and, under the fault, the error it exits 1 with. */
export function dataLoaderScript(context: ClusterContext, job: KubeObject): { lines: ScriptLine[]; error?: string } {
  const portal = job.metadata.labels?.['app.kubernetes.io/part-of'] ?? job.metadata.namespace ?? 'lendos-portal';
  const data = testData[portal] ?? { parties: 12, contracts: 40 };
  const say = (at: number, text: string): ScriptLine => ({ at, text: `data-loader-service: ${text}` });
  const start = [
    say(0, `starting ${imageTag(job)}`),
    say(0.05, 'connecting to ledger at canton-participant.canton-participant.svc.cluster.local:5011'),
    say(0.15, `loading test data for ${portal} (idempotent)`),
  ];
  if (failing(context.scenario.faults, job)) {
    return { lines: [...start, say(0.5, `ERROR loading test data for ${portal} failed: ${defaultFailure}`)], error: defaultFailure };
  }
  return {
    lines: [
      ...start,
      say(0.45, `parties: ${data.parties} present, 0 to allocate`),
      say(0.85, `${data.parties} parties, ${data.contracts} contracts up to date`),
      say(1, 'done'),
    ],
  };
}
