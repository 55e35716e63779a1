// The VSIX the e2e runners install (code-server in scripts/e2e.mjs, desktop VS Code in scripts/test-electron.mjs):
// built by `npm run package` into the run's folder, installed by the editor's own CLI, found where it installed it.
import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import { projectRoot } from './paths.mjs';
import { capture, run } from './processes.mjs';

/**
 * Builds the VSIX into `runDir`, installs it with `installer` (an editor CLI taking `--extensions-dir` and
 * `--install-extension`) into `extensionsDir`, and answers the folder the extension was installed into.
 * @param {{runDir: string, extensionsDir: string, installer: string, args?: string[], env?: NodeJS.ProcessEnv}} options
 */
export async function installVsix({ runDir, extensionsDir, installer, args = [], env }) {
  const vsix = path.join(runDir, 'lendos-release.vsix');
  await run('node', ['scripts/package.mjs', '--out', vsix], { cwd: projectRoot });
  await capture(installer, [...args, '--extensions-dir', extensionsDir, '--install-extension', vsix], env ? { env } : {});
  const { publisher, name, version } = JSON.parse(await readFile(path.join(projectRoot, 'package.json'), 'utf8'));
  const installed = path.join(extensionsDir, `${publisher}.${name}-${version}`);
  await access(path.join(installed, 'dist', 'extension.js'));
  return installed;
}
