// A small but real `lendos` repository for e2e runs and `npm start`: gitflow branches, the VERSION file, an
// existing release branch, and a bare `origin` beside it holding the same branches.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { capture } from './processes.mjs';

export const demoVersion = '2025.3.0';

const files = {
  VERSION: `${demoVersion}\n`,
  'README.md': `# lendos\n\nThe LendOS platform: portals, services and the DAML models behind them.\n\nReleases follow [BRANCHING.md](BRANCHING.md).\n`,
  'BRANCHING.md': [
    '# Branching',
    '',
    'We use gitflow with CalVer release versions.',
    '',
    '- `develop` collects finished work for the next release.',
    '- `release/YYYY.R.H` is cut from `develop` (R: release of the year, H: hotfix number), e.g. `release/2025.4.0`.',
    '- The `VERSION` file at the repository root holds the release version and must match the release branch.',
    '- A release branch is merged into `main` through a pull request; `main` is then merged back into `develop`.',
    '- The DAML upgrade for a release lives on `upgrade/YYYY.R.H`.',
    '',
  ].join('\n'),
  'services/portal-daml-upgrade/README.md': [
    '# portal-daml-upgrade',
    '',
    'Generates the DAML upgrade project that moves active contracts from one release to the next.',
    '',
    '```sh',
    'cd services/portal-daml-upgrade',
    '# Format: ./generate-upgrade.sh <old-version> <new-version> <old-data-loader-version>',
    './generate-upgrade.sh 2025.3.0 2025.4.0 2025.3.0',
    '```',
    '',
    'The images `portal-daml-upgrade:{target_base}.{build}-init` and `-runner` are built by CI and pushed to ECR.',
    '',
  ].join('\n'),
};

/**
 * Creates `<parentDir>/lendos` (checked out on `develop`) and `<parentDir>/lendos-origin.git` (bare, its `origin`).
 * @returns {Promise<{workspace: string, origin: string, version: string}>}
 */
export async function createDemoWorkspace(parentDir) {
  const workspace = path.join(parentDir, 'lendos');
  const origin = path.join(parentDir, 'lendos-origin.git');
  await mkdir(workspace, { recursive: true });
  const git = (...args) => capture('git', args, { cwd: workspace, env: gitEnv() });
  await git('init', '--quiet', '--initial-branch=develop');
  await git('config', 'user.name', 'LendOS Demo');
  await git('config', 'user.email', 'demo@lendos.example');
  await git('config', 'commit.gpgsign', 'false');
  await writeFiles(workspace, files);
  await git('add', '--all');
  await git('commit', '--quiet', '-m', `Start ${demoVersion} development`);
  await git('switch', '--quiet', '--create', `release/${demoVersion}`);
  await git('commit', '--quiet', '--allow-empty', '-m', `Bump VERSION to ${demoVersion} for release`);
  await git('branch', 'main');
  await git('switch', '--quiet', 'develop');
  await git('merge', '--quiet', '--no-ff', '-m', `Sync release ${demoVersion} to develop`, 'main');
  await writeFile(
    path.join(workspace, 'CHANGELOG.md'),
    '# Changelog\n\n## [Unreleased]\n\n- Portal: loan summary export.\n',
  );
  await git('add', 'CHANGELOG.md');
  await git('commit', '--quiet', '-m', 'Portal: loan summary export');
  await capture('git', ['init', '--quiet', '--bare', '--initial-branch=develop', origin], { env: gitEnv() });
  await git('remote', 'add', 'origin', origin);
  await git('push', '--quiet', '--set-upstream', 'origin', 'develop', 'main', `release/${demoVersion}`);
  return { workspace, origin, version: demoVersion };
}

async function writeFiles(root, contents) {
  for (const [name, text] of Object.entries(contents)) {
    await mkdir(path.dirname(path.join(root, name)), { recursive: true });
    await writeFile(path.join(root, name), text);
  }
}

/** The machine's and the user's git config stay out, so every demo repository is the same. */
function gitEnv() {
  return {
    ...process.env,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
  };
}
