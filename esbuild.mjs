// Builds the thin extension entry, the CLI, the lazily loaded client bundles and the e2e suites.
// The heavy bundles are separate files that the entry loads on first use through a literal require path.
import * as esbuild from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
/** `--outdir <dir>`: where the bundles go (`npm run package` builds into its staging folder); default dist/. */
const outdirArg = process.argv.indexOf('--outdir');
const outdir = outdirArg === -1 ? 'dist' : path.resolve(process.argv[outdirArg + 1] ?? 'dist');
const withTests = outdirArg === -1;
const root = path.dirname(new URL(import.meta.url).pathname);

/** Source module → lazy bundle file name in dist/. Importers get `require('./<name>.js')`. */
export const lazyBundles = {
  'src/adapters/kube/index.ts': 'kube',
  'src/adapters/aws/index.ts': 'aws',
  'src/adapters/github/index.ts': 'github',
  'src/adapters/pqs/index.ts': 'pqs',
  'src/adapters/config-file.ts': 'config-file',
  'src/steps/index.ts': 'steps',
  'src/core/report.ts': 'report',
  'src/vscode/values-tags/index.ts': 'values-tags',
  'src/vscode/checklist/index.ts': 'checklist',
  'rehearsal/src/index.ts': 'rehearsal',
};

const lazyPlugin = (ownEntry) => ({
  name: 'lazy-bundles',
  setup(build) {
    build.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind !== 'dynamic-import' || !args.path.startsWith('.')) return undefined;
      const resolved = path.relative(root, path.resolve(args.resolveDir, args.path)).replace(/\.js$/, '.ts');
      const name = lazyBundles[resolved] ?? lazyBundles[resolved.replace(/\.ts$/, '/index.ts')];
      if (!name || resolved === ownEntry) return undefined;
      return { path: `./${name}.js`, external: true };
    });
  },
});

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  mainFields: ['module', 'main'],
  sourcemap: production ? false : 'linked',
  minify: production,
  metafile: true,
  logLevel: 'warning',
  external: ['vscode'],
  supported: { 'dynamic-import': false },
  define: { 'process.env.LENDOS_BUILD': JSON.stringify(production ? 'production' : 'development') },
};

function configs() {
  const list = [
    { ...common, entryPoints: { extension: 'src/extension.ts' }, outdir, plugins: [lazyPlugin('src/extension.ts')] },
    {
      ...common,
      entryPoints: { cli: 'src/cli/main.ts' },
      outdir,
      banner: { js: '#!/usr/bin/env node' },
      plugins: [lazyPlugin('src/cli/main.ts')],
    },
  ];
  for (const [src, name] of Object.entries(lazyBundles)) {
    if (existsSync(path.join(root, src))) {
      list.push({ ...common, entryPoints: { [name]: src }, outdir, plugins: [lazyPlugin(src)] });
    }
  }
  // The checklist webview's own bundle, for the browser: loaded only by the webview, never by the extension host.
  list.push({
    entryPoints: { checklist: 'webview-ui/src/checklist.ts', 'checklist-style': 'webview-ui/src/checklist.css' },
    outdir: path.join(outdir, 'webview'),
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    minify: true,
    sourcemap: false,
    metafile: true,
    logLevel: 'warning',
  });
  const e2eDir = path.join(root, 'test/e2e/suite');
  if (withTests && existsSync(e2eDir)) {
    const entries = readdirSync(e2eDir).filter((f) => f.endsWith('.ts')).map((f) => `test/e2e/suite/${f}`);
    list.push({
      ...common,
      minify: false,
      entryPoints: entries,
      outdir: 'out/test/e2e',
      external: ['vscode', 'mocha'],
      plugins: [lazyPlugin('')],
    });
  }
  return list;
}

function report(results) {
  const rows = [];
  for (const r of results) {
    for (const [file, out] of Object.entries(r.metafile?.outputs ?? {})) {
      if (file.endsWith('.map') || file.startsWith('out/')) continue;
      rows.push({ file, bytes: out.bytes });
    }
  }
  if (withTests) {
    mkdirSync(path.join(root, 'dist'), { recursive: true });
    writeFileSync(path.join(root, 'dist/size-report.json'), JSON.stringify(rows, null, 2) + '\n');
  }
  if (!watch) for (const r of rows) console.log(`${r.file.padEnd(24)} ${(r.bytes / 1024).toFixed(1).padStart(8)} kB`);
}

/** VS Code's codicons for the webview (`<link id="vscode-codicon-stylesheet">`, which the icon elements look for). */
function copyCodicons() {
  const target = path.join(outdir, 'webview');
  mkdirSync(target, { recursive: true });
  for (const file of ['codicon.css', 'codicon.ttf']) copyFileSync(path.join(root, 'node_modules/@vscode/codicons/dist', file), path.join(target, file));
}

copyCodicons();
if (watch) {
  for (const c of configs()) (await esbuild.context(c)).watch();
  console.log('esbuild: watching');
} else {
  report(await Promise.all(configs().map((c) => esbuild.build(c))));
}
