/**
 * What went wrong talking to the API server, in words a person can act on; which failures are worth retrying, and
 * the retry itself (5xx, 429 and dropped connections, with backoff).
 */
import { UserError } from '../../core/errors.js';
import { KubeConflict } from '../../ports.js';

/** One API call, for messages: `get deployments/scale pqs in namespace pqs (context …)`. */
export interface KubeOp {
  readonly context: string;
  readonly verb: string;
  readonly resource: string;
  readonly namespace?: string;
  readonly name?: string;
}

/** A non-2xx answer to a request made without the generated client (log streams). */
export class KubeHttpError extends Error {
  constructor(
    readonly code: number,
    readonly body: string,
  ) {
    super(`HTTP ${code}: ${body.slice(0, 300)}`);
    this.name = 'KubeHttpError';
  }
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED']);
const RETRY_DELAYS_MS = [200, 500, 1_000, 2_000];

/** The HTTP status of a failed call, if it got that far. */
export function statusOf(error: unknown): number | undefined {
  const code = (error as { code?: unknown; statusCode?: unknown } | null)?.code ?? (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof code === 'number' ? code : undefined;
}

/** The connection-level error code (ECONNREFUSED, …) of a failed call, if any. */
export function networkCodeOf(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth += 1) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return code;
    if ((e as { type?: unknown }).type === 'system' && typeof code === 'string') return code;
  }
  return undefined;
}

/** The Kubernetes Status body of a failed call, parsed when it came as text. */
export function statusBody(error: unknown): { message?: string; reason?: string; details?: { kind?: string; name?: string } } {
  const body = (error as { body?: unknown } | null)?.body;
  if (typeof body === 'string') {
    try {
      return JSON.parse(body) as ReturnType<typeof statusBody>;
    } catch {
      return { message: body };
    }
  }
  return typeof body === 'object' && body !== null ? (body as ReturnType<typeof statusBody>) : {};
}

export function isRetryable(error: unknown): boolean {
  const status = statusOf(error);
  if (status !== undefined) return status >= 500 || status === 429;
  return networkCodeOf(error) !== undefined;
}

function where(op: KubeOp): string {
  const object = op.name ? `${op.resource} "${op.name}"` : op.resource;
  return `${op.verb} ${object}${op.namespace ? ` in namespace ${op.namespace}` : ''} (context ${op.context})`;
}

/** Turns a failed call into the error a person reads. */
export function kubeError(op: KubeOp, error: unknown, server?: string): Error {
  const status = statusOf(error);
  const body = statusBody(error);
  const said = body.message ? `: ${body.message}` : '';
  if (status === 401) {
    return new UserError(`The cluster of context ${op.context} refused your credentials (401 Unauthorized) to ${where(op)}. Log in again (for EKS: aws sso login with the context's profile) and run the step again.`, 'unauthorized');
  }
  if (status === 403) {
    const scope = op.namespace ? ` -n ${op.namespace}` : '';
    return new UserError(
      `Your role in context ${op.context} lacks "${op.verb}" on ${op.resource}${op.namespace ? ` in namespace ${op.namespace}` : ''}${said}. ` +
        `Ask the cluster administrators for it (check with: kubectl auth can-i ${op.verb} ${op.resource}${scope} --context ${op.context}).`,
      'forbidden',
    );
  }
  if (status === 404 && body.details?.kind === 'namespaces') {
    return new UserError(`Namespace "${body.details.name ?? op.namespace}" does not exist in context ${op.context}: check the environment's namespaces in .lendos/config.yaml.`, 'missing-namespace');
  }
  if (status === 409) return new KubeConflict(`Conflict on ${where(op)}${said}`);
  if (status !== undefined && (status >= 500 || status === 429)) {
    return new UserError(`The API server kept failing to ${where(op)} (HTTP ${status}${said}) after ${RETRY_DELAYS_MS.length + 1} tries; try again in a minute.`, 'api-unavailable');
  }
  const network = networkCodeOf(error);
  if (network) {
    return new UserError(`Cannot reach the API server${server ? ` ${server}` : ''} of context ${op.context} (${network}) to ${where(op)}: check your network, VPN and the kubeconfig's server URL.`, 'unreachable');
  }
  if (status !== undefined) return new Error(`Could not ${where(op)}: HTTP ${status}${said}`);
  return error instanceof Error ? error : new Error(String(error));
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Runs `call`, retrying what is worth retrying; anything else (or the last failure) becomes a readable error. */
export async function withRetry<T>(op: KubeOp, call: () => Promise<T>, server?: string): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await call();
    } catch (error) {
      const delay = RETRY_DELAYS_MS[attempt];
      if (delay === undefined || !isRetryable(error)) throw kubeError(op, error, server);
      await sleep(delay);
    }
  }
}

/** Backoff for reconnecting watches and log streams: grows to 5 s. */
export function reconnectDelay(failures: number): number {
  return Math.min(5_000, 100 * 2 ** Math.min(failures, 6));
}
