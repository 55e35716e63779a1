// `node scripts/system-packages.mjs [start|test|electron]`: installs the Debian packages `npm start`, `npm test` or
// `npm run test:electron` needs (default: test). `--list` prints them with why, and installs nothing.
import { PACKAGE_GROUPS, ensureSystemPackages } from './lib/system-packages.mjs';

const purpose = process.argv.find((arg) => ['start', 'test', 'electron'].includes(arg)) ?? 'test';
if (process.argv.includes('--list')) {
  for (const group of PACKAGE_GROUPS.filter((g) => g.for.includes(purpose))) console.log(`${group.packages.join(' ')}  — ${group.why}`);
} else {
  try {
    await ensureSystemPackages(purpose);
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
}
