/**
 * Where the GitHub token comes from, in order: the editor's GitHub session (a Codespace has one without setup), else
 * GITHUB_TOKEN / GH_TOKEN, else `gh auth token`. Nothing is logged but where it came from.
 */
import { execFile } from 'node:child_process';
import { UserError } from '../../core/errors.js';

export interface TokenFound {
  readonly token: string;
  /** For messages: `the VS Code GitHub session`, `GITHUB_TOKEN`, `gh auth token`, `the rehearsal world`. */
  readonly source: string;
}

function ghAuthToken(host: string | undefined): Promise<string | undefined> {
  const args = ['auth', 'token', ...(host ? ['--hostname', host] : [])];
  return new Promise((resolve) => {
    execFile('gh', args, { timeout: 5_000, env: { ...process.env, GH_PROMPT_DISABLED: '1' } }, (error, stdout) => resolve(error ? undefined : stdout.trim() || undefined));
  });
}

/** The host `gh` knows an Enterprise API URL by (`https://ghe.example.com/api/v3` → `ghe.example.com`); none for github.com. */
function ghHost(apiUrl: string): string | undefined {
  try {
    const host = new URL(apiUrl).host;
    return host === 'api.github.com' ? undefined : host;
  } catch {
    return undefined;
  }
}

export async function findToken(apiUrl: string, session?: () => Promise<string | undefined>): Promise<TokenFound> {
  const fromSession = await session?.().catch(() => undefined);
  if (fromSession) return { token: fromSession, source: 'the VS Code GitHub session' };
  for (const name of ['GITHUB_TOKEN', 'GH_TOKEN'] as const) {
    const value = process.env[name]?.trim();
    if (value) return { token: value, source: name };
  }
  const fromGh = await ghAuthToken(ghHost(apiUrl));
  if (fromGh) return { token: fromGh, source: '`gh auth token`' };
  throw new UserError(
    'No GitHub token: sign in to GitHub in VS Code (Accounts → GitHub), or set GITHUB_TOKEN to a token with the `repo` scope, ' +
      'or run `gh auth login`. Nothing was changed.',
    'github-auth',
  );
}
