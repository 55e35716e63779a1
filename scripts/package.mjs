// `npm run package`: the production build (minified, no source maps) packed by @vscode/vsce into
// lendos-release-<version>.vsix. It is built in a staging folder, so the development bundles in dist/ stay as they
// are. The bundles hold every runtime dependency, so the package carries no node_modules; package.json's `files`
// says what goes in (dist/*.js, media, the rehearsal world's scenarios and fixtures, README, CHANGELOG, LICENSE).
// `--out <file>` writes the package elsewhere. Prints the package's path, size and file count.
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { projectRoot } from './lib/paths.mjs';
import { capture } from './lib/processes.mjs';

const { values } = parseArgs({ options: { out: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
if (values.help) {
  console.log('usage: npm run package [-- --out <file.vsix>]\n\nBuilds lendos-release-<version>.vsix from the production build.');
  process.exit(0);
}
const manifest = JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8'));
const out = path.resolve(values.out ?? path.join(projectRoot, `${manifest.name}-${manifest.version}.vsix`));
const stage = mkdtempSync(path.join(os.tmpdir(), 'lendos-package-'));
try {
  console.log('package: production build…');
  await capture('node', ['esbuild.mjs', '--production', '--outdir', path.join(stage, 'dist')], { cwd: projectRoot });
  for (const entry of ['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE', 'media', 'rehearsal/scenarios', 'rehearsal/fixtures']) {
    cpSync(path.join(projectRoot, entry), path.join(stage, entry), { recursive: true });
  }
  const vsce = path.join(projectRoot, 'node_modules', '@vscode', 'vsce', 'vsce');
  const summary = await capture('node', [vsce, 'package', '--no-dependencies', '--no-update-package-json', '--out', out], { cwd: stage });
  const files = /Packaged: .*\((\d+) files/.exec(summary)?.[1] ?? '?';
  console.log(`package: ${path.relative(process.cwd(), out) || out} (${files} files, ${(statSync(out).size / 1024).toFixed(0)} kB)`);
} finally {
  rmSync(stage, { recursive: true, force: true });
}
