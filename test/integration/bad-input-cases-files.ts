/** Bad inputs in files: `.lendos/config.yaml`, the world.json passed with --world, and journal lines. */
import { appendFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import type { WorldDescription } from '../../rehearsal/src/index.js';
import type { BadInput, Expectation } from './bad-input-case.js';
import { BLOCKED_BY_SCALE_DOWN, SCALE_DOWN } from './bad-input-cases-cli.js';
import { VERSION } from './bad-input-world.js';

const CONFIG_PROBLEMS = /error: the configuration has problems; fix them and run again:/;

/** A config file with one mistake: a mutating run is refused with the problem, before anything is looked at. */
function config(
  name: string,
  yaml: string,
  problem: RegExp,
  argv: readonly string[] = ['run', SCALE_DOWN, '--yes'],
): BadInput {
  return {
    theme: 'config',
    name,
    setup: (h) => h.writeConfig(yaml),
    argv,
    exit: 1,
    output: [CONFIG_PROBLEMS, problem],
  };
}

const configs: BadInput[] = [
  config(
    'not YAML',
    'environments: [unclosed\n',
    /\.lendos\/config\.yaml: is not valid YAML \(.*line 2, column 1\): fix the file, or remove it to use the runbook's defaults/,
  ),
  config(
    'an unknown top-level key',
    'environment:\n  staging:\n    kubeContext: lendos-stg/SREOperatorAccess\n',
    /\.lendos\/config\.yaml: environment: unknown setting "environment": expected one of environments, repositories, ecr, aws, kubeconfig, lease, validation/,
  ),
  config(
    "staging's kube context is production's",
    'environments:\n  staging:\n    kubeContext: bxci-prod/SREOperatorAccess\n',
    /environments\.staging\.kubeContext: is "bxci-prod\/SREOperatorAccess", the same kube context as Production \(BXCI\) \(environments\.production\.kubeContext\): every environment must be its own\. Set Staging's own kube context/,
  ),
  config(
    "staging's AWS profile is production's",
    'environments:\n  staging:\n    awsProfile: bxci-prod/SREOperatorAccess\n',
    /environments\.staging\.awsProfile: is "bxci-prod\/SREOperatorAccess", the same AWS profile as Production \(BXCI\) \(environments\.production\.awsProfile\): every environment must be its own\. Set Staging's own AWS profile/,
  ),
  config(
    'an empty kube context',
    'environments:\n  staging:\n    kubeContext: ""\n',
    /environments\.staging\.kubeContext: is empty: set the kube context name for Staging, e\.g\. lendos-stg\/SREOperatorAccess/,
  ),
  config(
    'identity.account is not 12 digits',
    'environments:\n  staging:\n    identity:\n      account: "62013488521"\n',
    /environments\.staging\.identity\.account: must be the 12-digit AWS account id \(aws sts get-caller-identity\), or null/,
  ),
  config(
    'lease.durationSeconds: 5',
    'lease:\n  durationSeconds: 5\n',
    /lease\.durationSeconds: must be a whole number of seconds from 15 to 3600/,
  ),
  config(
    'a validation pattern that is not a regular expression',
    'validation:\n  ledgerPattern: "([unclosed"\n',
    /validation\.ledgerPattern: is not a regular expression \(Invalid regular expression/,
  ),
  config(
    'replicas: -1',
    'environments:\n  staging:\n    replicas:\n      lendos-portal: -1\n',
    /environments\.staging\.replicas\.lendos-portal: must be a whole number of replicas between 0 and 100/,
  ),
  config(
    'an unknown environment',
    'environments:\n  stagging:\n    kubeContext: lendos-stg/SREOperatorAccess\n',
    /environments\.stagging: unknown environment "stagging": use one of dev, staging, production/,
  ),
  config(
    'a bad identity refuses production too, even confirmed',
    'environments:\n  production:\n    identity:\n      account: "73945102236X"\n',
    /environments\.production\.identity\.account: must be the 12-digit AWS account id/,
    ['run', 'production.upgrade.scale-down', '--yes', '--confirm-environment', 'bxci'],
  ),
];

const worldFiles: BadInput[] = [
  {
    theme: 'world.json',
    name: 'no such file',
    setup: (h) => ({ worldFile: h.tmp('gone/world.json') }),
    argv: ['run', SCALE_DOWN, '--yes'],
    exit: 1,
    output: [
      /error: no world file at .*gone\/world\.json: start a world with `lendos rehearse --headless --dir DIR` and pass DIR\/world\.json/,
    ],
  },
  {
    theme: 'world.json',
    name: 'not JSON',
    setup: (h) => {
      writeFileSync(h.tmp('torn-world.json'), '{ "scenario": "fast", "kubeconfig": ');
      return { worldFile: h.tmp('torn-world.json') };
    },
    argv: ['run', SCALE_DOWN, '--yes'],
    exit: 1,
    output: [/torn-world\.json is not JSON \(.*\); it should be the world\.json a rehearsal wrote/],
  },
  {
    theme: 'world.json',
    name: 'a required field removed (identities.staging.clusterUid)',
    setup: (h) => ({
      worldFile: h.worldCopy('no-cluster-uid.json', (w) => {
        delete (w.identities.staging as Partial<WorldDescription['identities']['staging']>).clusterUid;
      }),
    }),
    argv: ['run', SCALE_DOWN, '--yes'],
    exit: 1,
    output: [
      /no-cluster-uid\.json is not a complete world description: missing or empty identities\.staging\.clusterUid\. Pass the world\.json the rehearsal wrote/,
    ],
  },
  {
    theme: 'world.json',
    name: 'a workspace that is not a git repository',
    setup: (h) => {
      const dir = mkdtempSync(h.tmp('not-a-repo-'));
      return {
        worldFile: h.worldCopy('not-a-repo.json', (w) => (w.workspace.lendos = dir)),
        verify: () => assert.deepEqual(readdirSync(dir), [], `nothing was written into ${dir}`),
        teardown: () => rmSync(dir, { recursive: true, force: true }),
      };
    },
    argv: ['start', '2025.5.0'],
    exit: 1,
    output: [
      /names the workspace .*not-a-repo-\w+, which is not a git repository: pass the world\.json of a running rehearsal .* or --workspace DIR/,
    ],
  },
];

/** One journal line as another tool, a newer LendOS or a copy from another release might have written it. */
const line = (fields: Record<string, unknown>) =>
  JSON.stringify({
    v: 1,
    time: '2025-11-10T10:00:00.000Z',
    actor: 'Bo <bo@example.com>',
    release: VERSION,
    ...fields,
  }) + '\n';

/** Canton restart needs the scale-down done; a line claiming it is must not be folded. */
const stillBlocked: Expectation = {
  argv: ['run', 'staging.upgrade.canton-restart', '--yes'],
  exit: 1,
  output: [BLOCKED_BY_SCALE_DOWN],
};

function journal(name: string, text: string, warning: RegExp): BadInput {
  return {
    theme: 'journal',
    name,
    setup: (h) => appendFileSync(h.journal, text),
    argv: ['status'],
    exit: 0,
    output: [warning],
    then: [stillBlocked],
  };
}

const journals: BadInput[] = [
  journal(
    'a line of an unknown schema version (v: 2)',
    line({ v: 2, type: 'step.marked-done', step: SCALE_DOWN }),
    /warning: journal: line \d+ has journal schema version 2, but this LendOS Release reads version 1; it was ignored \(.*update the extension and the CLI/,
  ),
  journal(
    "a line of another release's journal",
    line({ release: '2025.3.0', type: 'step.marked-done', step: SCALE_DOWN }),
    /warning: journal: line \d+ is for release 2025\.3\.0, not 2025\.4\.0: was this journal copied from another release's file\? it was ignored/,
  ),
  journal(
    'a garbage line',
    'scale-down done, trust me\n',
    /warning: journal: line \d+ is not valid JSON; it was ignored/,
  ),
  journal(
    'a torn last line',
    line({ type: 'step.marked-done', step: SCALE_DOWN }).slice(0, 90),
    /warning: journal: line \d+ is incomplete \(the last write was interrupted\); it was ignored/,
  ),
  {
    theme: 'journal',
    name: 'an empty journal',
    setup: (h) => writeFileSync(h.journal, ''),
    argv: ['status'],
    exit: 0,
    output: [
      /warning: journal: the journal of 2025\.4\.0 is empty \(no "release\.started" event\): start the release again \(lendos start 2025\.4\.0/,
    ],
    then: [
      {
        argv: ['run', SCALE_DOWN, '--yes'],
        exit: 1,
        output: [
          /Scale down services depends on steps that are not done: staging\.upgrade\.prerequisites\. Finish them first/,
        ],
      },
    ],
  },
];

export const FILE_CASES: readonly BadInput[] = [...configs, ...worldFiles, ...journals];
