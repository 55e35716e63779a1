/** Octokit with the retry and throttling plugins: rate limits and 5xx are waited out with backoff, each wait said. */
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';

export interface GitHubOptions {
  /** `https://api.github.com`, a GitHub Enterprise `https://host/api/v3`, or a rehearsal world's server. */
  readonly baseUrl: string;
  readonly token: string;
  /** Where the token came from, for messages (`the VS Code GitHub session`, `GITHUB_TOKEN`, `gh auth token`). */
  readonly tokenSource: string;
  /** Each wait for a rate limit or a retried failure, as a line a person can read. */
  readonly onWait?: (line: string) => void;
}

/** How often a rate-limited request is tried again before the failure is reported. */
const RATE_LIMIT_RETRIES = 4;

interface WaitSayerOptions {
  readonly onWait?: (line: string) => void;
}

/**
 * Registered before the retry plugin, so its error hook sees every attempt's failure: a 5xx that the retry plugin is
 * about to try again is said, never waited out in silence.
 */
function sayRetries(octokit: Parameters<typeof retry>[0], options: Parameters<typeof retry>[1] & WaitSayerOptions): void {
  octokit.hook.error('request', (error, request) => {
    const status = (error as { status?: number }).status ?? 0;
    if (status >= 500) {
      const attempt = ((request.request as { retryCount?: number } | undefined)?.retryCount ?? 0) + 1;
      options.onWait?.(`GitHub answered ${status} on ${request.method} ${request.url}: trying again with backoff (retry ${attempt} of ${RETRIES}).`);
    }
    throw error;
  });
}

/** How often a 5xx is tried again (with backoff: 1 s, 4 s, 9 s) before the failure is reported. */
const RETRIES = 3;

const ReleaseOctokit = Octokit.plugin(sayRetries, retry, throttling);
export type ReleaseOctokit = InstanceType<typeof ReleaseOctokit>;

export function createOctokit(options: GitHubOptions): ReleaseOctokit {
  const say = options.onWait ?? (() => undefined);
  const onLimit = (kind: string) => (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
    if (retryCount >= RATE_LIMIT_RETRIES) {
      say(`GitHub's ${kind} rate limit again on ${request.method} ${request.url}: giving up after ${retryCount} waits.`);
      return false;
    }
    say(`GitHub's ${kind} rate limit on ${request.method} ${request.url}: waiting ${retryAfter} s, then trying again (${retryCount + 1}/${RATE_LIMIT_RETRIES}).`);
    return true;
  };
  return new ReleaseOctokit({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    auth: options.token,
    userAgent: 'lendos-release',
    log: { debug: () => undefined, info: () => undefined, warn: (message: string) => say(message), error: () => undefined },
    throttle: { onRateLimit: onLimit('primary'), onSecondaryRateLimit: onLimit('secondary') },
    // 429 and rate-limit 403s are the throttling plugin's (it waits as GitHub says); the retry plugin takes the 5xx.
    retry: { doNotRetry: [400, 401, 403, 404, 405, 409, 410, 422, 429, 451], retries: RETRIES },
    onWait: options.onWait,
  });
}
