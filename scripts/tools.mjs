// Real command-line tools for tests and the rehearsal, unpacked from Debian packages into .tools/
// so the machine's own binaries (e.g. /usr/bin/kubectl) are never touched.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const toolsRoot = join(projectRoot, '.tools');

/** In-flight installs, so concurrent callers in one process share a single download. */
const pending = new Map();

async function downloadDeb(packageName, directory) {
  try {
    await run('apt-get', ['download', packageName], { cwd: directory });
  } catch {
    // A fresh machine has no package lists yet; refresh them once and retry.
    await run('apt-get', ['update'], { cwd: directory, maxBuffer: 16 * 1024 * 1024 });
    await run('apt-get', ['download', packageName], { cwd: directory });
  }
  const debs = (await readdir(directory)).filter((name) => name.endsWith('.deb'));
  if (debs.length !== 1 || debs[0] === undefined) {
    throw new Error(`apt-get download ${packageName} produced ${debs.length} .deb files in ${directory}`);
  }
  return join(directory, debs[0]);
}

async function unpackDebianPackage(packageName, target) {
  const scratch = await mkdtemp(join(tmpdir(), `lendos-${packageName}-`));
  try {
    const deb = await downloadDeb(packageName, scratch);
    const staging = `${target}.partial`;
    await rm(staging, { recursive: true, force: true });
    await mkdir(staging, { recursive: true });
    await run('dpkg', ['-x', deb, staging]);
    await rm(target, { recursive: true, force: true });
    await run('mv', [staging, target]);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/**
 * Ensures `.tools/<packageName>/<binary>` exists, unpacking the Debian package on first use.
 * Returns the absolute path of the binary.
 */
export async function ensureDebianTool(packageName, binary) {
  const target = join(toolsRoot, packageName);
  const binaryPath = join(target, binary);
  if (existsSync(binaryPath)) return binaryPath;
  let install = pending.get(packageName);
  if (!install) {
    install = unpackDebianPackage(packageName, target).finally(() => pending.delete(packageName));
    pending.set(packageName, install);
  }
  await install;
  if (!existsSync(binaryPath)) {
    throw new Error(`${packageName} was unpacked into ${target} but has no ${binary}`);
  }
  return binaryPath;
}

/** The real kubectl from Debian's kubernetes-client package. */
export function kubectlPath() {
  return ensureDebianTool('kubernetes-client', 'usr/bin/kubectl');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  kubectlPath()
    .then((path) => console.log(`kubectl: ${path}`))
    .catch((error) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    });
}
