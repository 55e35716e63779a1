/**
 * The installable package as `npm run package` builds it: what is in the VSIX is what runs — the production bundles,
 * the media, the rehearsal world's scenarios and fixtures, README, CHANGELOG and LICENSE — and nothing else (no
 * sources, tests, source maps or node_modules); its manifest is the project's, and its extension bundle stays small.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'mocha';
import yauzl from 'yauzl';

const root = path.resolve(__dirname, '../..');

/** Each entry's name and uncompressed size. */
async function listArchive(file: string): Promise<Map<string, number>> {
  const zip = await promisify<string, yauzl.Options, yauzl.ZipFile>(yauzl.open)(file, { lazyEntries: true });
  const entries = new Map<string, number>();
  return new Promise((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      entries.set(entry.fileName, entry.uncompressedSize);
      zip.readEntry();
    });
    zip.on('end', () => resolve(entries));
    zip.on('error', reject);
    zip.readEntry();
  });
}

const ALLOWED = [
  /^extension\.vsixmanifest$/,
  /^\[Content_Types\]\.xml$/,
  /^extension\/(package\.json|readme\.md|changelog\.md|LICENSE\.txt)$/,
  /^extension\/dist\/[a-z-]+\.js$/,
  /^extension\/dist\/webview\/(checklist\.js|checklist-style\.css|codicon\.(css|ttf))$/,
  /^extension\/media\/([a-z-]+\/)?[a-z-]+\.(svg|png|txt|md)$/,
  /^extension\/rehearsal\/(scenarios|fixtures)\/.+$/,
];

describe('the VSIX (npm run package)', function () {
  this.timeout(180_000);
  let dir = '';
  let entries = new Map<string, number>();
  const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { main: string; version: string; name: string };

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'lendos-vsix-'));
    const out = path.join(dir, `${manifest.name}-${manifest.version}.vsix`);
    const { stdout } = await promisify(execFile)('node', ['scripts/package.mjs', '--out', out], { cwd: root });
    assert.match(stdout, /package: .*\.vsix \(\d+ files, \d+ kB\)/);
    entries = await listArchive(out);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('holds only what runs', () => {
    const stray = [...entries.keys()].filter((name) => !name.endsWith('/') && !ALLOWED.some((pattern) => pattern.test(name)));
    assert.deepEqual(stray, []);
  });

  it('holds the entry, the CLI, every lazy bundle, the icon, the runbook and the rehearsal world', () => {
    for (const bundle of ['extension', 'cli', 'kube', 'aws', 'github', 'pqs', 'config-file', 'steps', 'values-tags', 'checklist', 'rehearsal']) {
      assert.ok(entries.has(`extension/dist/${bundle}.js`), `dist/${bundle}.js`);
    }
    assert.equal(`./${[...entries.keys()].find((n) => n === 'extension/dist/extension.js')?.replace(/^extension\//, '')}`, manifest.main);
    for (const file of ['media/icon.png', 'media/release-execution-runbook.txt', 'rehearsal/scenarios/happy-path.yaml', 'rehearsal/fixtures/lendos-eks-workloads/values-tags-staging.yaml', 'LICENSE.txt', 'readme.md', 'changelog.md']) {
      assert.ok(entries.has(`extension/${file}`), file);
    }
  });

  it('ships the production build: the extension bundle under its 150 kB budget, the webview under 200 kB, no source maps', () => {
    assert.ok((entries.get('extension/dist/extension.js') ?? Infinity) <= 150 * 1024, `extension.js is ${entries.get('extension/dist/extension.js')} bytes`);
    for (const file of ['checklist.js', 'checklist-style.css', 'codicon.css', 'codicon.ttf']) assert.ok(entries.has(`extension/dist/webview/${file}`), `dist/webview/${file}`);
    assert.ok((entries.get('extension/dist/webview/checklist.js') ?? Infinity) <= 200 * 1024, 'the checklist bundle under its 200 kB budget');
    assert.deepEqual([...entries.keys()].filter((name) => name.endsWith('.map')), []);
  });
});
