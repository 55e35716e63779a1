// The Debian packages the project needs, checked and installed by one script that `.ci/run`, `npm start` and
// `npm test` share (`node scripts/system-packages.mjs [start|test|electron]`). It says what it installs and why, installs as
// root or through sudo, writes apt's output to a log file it names, and says what to type where it cannot install.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { cacheDir } from './paths.mjs';
import { runLogged } from './processes.mjs';

/** Each group: its packages, why they are needed, and which command needs them. */
export const PACKAGE_GROUPS = [
  {
    why: "to build code-server's native modules once, on its first install",
    packages: ['build-essential', 'python3', 'pkg-config', 'libkrb5-dev', 'libsecret-1-dev', 'libxkbfile-dev', 'libx11-dev'],
    for: ['start', 'test'],
  },
  { why: "for code-server's search", packages: ['ripgrep'], for: ['start', 'test'] },
  { why: 'the browser of the e2e tests and of npm start --check', packages: ['chromium'], for: ['start', 'test'] },
  { why: "for the rehearsal world: real git remotes, PostgreSQL as PQS, HTTPS certificates", packages: ['git', 'postgresql', 'ca-certificates'], for: ['start', 'test'] },
  { why: 'for the integration tests: the AWS CLI', packages: ['awscli'], for: ['test'] },
  {
    why: 'for desktop VS Code in npm run test:electron: a virtual display and the libraries Electron loads',
    packages: ['xvfb', 'xauth', 'libnss3', 'libgtk-3-0', 'libasound2', 'libgbm1', 'libxss1', 'libsecret-1-0', 'libxkbfile1'],
    for: ['electron'],
  },
];

function installed(name) {
  const result = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
  return result.status === 0 && result.stdout.includes('install ok installed');
}

/** The packages `purpose` needs that are not installed, with why. */
export function missingPackages(purpose) {
  return PACKAGE_GROUPS.filter((group) => group.for.includes(purpose))
    .map((group) => ({ why: group.why, packages: group.packages.filter((name) => !installed(name)) }))
    .filter((group) => group.packages.length > 0);
}

function asRoot() {
  if (process.getuid?.() === 0) return [];
  return spawnSync('sudo', ['-n', 'true']).status === 0 ? ['sudo', '-n'] : undefined;
}

/** Installs what `purpose` (start | test | electron) lacks; throws with what to type when it cannot. */
export async function ensureSystemPackages(purpose) {
  if (!existsSync('/usr/bin/dpkg-query')) {
    console.log('system packages: not a Debian system; install the equivalents of the packages listed in the README yourself');
    return;
  }
  const missing = missingPackages(purpose);
  if (missing.length === 0) return;
  const names = missing.flatMap((group) => group.packages);
  const prefix = asRoot();
  for (const group of missing) console.log(`system packages: ${prefix ? 'installing' : 'missing'} ${group.packages.join(' ')} — ${group.why}`);
  if (!prefix) {
    const command = `apt-get update && apt-get install -y ${names.join(' ')}`;
    throw new Error(`system packages: installing them needs root. Run as root: ${command} (or: sudo sh -c '${command}', or: su -c '${command}'), then run this again.`);
  }
  const file = path.join(cacheDir(), 'logs', 'apt-get.log');
  const [command = 'apt-get', ...rest] = [...prefix, 'apt-get'];
  const options = { logFile: file, append: true, env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } };
  try {
    await runLogged(command, [...rest, 'update'], { ...options, label: 'system packages: apt-get update' });
    await runLogged(command, [...rest, 'install', '-y', ...names], { ...options, label: 'system packages: apt-get install' });
  } catch (error) {
    throw new Error(`system packages: ${error.message}`);
  }
  console.log(`system packages: installed (apt's output: ${file})`);

}
