// `node scripts/system-packages.mjs [start|test]`: installs the Debian packages `npm start` or `npm test` needs
// (default: test, which needs them all). `--list` prints them with why, and installs nothing.
import { PACKAGE_GROUPS, ensureSystemPackages } from './lib/system-packages.mjs';

const purpose = process.argv.find((arg) => arg === 'start' || arg === 'test') ?? 'test';
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
