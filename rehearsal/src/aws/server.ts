import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AwsCredentials, EcrRegistry, RunningServer, Scenario, WorldClock } from '../contracts.js';
import { worldIdentities, type AwsIdentity } from './accounts.js';
import { handleEcr } from './ecr-api.js';
import { EcrStore } from './ecr-store.js';
import { AwsError, asAwsError, authError, type WireProtocol } from './errors.js';
import { AwsFaults } from './faults.js';
import {
  BodyTooLargeError,
  readBody,
  sendJson,
  sendJsonError,
  sendQueryError,
  sendQueryResult,
} from './http.js';
import { QueryParams } from './query-params.js';
import { rdsScopeOf } from './rds-accounts.js';
import { handleRds } from './rds-api.js';
import { seedRds } from './rds-seed.js';
import { RdsStore, type LedgerHooks } from './rds-store.js';
import { rdsView, type RdsView } from './rds-view.js';
import { credentialScopeOf, verifySigV4, type SigV4Request } from './sigv4.js';
import { handleSts, STS_VERSION } from './sts.js';
import { RDS_NAMESPACE, STS_NAMESPACE } from './xml.js';

export interface AwsServerOptions {
  clock: WorldClock;
  scenario: Scenario;
  credentials: AwsCredentials;
  /** The registry from `createEcrRegistry`. */
  ecr: EcrRegistry;
  port?: number;
  /** What the Canton ledger hears of snapshots and restores. */
  ledger?: LedgerHooks;
}

/** One loopback server for ECR, RDS and STS: `url` is the endpoint of all three. */
export interface AwsServer extends RunningServer {
  rds: RdsView;
  /** The keys the server accepts and who each one is. */
  identities: AwsIdentity[];
}

type Service = 'ecr' | 'rds' | 'sts';

interface Route {
  service: Service;
  protocol: WireProtocol;
}

interface World {
  identities: AwsIdentity[];
  secretAccessKey: string;
  faults: AwsFaults;
  ecr: EcrStore;
  rds: RdsStore;
}

const SERVICES: readonly Service[] = ['ecr', 'rds', 'sts'];

/** By the signature's credential scope; an unsigned request by what its body looks like. */
function routeOf(request: SigV4Request): Route {
  const scoped = credentialScopeOf(request.headers)?.service;
  const service = SERVICES.find((s) => s === scoped) ?? serviceFromContent(request);
  return { service, protocol: service === 'ecr' ? 'json' : 'query' };
}

function serviceFromContent(request: SigV4Request): Service {
  const contentType = String(request.headers['content-type'] ?? '');
  if (request.headers['x-amz-target'] !== undefined || contentType.includes('amz-json')) return 'ecr';
  return QueryParams.fromRequest(request.url, request.body).get('Version') === STS_VERSION ? 'sts' : 'rds';
}

/** Who signed the request, and for which region. */
interface Caller {
  identity: AwsIdentity;
  region: string;
}

function authenticate(world: World, request: SigV4Request, route: Route): Caller {
  const secretFor = (accessKeyId: string): string | undefined =>
    world.identities.some((identity) => identity.accessKeyId === accessKeyId)
      ? world.secretAccessKey
      : undefined;
  // Clients sign with the machine's time, not the world's.
  const verdict = verifySigV4(request, secretFor, new Date());
  if (!verdict.ok) throw authError(verdict.failure, route.protocol, verdict.detail);
  if (verdict.scope.service !== route.service) {
    throw authError(
      'mismatch',
      route.protocol,
      `Credential should be scoped to correct service: '${route.service}'. `,
    );
  }
  const identity = world.identities.find((candidate) => candidate.accessKeyId === verdict.scope.accessKeyId);
  if (!identity)
    throw authError('unknown-key', route.protocol, 'The security token included in the request is invalid.');
  return { identity, region: verdict.scope.region };
}

function dispatch(
  world: World,
  request: SigV4Request,
  route: Route,
  res: ServerResponse,
  requestId: string,
): void {
  const { identity, region } = authenticate(world, request, route);
  if (route.service === 'ecr') {
    world.faults.checkRequest('ecr', 'json');
    sendJson(
      res,
      requestId,
      handleEcr(
        { store: world.ecr, faults: world.faults },
        String(request.headers['x-amz-target'] ?? ''),
        request.body,
      ),
    );
    return;
  }
  const params = QueryParams.fromRequest(request.url, request.body);
  if (route.service === 'sts') {
    const { action, result } = handleSts(identity, params);
    sendQueryResult(res, requestId, STS_NAMESPACE, action, result);
    return;
  }
  world.faults.checkRequest('rds', 'query');
  const { action, result } = handleRds(world.rds, rdsScopeOf(identity, region), params);
  sendQueryResult(res, requestId, RDS_NAMESPACE, action, result);
}

function sendError(res: ServerResponse, route: Route, requestId: string, error: AwsError): void {
  if (route.protocol === 'json') sendJsonError(res, requestId, error);
  else sendQueryError(res, requestId, route.service === 'sts' ? STS_NAMESPACE : RDS_NAMESPACE, error);
}

async function handle(world: World, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const requestId = randomUUID();
  let route: Route = { service: 'rds', protocol: 'query' };
  try {
    const body = await readBody(req);
    const request: SigV4Request = {
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      headers: req.headers,
      body,
    };
    route = routeOf(request);
    dispatch(world, request, route, res, requestId);
  } catch (error) {
    if (error instanceof BodyTooLargeError) {
      sendError(res, route, requestId, new AwsError('RequestEntityTooLarge', error.message, 413));
      return;
    }
    sendError(res, route, requestId, asAwsError(error, route.protocol));
  }
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Starts the ECR, RDS and STS endpoint on 127.0.0.1; requests are routed by their SigV4 credential scope. */
export async function startAwsServer(options: AwsServerOptions): Promise<AwsServer> {
  if (!(options.ecr instanceof EcrStore))
    throw new TypeError('startAwsServer needs the registry made by createEcrRegistry');
  const faults = AwsFaults.of(options.scenario);
  const rds = new RdsStore(options.clock, options.scenario, faults, options.ledger);
  seedRds(rds);
  const world: World = {
    identities: worldIdentities(options.credentials),
    secretAccessKey: options.credentials.secretAccessKey,
    faults,
    ecr: options.ecr,
    rds,
  };
  const server = createServer((req, res) => void handle(world, req, res));
  const port = await listen(server, options.port ?? 0);
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    rds: rdsView(rds),
    identities: world.identities,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
