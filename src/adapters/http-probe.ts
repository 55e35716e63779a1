/** The HttpProbe port on Node's fetch: a GET that follows redirects and gives up after a timeout. */
import { messageOf } from '../core/errors.js';
import type { HttpProbe } from '../ports.js';

/** The network's reason (ECONNREFUSED, certificate, DNS) rather than fetch's bare "fetch failed". */
function reasonOf(error: unknown, url: string, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `no answer from ${url} within ${timeoutMs} ms`;
  }
  const cause = error instanceof Error ? (error as Error & { cause?: unknown }).cause : undefined;
  const code = (cause as { code?: unknown } | undefined)?.code;
  const detail = cause ? messageOf(cause) : messageOf(error);
  return `${url}: ${typeof code === 'string' && !detail.includes(code) ? `${code} ` : ''}${detail}`;
}

export class FetchHttpProbe implements HttpProbe {
  async get(url: string, timeoutMs: number): Promise<{ status: number } | { error: string }> {
    try {
      const response = await fetch(url, { redirect: 'follow', signal: AbortSignal.timeout(timeoutMs) });
      // The body is not needed; cancelling it frees the socket.
      await response.body?.cancel().catch(() => undefined);
      return { status: response.status };
    } catch (error) {
      return { error: reasonOf(error, url, timeoutMs) };
    }
  }
}
