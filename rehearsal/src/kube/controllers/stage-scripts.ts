import type { UpgradeStage } from '../../contracts.js';

/** One log line of a stage's container, `at` a fraction (0..1) of the stage's duration. */
export interface ScriptLine {
  at: number;
  text: string;
}

export interface StageRun {
  stage: UpgradeStage;
  version: string;
  shard: number;
  shards: number;
  random: () => number;
  /** host:port of the participant's Ledger API, from the container's arguments. */
  ledger: string;
}
export const darNames = ['lendos-main', 'lendos-loans', 'lendos-signing', 'lendos-interfaces'];

function packageId(random: () => number): string {
  return Array.from({ length: 64 }, () => Math.floor(random() * 16).toString(16)).join('');
}

function progress(total: number, steps: number, from: number, to: number, line: (done: number, percent: number) => string): ScriptLine[] {
  return Array.from({ length: steps }, (_, i) => {
    const done = Math.round((total * (i + 1)) / steps);
    return { at: from + ((to - from) * (i + 1)) / steps, text: line(done, Math.round((100 * done) / total)) };
  });
}

function uploadDars(run: StageRun): ScriptLine[] {
  const lines: ScriptLine[] = [];
  darNames.forEach((dar, i) => {
    const at = 0.15 + (0.7 * i) / darNames.length;
    const size = (1 + run.random() * 3).toFixed(1);
    lines.push({ at, text: `INFO  DarUploader - Uploading DAR ${dar}-${run.version}.dar (${size} MB)` });
    lines.push({ at: at + 0.1, text: `INFO  DarUploader - Uploaded ${dar}-${run.version}.dar: main package id ${packageId(run.random)}` });
  });
  lines.push({ at: 0.9, text: `INFO  DarUploader - Vetting ${darNames.length} packages on participant1` });
  lines.push({ at: 0.95, text: `INFO  DarUploader - All ${darNames.length} DARs uploaded and vetted (version ${run.version})` });
  return lines;
}

function contractWork(run: StageRun, noun: string, verb: string): ScriptLine[] {
  const total = 400 + Math.floor(run.random() * 4000);
  const label = run.shards > 1 ? ` shard ${run.shard + 1}/${run.shards}` : '';
  return [
    { at: 0.12, text: `INFO  ${noun}Worker - ${verb} ${noun.toLowerCase()} contracts${label}: ${total} to process` },
    ...progress(total, 8, 0.15, 0.9, (done, percent) => `INFO  ${noun}Worker - ${verb}${label}: ${done}/${total} (${percent}%)`),
    { at: 0.95, text: `INFO  ${noun}Worker - ${verb} finished${label}: ${total} contracts, 0 errors` },
  ];
}

function consent(run: StageRun): ScriptLine[] {
  const parties = ['lendos-operator', 'bank-a', 'bank-b', 'borrower-registry', 'signing-authority', 'auditor'];
  return [
    { at: 0.1, text: `INFO  ConsentCollector - Requesting upgrade consent to ${run.version} from ${parties.length} parties` },
    ...parties.map((party, i) => ({
      at: 0.2 + (0.7 * (i + 1)) / parties.length,
      text: `INFO  ConsentCollector - Consent received from ${party} (${i + 1}/${parties.length})`,
    })),
    { at: 0.95, text: 'INFO  ConsentCollector - All parties consented; UpgradeCoordinator is ready for upgrade' },
  ];
}

function coordinator(run: StageRun, create: boolean): ScriptLine[] {
  const contractId = `00${packageId(run.random).slice(0, 40)}`;
  return create
    ? [
        { at: 0.2, text: `INFO  Coordinator - Creating UpgradeCoordinator for version ${run.version}` },
        { at: 0.6, text: `INFO  Coordinator - Submitted create command (command id upgrade-${run.version}-init)` },
        { at: 0.9, text: `INFO  Coordinator - UpgradeCoordinator created: contract id ${contractId}` },
      ]
    : [
        { at: 0.2, text: `INFO  Coordinator - Looking up UpgradeCoordinator for version ${run.version}` },
        { at: 0.6, text: `INFO  Coordinator - Archiving UpgradeCoordinator ${contractId}` },
        { at: 0.9, text: 'INFO  Coordinator - UpgradeCoordinator archived' },
      ];
}

function stageBody(run: StageRun): ScriptLine[] {
  switch (run.stage) {
    case 'upload-dars':
      return uploadDars(run);
    case 'init-upgrade-coordinator':
      return coordinator(run, true);
    case 'initialize-upgraders':
      return contractWork(run, 'Upgrader', 'Creating upgraders for');
    case 'upgrade-consent':
      return consent(run);
    case 'upgrade':
      return contractWork(run, 'Upgrade', 'Migrating');
    case 'cleanup-upgraders':
      return contractWork(run, 'Cleanup', 'Archiving upgraders of');
    case 'cleanup-coordinator':
      return coordinator(run, false);
  }
}

/** The realistic log of one stage pod: connect to the participant, do the stage's work with progress, finish. */
export function stageScript(run: StageRun): ScriptLine[] {
  return [
    { at: 0, text: `INFO  UpgradeRunner - Starting stage ${run.stage} (target version ${run.version})` },
    { at: 0.02, text: `INFO  LedgerConnection - Connecting to participant at ${run.ledger}` },
    { at: 0.06, text: 'INFO  LedgerConnection - Connected to participant1 (Ledger API 2.9, user upgrade-runner)' },
    ...stageBody(run),
    { at: 1, text: `INFO  UpgradeRunner - Stage ${run.stage} done` },
  ];
}

const defaultFailures: Record<UpgradeStage, string> = {
  'upload-dars': 'io.grpc.StatusRuntimeException: INVALID_ARGUMENT: KNOWN_DAR_VERSION(8,0): a DAR with the same package name and version was uploaded with different contents',
  'init-upgrade-coordinator': 'io.grpc.StatusRuntimeException: ABORTED: CONTRACT_KEY_NOT_UNIQUE: UpgradeCoordinator already exists',
  'initialize-upgraders': 'io.grpc.StatusRuntimeException: DEADLINE_EXCEEDED: deadline exceeded after 119.999s',
  'upgrade-consent': 'io.grpc.StatusRuntimeException: NOT_FOUND: CONTRACT_NOT_FOUND: UpgradeCoordinator not active',
  upgrade: 'io.grpc.StatusRuntimeException: UNAVAILABLE: io exception: Connection reset by peer',
  'cleanup-upgraders': 'io.grpc.StatusRuntimeException: DEADLINE_EXCEEDED: deadline exceeded after 119.999s',
  'cleanup-coordinator': 'io.grpc.StatusRuntimeException: NOT_FOUND: CONTRACT_NOT_FOUND: UpgradeCoordinator already archived',
};

/** A failing run: the first 60% of the stage, then the error and a non-zero exit. */
export function failingStageScript(run: StageRun, message?: string): { lines: ScriptLine[]; error: string } {
  const error = message ?? defaultFailures[run.stage];
  const lines = stageScript(run).filter((line) => line.at < 0.6);
  lines.push(
    { at: 0.62, text: `ERROR UpgradeRunner - Stage ${run.stage} failed: ${error}` },
    { at: 0.62, text: `\tat com.lendos.upgrade.StageRunner.run(StageRunner.java:88)` },
    { at: 0.62, text: `\tat com.lendos.upgrade.Main.main(Main.java:41)` },
  );
  return { lines, error };
}
