import type { ClusterContext } from '../context.js';
import { Resources } from '../store.js';
import { isRecord, type KubeObject } from '../types.js';
import type { PodProcess, Workload } from './pods.js';
import { darNames } from './stage-scripts.js';

/** How often long-running services print a steady-state line (world time). */
const heartbeatMs = 300_000;

function stamp(context: ClusterContext): string {
  return context.clock.now().toISOString().replace('T', ' ').replace('Z', '');
}

function imageTag(pod: KubeObject): string {
  const spec = isRecord(pod['spec']) ? pod['spec'] : {};
  const first = Array.isArray(spec['containers']) ? spec['containers'][0] : undefined;
  const image = isRecord(first) ? String(first['image'] ?? '') : '';
  return image.includes(':') ? image.slice(image.lastIndexOf(':') + 1) : 'latest';
}

/** The DAML version on the ledger: the last completed upload-dars Job's `io.lendos.app/current-version`. */
/** A DAR upload between a snapshot and the restore from it is gone with the database. */
function undoneByRestore(context: ClusterContext, completedAt: string): boolean {
  const at = Date.parse(completedAt);
  return context.ledgerRewinds.some((r) => at >= r.snapshotAt.getTime() && at < r.restoredAt.getTime());
}

export function ledgerDamlVersion(context: ClusterContext): string {
  const completed = context.store
    .list(Resources.jobs)
    .filter((job) => job.metadata.labels?.['io.lendos.app/upgrade-stage'] === 'upload-dars')
    .filter((job) => isRecord(job['status']) && typeof job['status']['completionTime'] === 'string')
    .filter((job) => !undoneByRestore(context, String((job['status'] as Record<string, unknown>)['completionTime'])))
    .sort((a, b) => String((a['status'] as Record<string, unknown>)['completionTime']).localeCompare(String((b['status'] as Record<string, unknown>)['completionTime'])));
  const last = completed[completed.length - 1];
  return last?.metadata.labels?.['io.lendos.app/current-version'] ?? context.initialDamlVersion;
}

async function steadyState(process: PodProcess, line: () => string): Promise<void> {
  while (await process.sleep(heartbeatMs)) process.log(line());
}

function backend(context: ClusterContext, application: string): Workload {
  return async (process) => {
    const version = ledgerDamlVersion(context);
    const dars = darNames.filter((d) => application.startsWith('signing') ? d !== 'lendos-loans' : d !== 'lendos-signing');
    const log = (level: string, logger: string, text: string) => process.log(`${stamp(context)}  ${level} 1 --- [main] ${logger} : ${text}`);
    process.onStop(() => log('INFO', 'o.s.b.w.e.n.GracefulShutdown', 'Commencing graceful shutdown. Waiting for active requests to complete'));
    log('INFO', 'c.l.b.Application', `Starting ${application} ${imageTag(process.pod)} using Java 17.0.12 with PID 1`);
    if (!(await process.sleep(1500))) return;
    log('INFO', 'c.l.l.LedgerClient', 'Connecting to ledger at canton-participant.canton-participant.svc.cluster.local:5011');
    if (!(await process.sleep(1000))) return;
    log('INFO', 'c.l.l.LedgerClient', 'Connected to ledger participant1 (ledger id lendos, Ledger API 2.9)');
    log('INFO', 'c.l.d.DarRegistry', `Loaded DARs: ${dars.map((d) => `${d}-${version}.dar`).join(', ')}`);
    log('INFO', 'c.l.d.DarRegistry', `DAML model version ${version} active`);
    log('INFO', 'o.s.b.w.e.n.NettyWebServer', 'Netty started on port 8080');
    log('INFO', 'c.l.b.Application', `Started ${application} in 14.2 seconds`);
    let offset = 4096 + Math.floor(context.clock.random() * 10_000);
    await steadyState(process, () => {
      offset += 1 + Math.floor(context.clock.random() * 20);
      return `${stamp(context)}  INFO 1 --- [ledger-1] c.l.l.TransactionStream : Processed transactions up to offset ${offset.toString(16).padStart(16, '0')}`;
    });
  };
}

function frontend(context: ClusterContext): Workload {
  return async (process) => {
    process.log('/docker-entrypoint.sh: Configuration complete; ready for start up');
    process.log(`${stamp(context)} [notice] 1#1: nginx/1.27.1`);
    process.log(`${stamp(context)} [notice] 1#1: start worker processes`);
    process.onStop(() => process.log(`${stamp(context)} [notice] 1#1: signal 3 (SIGQUIT) received, shutting down`));
    await steadyState(process, () => `10.0.1.1 - - [${stamp(context)}] "GET /healthz HTTP/1.1" 200 2 "-" "kube-probe/1.30"`);
  };
}

function service(context: ClusterContext, startup: string[], heartbeat: string): Workload {
  return async (process) => {
    for (const text of startup) {
      process.log(`${stamp(context)} INFO  ${text}`);
      if (!(await process.sleep(500))) return;
    }
    process.onStop(() => process.log(`${stamp(context)} INFO  Received SIGTERM, shutting down`));
    await steadyState(process, () => `${stamp(context)} INFO  ${heartbeat}`);
  };
}

/** What the containers of a deployment print, by deployment name. */
export function workloadFor(context: ClusterContext, deployment: string): Workload {
  if (deployment.endsWith('-backend')) return backend(context, deployment);
  switch (deployment) {
    case 'lendos-portal':
    case 'signing-portal':
      return frontend(context);
    case 'canton-participant':
      return service(context, [
        'c.d.c.CantonEnterpriseApp$ - Starting Canton version 2.9.4',
        'c.d.c.p.ParticipantNode:participant=participant1 - Ledger API server listening on 0.0.0.0:5011',
        'c.d.c.p.ParticipantNode:participant=participant1 - Connected to domain lendos-domain',
      ], 'c.d.c.p.ParticipantNode:participant=participant1 - Health check: SERVING');
    case 'canton-domain':
      return service(context, [
        'c.d.c.CantonEnterpriseApp$ - Starting Canton version 2.9.4',
        'c.d.c.d.DomainNode:domain=lendos-domain - Sequencer listening on 0.0.0.0:5008',
        'c.d.c.d.DomainNode:domain=lendos-domain - Domain lendos-domain is ready',
      ], 'c.d.c.d.DomainNode:domain=lendos-domain - Health check: SERVING');
    case 'pqs':
      return service(context, [
        'c.d.p.Main - Participant Query Store starting',
        'c.d.p.Main - Target datasource jdbc:postgresql://pqs-db.pqs.svc.cluster.local:5432/pqs',
        `c.d.p.Main - Connected to participant1; streaming from ledger with DAML model ${ledgerDamlVersion(context)}`,
      ], 'c.d.p.Pipeline - Caught up with ledger end');
    default:
      return service(context, [`com.daml.http.Main - Started server: ServerBinding(/0.0.0.0:7575) (${deployment})`],
        'com.daml.http.Main - Health check ok');
  }
}
