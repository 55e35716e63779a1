/** Bad inputs on the command line: versions, `--set`, and CLI usage. */
import type { BadInput } from './bad-input-case.js';

const SCALE_DOWN = 'staging.upgrade.scale-down';
const BLOCKED_BY_SCALE_DOWN =
  /Restart Canton depends on steps that are not done: staging\.upgrade\.scale-down\. Finish them first/;

const versions: BadInput[] = [
  {
    theme: 'version',
    name: 'start v2025.4.0 (a leading v)',
    argv: ['start', 'v2025.4.0'],
    exit: 1,
    output: [/cannot start the release: drop the leading v from "v2025\.4\.0": use 2025\.4\.0/],
  },
  {
    theme: 'version',
    name: 'start 2025.4 (no hotfix counter)',
    argv: ['start', '2025.4'],
    exit: 1,
    output: [/cannot start the release: 2025\.4 is missing the hotfix counter: use 2025\.4\.0/],
  },
  {
    theme: 'version',
    name: 'start 2025.0.0 (the release counter starts at 1)',
    argv: ['start', '2025.0.0'],
    exit: 1,
    output: [/the release counter in "2025\.0\.0" is 0, but it starts at 1: use 2025\.1\.0/],
  },
  {
    theme: 'version',
    name: 'start release/2025.4.0 (a branch name)',
    argv: ['start', 'release/2025.4.0'],
    exit: 1,
    output: [/"release\/2025\.4\.0" is a branch name, not a version: use 2025\.4\.0/],
  },
  {
    theme: 'version',
    name: 'start 25.4.0 (a two-digit year)',
    argv: ['start', '25.4.0'],
    exit: 1,
    output: [
      /year 25 in "25\.4\.0" is outside 2000–2999; the year is the four-digit calendar year, as in 2025\.4\.0/,
    ],
  },
  {
    theme: 'version',
    name: 'run --release 2025.4.0.1 (four parts)',
    argv: ['run', SCALE_DOWN, '--release', '2025.4.0.1', '--yes'],
    exit: 1,
    output: [
      /--release 2025\.4\.0\.1: "2025\.4\.0\.1" has 4 parts, a release version has 3; a release version looks like 2025\.4\.0/,
    ],
  },
  {
    theme: 'version',
    name: 'start of a release already started',
    argv: ['start', '2025.4.0'],
    exit: 1,
    output: [
      /Release 2025\.4\.0 was already started on .* by Rehearsal Engineer <engineer@rehearsal\.lendos\.io>; it is not started again/,
      /Continue it: lendos status shows where it stands, then lendos run \/ done/,
    ],
  },
  {
    theme: 'version',
    name: 'run on a release never started',
    argv: ['run', SCALE_DOWN, '--release', '2025.5.0', '--yes'],
    exit: 1,
    output: [/There is no release 2025\.5\.0 in .*: start it first \(lendos start 2025\.5\.0/],
  },
];

const set: BadInput[] = [
  {
    theme: 'set',
    name: 'a field the form does not have (newVersion)',
    argv: ['run', 'prep.upgrade-branch', '--set', 'newVersion=0.1.93', '--yes'],
    exit: 2,
    output: [
      /--set newVersion: prep\.upgrade-branch does not ask for this field; it accepts --set from, to, dataLoaderFrom\. Nothing was run\./,
    ],
  },
  {
    theme: 'set',
    name: 'not FIELD=VALUE (--set to)',
    argv: ['run', 'prep.upgrade-branch', '--set', 'to', '--yes'],
    exit: 2,
    output: [/--set to: write --set FIELD=VALUE, e\.g\. --set to=0\.1\.93/],
  },
  {
    theme: 'set',
    name: 'a field given twice',
    argv: ['run', 'prep.upgrade-branch', '--set', 'to=0.1.93', '--set', 'to=0.1.94', '--yes'],
    exit: 2,
    output: [/--set to is given more than once \(to=0\.1\.93, to=0\.1\.94\): give each field once/],
  },
  {
    theme: 'set',
    name: '--set on a step without a form',
    argv: ['run', 'prep.cut-release-branch', '--set', 'to=0.1.93', '--yes'],
    exit: 2,
    output: [
      /prep\.cut-release-branch asks for no values; --set is not accepted \(--set to\)\. Nothing was run\./,
    ],
  },
  {
    theme: 'set',
    name: 'a value the form rejects (to=abc)',
    argv: ['run', 'prep.upgrade-branch', '--set', 'to=abc', '--yes'],
    exit: 1,
    output: [
      /"abc" is not a DAML package version: use three dotted numbers like 0\.1\.93/,
      /nothing was changed/,
    ],
  },
  {
    theme: 'set',
    name: 'a target version not above the deployed one (to=0.1.0)',
    argv: ['run', 'prep.upgrade-branch', '--set', 'to=0.1.0', '--yes'],
    exit: 1,
    output: [/The target version 0\.1\.0 must be greater than the current version 0\.1\.92/],
  },
];

const usage: BadInput[] = [
  {
    theme: 'usage',
    name: 'an unknown command',
    argv: ['frobnicate'],
    exit: 2,
    output: [/error: unknown command "frobnicate"/, /Usage: lendos <command> \[options\]/],
  },
  {
    theme: 'usage',
    name: 'an unknown option',
    argv: ['status', '--frobnicate'],
    exit: 2,
    output: [/error: unknown option --frobnicate/, /Usage: lendos status/],
  },
  {
    theme: 'usage',
    name: 'an option without its value',
    argv: ['status', '--release'],
    exit: 2,
    output: [/error: --release needs a value/, /Usage: lendos status \[--release YYYY\.R\.H\|dev\]/],
  },
  {
    theme: 'usage',
    name: '--json on run',
    argv: ['run', SCALE_DOWN, '--json'],
    exit: 2,
    output: [/error: unknown option --json/, /Usage: lendos run <step-id>/],
  },
  {
    theme: 'usage',
    name: 'two positionals',
    argv: ['run', SCALE_DOWN, 'staging.upgrade.canton-restart', '--yes'],
    exit: 2,
    output: [/error: unexpected argument "staging\.upgrade\.canton-restart"/, /Usage: lendos run <step-id>/],
  },
  {
    theme: 'usage',
    name: 'run without a step',
    argv: ['run', '--yes'],
    exit: 2,
    output: [/error: name the step to run, e\.g\. lendos run prep\.cut-release-branch/],
  },
  {
    theme: 'usage',
    name: 'an unknown step id',
    argv: ['run', 'staging.upgrade.scale-dwon', '--yes'],
    exit: 1,
    output: [
      /There is no step "staging\.upgrade\.scale-dwon" in release 2025\.4\.0: run "lendos plan" to list the step ids/,
    ],
  },
  {
    theme: 'usage',
    name: 'a manual step to run',
    argv: ['run', 'recovery.data-validation', '--yes'],
    exit: 1,
    output: [/Data validation fails is a manual step: do it as its guidance says, then mark it done/],
  },
  {
    theme: 'usage',
    name: 'a blocked step (its dependencies are not done)',
    argv: ['run', 'staging.upgrade.canton-restart', '--yes'],
    exit: 1,
    output: [BLOCKED_BY_SCALE_DOWN],
  },
  {
    theme: 'usage',
    name: 'skip of a required step',
    argv: ['skip', SCALE_DOWN, '--reason', 'no time'],
    exit: 1,
    output: [/Scale down services is required and cannot be skipped; only optional steps can/],
  },
  {
    theme: 'usage',
    name: 'skip without --reason',
    argv: ['skip', 'staging.upgrade.canton-restart'],
    exit: 2,
    output: [/error: say why the step is skipped: --reason TEXT/],
  },
  {
    theme: 'usage',
    name: 'done of an approval without --note',
    argv: ['done', 'staging.smoke-approval', '--force'],
    exit: 2,
    output: [/is an approval: say who approved and where it is recorded .* Pass it with --note/],
  },
  {
    theme: 'usage',
    name: 'done of an automated step without --force',
    argv: ['done', SCALE_DOWN],
    exit: 1,
    output: [
      /Scale down services is automated: run it \(lendos run staging\.upgrade\.scale-down; .*or pass --force/,
    ],
  },
  {
    theme: 'usage',
    name: 'reset of a pending step',
    argv: ['reset', 'staging.upgrade.canton-restart'],
    exit: 1,
    output: [/Restart Canton has not been started; there is nothing to reset/],
  },
];

export const CLI_CASES: readonly BadInput[] = [...versions, ...set, ...usage];
export { BLOCKED_BY_SCALE_DOWN, SCALE_DOWN };
