// One offline-capable `npm install code-server@<version>` into a folder of its own.
// Versions are read from the packed tarballs rather than hard-coded, so a version bump needs no edits here.
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { secondsSince } from './paths.mjs';
import { capture, runLogged } from './processes.mjs';

const debianRipgrep = '/usr/bin/rg';

/** Installs code-server into `home` (which must exist and be empty); `home/bin/code-server` is the binary. */
export async function installCodeServerInto(home, version) {
  const env = installEnv(home);
  await Promise.all(
    [env.TMPDIR, env.XDG_CONFIG_HOME, env.XDG_DATA_HOME, env.XDG_CACHE_HOME].map((d) =>
      mkdir(d, { recursive: true }),
    ),
  );
  console.log(`code-server: installing ${version} once, into ${home} (about 2 minutes; later starts reuse it)`);
  const startedAt = performance.now();
  const tarball = await npmPack(`code-server@${version}`, env);
  const ripgrepVersion = await ripgrepVersionOf(tarball, env.TMPDIR);
  await seedRipgrepCache(ripgrepVersion, env);
  // npm 11 runs only install scripts the project allows; the nested installs code-server's postinstall starts
  // are "unreviewed", which npm runs unless strict mode is on (it is forced off below).
  const manifest = { name: 'lendos-code-server', private: true, allowScripts: { 'code-server': true } };
  await writeFile(path.join(home, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
  const npmArgs = ['install', '--foreground-scripts', '--no-audit', '--no-fund', '--omit=dev'];
  const logFile = path.join(path.dirname(home), 'logs', `code-server-${version}-install.log`);
  await runLogged('npm', [...npmArgs, `code-server@${version}`], { cwd: home, env, logFile, label: 'code-server: npm install' });
  await checkPostinstallRan(path.join(home, 'node_modules', 'code-server'));
  await mkdir(path.join(home, 'bin'));
  await symlink('../node_modules/code-server/out/node/entry.js', path.join(home, 'bin', 'code-server'));
  // The scratch folders hold only the install's temporary files; nothing at run time reads them.
  await rm(path.join(home, 'tmp'), { recursive: true, force: true });
  await rm(path.join(home, 'xdg'), { recursive: true, force: true });
  console.log(`code-server: npm install finished (${secondsSince(startedAt)} s)`);
}

/** The prefix of the running Node, whose include/node holds the headers native modules build against. */
function nodeDir() {
  const prefix = path.resolve(path.dirname(process.execPath), '..');
  if (!existsSync(path.join(prefix, 'include', 'node', 'common.gypi'))) {
    throw new Error(
      `code-server: Node's headers are not in ${path.join(prefix, 'include', 'node')}; code-server's native modules build ` +
        "against them. Install Node 20 with its headers (NodeSource's nodejs package, or the official tarball's include/).",
    );
  }
  return prefix;
}

function installEnv(home) {
  return {
    ...process.env,
    // node-gyp builds against the headers installed with this Node (under /usr for Debian's and NodeSource's, beside
    // bin/ for a tarball or nvm) instead of downloading them.
    npm_config_nodedir: nodeDir(),
    // node-pty's postinstall runs `npx node-gyp`, which otherwise asks for confirmation.
    npm_config_yes: 'true',
    // code-server's postinstall refuses to run as root without it (npm 11 itself no longer knows the setting).
    npm_config_unsafe_perm: 'true',
    npm_config_strict_allow_scripts: 'false',
    npm_config_update_notifier: 'false',
    TMPDIR: path.join(home, 'tmp'),
    XDG_CONFIG_HOME: path.join(home, 'xdg', 'config'),
    XDG_DATA_HOME: path.join(home, 'xdg', 'data'),
    XDG_CACHE_HOME: path.join(home, 'xdg', 'cache'),
  };
}

/** `npm pack <spec>` into TMPDIR (it also fills npm's cache, so the install does not download twice). */
async function npmPack(spec, env) {
  const output = await capture('npm', ['pack', spec, '--json', '--pack-destination', env.TMPDIR], {
    cwd: env.TMPDIR,
    env,
  });
  const [packed] = JSON.parse(output);
  if (!packed?.filename) throw new Error(`npm pack ${spec}: no tarball reported`);
  return path.join(env.TMPDIR, packed.filename);
}

async function extractFile(tarball, member, into) {
  await capture('tar', ['-xzf', tarball, '-C', into, member]);
  return readFile(path.join(into, member), 'utf8');
}

async function ripgrepVersionOf(codeServerTarball, tmp) {
  const into = path.join(tmp, 'code-server-package');
  await mkdir(into, { recursive: true });
  const shrinkwrap = JSON.parse(
    await extractFile(codeServerTarball, 'package/lib/vscode/npm-shrinkwrap.json', into),
  );
  const version = shrinkwrap.packages?.['node_modules/@vscode/ripgrep']?.version;
  if (!version) throw new Error('code-server: no @vscode/ripgrep in lib/vscode/npm-shrinkwrap.json');
  return version;
}

/**
 * @vscode/ripgrep's postinstall downloads ripgrep from GitHub, which is unreachable here; it first looks for
 * `$TMPDIR/vscode-ripgrep-cache-<version>/ripgrep-<TAG>-<target>.tar.gz` and untars it, so put Debian's rg there.
 */
async function seedRipgrepCache(ripgrepPackageVersion, env) {
  if (!existsSync(debianRipgrep))
    throw new Error(`code-server: ${debianRipgrep} is missing (apt-get install ripgrep)`);
  const tarball = await npmPack(`@vscode/ripgrep@${ripgrepPackageVersion}`, env);
  const into = path.join(env.TMPDIR, 'ripgrep-package');
  await mkdir(into, { recursive: true });
  const postinstall = await extractFile(tarball, 'package/lib/postinstall.js', into);
  const tag = /const VERSION = '([^']+)'/.exec(postinstall)?.[1];
  if (!tag) throw new Error('code-server: no VERSION constant in @vscode/ripgrep lib/postinstall.js');
  const target = { x64: 'x86_64-unknown-linux-musl', arm64: 'aarch64-unknown-linux-musl' }[process.arch];
  if (!target) throw new Error(`code-server: no ripgrep target for ${process.arch}`);
  const cache = path.join(env.TMPDIR, `vscode-ripgrep-cache-${ripgrepPackageVersion}`);
  await mkdir(cache, { recursive: true });
  await capture('tar', [
    '-czf',
    path.join(cache, `ripgrep-${tag}-${target}.tar.gz`),
    '-C',
    path.dirname(debianRipgrep),
    'rg',
  ]);
  const debianVersion = (await capture(debianRipgrep, ['--version'])).split('\n')[0];
  console.log(
    `code-server: @vscode/ripgrep ${ripgrepPackageVersion} wants ${tag}; seeded with Debian's ${debianVersion}`,
  );
}

/** The postinstall installs lib/vscode's dependencies and builds native modules; npm may skip it silently. */
async function checkPostinstallRan(packageDir) {
  const vscode = path.join(packageDir, 'lib', 'vscode');
  const expected = [
    'node_modules/@vscode/ripgrep/bin/rg',
    'node_modules/node-pty/build/Release/pty.node',
    'node_modules.asar',
    'extensions/node_modules',
  ];
  const missing = expected.filter((file) => !existsSync(path.join(vscode, file)));
  if (missing.length > 0) {
    throw new Error(
      `code-server: its postinstall did not complete (missing in lib/vscode: ${missing.join(', ')})`,
    );
  }
}
