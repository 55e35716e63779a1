/**
 * Bad inputs that reach the clusters: contexts and AWS profiles that lead to the other environment, missing
 * confirmations, a cluster lock or step lock held by someone else, and hostile strings from the cluster.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { worldIdentities } from '../../rehearsal/src/aws/index.js';
import type { BadInput, Prepared } from './bad-input-case.js';
import { SCALE_DOWN } from './bad-input-cases-cli.js';
import { VERSION, type BadInputWorld } from './bad-input-world.js';

const PROD_SCALE_DOWN = 'production.upgrade.scale-down';
const CONFIRMED_PROD = ['run', PROD_SCALE_DOWN, '--yes', '--confirm-environment', 'bxci'];
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

interface KubeconfigFile {
  contexts: { name: string; context: { cluster: string; user: string } }[];
}

/**
 * A copy of the world's kubeconfig with aliases: `staging-alias` reaching production's cluster entry and
 * `prod-alias` reaching staging's; a world.json copy uses it, and the config names the alias for `environment`.
 */
function kubeAlias(h: BadInputWorld, environment: 'staging' | 'production', alias: string): Prepared {
  const { contexts, kubeconfig } = h.description;
  const kc = parse(readFileSync(kubeconfig, 'utf8')) as KubeconfigFile;
  const entry = (name: string) => kc.contexts.find((c) => c.name === name)?.context;
  const [production, staging] = [entry(contexts.production), entry(contexts.staging)];
  if (!production || !staging)
    throw new Error(`the world's kubeconfig lacks a runbook context: ${kubeconfig}`);
  kc.contexts.push(
    { name: 'staging-alias', context: { ...production } },
    { name: 'prod-alias', context: { ...staging } },
  );
  const file = h.tmp('kubeconfig-aliases');
  writeFileSync(file, stringify(kc));
  h.writeConfig(`environments:\n  ${environment}:\n    kubeContext: ${alias}\n`);
  return { worldFile: h.worldCopy('world-kube-alias.json', (w) => (w.kubeconfig = file)) };
}

/** AWS config and credentials copies with `[profile stg-alias]` holding production's key, and a world.json using them. */
function awsAlias(h: BadInputWorld): Prepared {
  const { aws } = h.description;
  const production = worldIdentities(aws.credentials).find(
    (i) => i.profile === 'bxci-prod/SREOperatorAccess',
  );
  if (!production) throw new Error('the world defines no bxci-prod/SREOperatorAccess profile');
  const configFile = h.tmp('aws-config');
  const credentialsFile = h.tmp('aws-credentials');
  writeFileSync(
    configFile,
    `${readFileSync(aws.configFile, 'utf8')}\n[profile stg-alias]\nregion = ${aws.region}\n`,
  );
  writeFileSync(
    credentialsFile,
    `${readFileSync(aws.credentialsFile, 'utf8')}\n[stg-alias]\naws_access_key_id = ${production.accessKeyId}\n` +
      `aws_secret_access_key = ${aws.credentials.secretAccessKey}\n`,
  );
  h.writeConfig('environments:\n  staging:\n    awsProfile: stg-alias\n');
  return {
    worldFile: h.worldCopy('world-aws-alias.json', (w) =>
      Object.assign(w.aws, { configFile, credentialsFile }),
    ),
  };
}

/** A step lock file held by a live process of this host (a `sleep`), as another `lendos run` would have written it. */
function heldLock(h: BadInputWorld, key: string, actor: string): Prepared {
  const sleeper = spawn('sleep', ['60'], { stdio: 'ignore' });
  const pid = sleeper.pid as number;
  const file = path.join(h.workspace, '.lendos', 'runs', 'locks', VERSION, `${key}.lock`);
  mkdirSync(path.dirname(file), { recursive: true });
  const owner = {
    id: 'r-held0001',
    pid,
    host: os.hostname(),
    shell: 'cli',
    actor,
    since: '2025-11-10T10:00:00.000Z',
  };
  writeFileSync(file, JSON.stringify(owner) + '\n');
  return {
    output: [
      new RegExp(
        `in lendos CLI \\(pid ${pid}\\) on ${escape(os.hostname())} since 2025-11-10 10:00:00 UTC \\(run r-held0001\\)`,
      ),
    ],
    teardown: () => void sleeper.kill(),
  };
}

const BOB = 'Bob <bob@example.com> @ bob-pc (cli pid 77, run r-bob00001)';
/** The issue's attack: erase the line, return, a green "succeeded", a new window title (OSC with BEL and with ST). */
const HOSTILE_HOLDER =
  'mallory\x1b[2K\r\x1b[32m✔ succeeded\x1b[0m\x1b]0;pwned\x07\x1b]2;title\x1b\\\u009b2K\u202e @ evil-host';
const SHOWN_INERT = /␛|\\u001b|\\x1b/i;

function leaseHeld(
  name: string,
  cluster: 'staging' | 'production',
  holder: string,
  argv: string[],
  extra: Partial<BadInput> = {},
): BadInput {
  return {
    theme: 'concurrency',
    name,
    setup: async (h) => {
      await h.plantLease(cluster, holder);
      return { teardown: () => h.deleteLease(cluster) };
    },
    argv,
    exit: 1,
    output: [/The upgrade lock \(Lease lendos-portal\/lendos-release-upgrade in context \S+\) is held by /],
    ...extra,
  };
}

const identities: BadInput[] = [
  {
    theme: 'identity',
    name: "a kube context alias of staging that reaches production's cluster",
    setup: (h) => ({
      ...kubeAlias(h, 'staging', 'staging-alias'),
      output: [
        new RegExp(
          `kube-system UID ${h.description.identities.production.clusterUid} at ${escape(h.description.identities.production.server)}`,
        ),
      ],
    }),
    argv: ['run', SCALE_DOWN, '--yes'],
    exit: 1,
    output: [
      /Refusing to change Staging: context staging-alias reaches the cluster with kube-system UID/,
      /but that is Production \(BXCI\)'s cluster \(environments\.production\.identity\)\. Check environments\.staging\.kubeContext and the kubeconfig .* Nothing was changed\./,
    ],
  },
  {
    theme: 'identity',
    name: "a kube context alias of production that reaches staging's cluster",
    setup: (h) => ({
      ...kubeAlias(h, 'production', 'prod-alias'),
      output: [new RegExp(`kube-system UID ${h.description.identities.staging.clusterUid}`)],
    }),
    argv: CONFIRMED_PROD,
    exit: 1,
    output: [
      /Refusing to change Production \(BXCI\): context prod-alias reaches the cluster .* but that is Staging's cluster/,
    ],
  },
  {
    theme: 'identity',
    name: 'a kube context missing from the kubeconfig',
    setup: (h) => h.writeConfig('environments:\n  staging:\n    kubeContext: lendos-stg/Missing\n'),
    argv: ['run', SCALE_DOWN, '--yes'],
    exit: 1,
    output: [
      /The kube context "lendos-stg\/Missing" is not in \S+kubeconfig \(it has lendos-stg\/SREOperatorAccess, bxci-prod\/SREOperatorAccess, lendos-dev\/SREOperatorAccess\)\. Add it .* Nothing was changed\./,
    ],
  },
  {
    theme: 'identity',
    name: "an AWS profile alias of staging that reaches production's account",
    setup: awsAlias,
    argv: ['run', SCALE_DOWN, '--yes'],
    exit: 1,
    output: [
      /Refusing to change Staging: its AWS credentials \(stg-alias\) reach account 739451022368 as arn:aws:sts::739451022368:\S+, but that is Production \(BXCI\)'s account/,
      /Check environments\.staging\.awsProfile and your AWS config\. Nothing was changed\./,
    ],
  },
  {
    theme: 'identity',
    name: 'an AWS profile missing from the AWS config',
    setup: (h) => h.writeConfig('environments:\n  staging:\n    awsProfile: lendos-stg/Missing\n'),
    argv: ['run', SCALE_DOWN, '--yes'],
    exit: 1,
    output: [
      /AWS credentials for profile "lendos-stg\/Missing" are missing or expired .*Log in with `aws sso login --profile lendos-stg\/Missing` and run the step again/,
    ],
  },
];

const confirmations: BadInput[] = [
  {
    theme: 'confirmation',
    name: 'staging without --yes and without a terminal',
    argv: ['run', SCALE_DOWN],
    exit: 1,
    output: [
      /Go on\? Not confirmed: pass --yes to confirm without a terminal/,
      /Not confirmed: nothing was changed in Staging/,
    ],
  },
  {
    theme: 'confirmation',
    name: 'production with --yes only',
    argv: ['run', PROD_SCALE_DOWN, '--yes'],
    exit: 1,
    output: [
      /Pass --confirm-environment bxci to confirm \(--yes is not enough here\)/,
      /nothing was changed in Production \(BXCI\)/,
    ],
  },
  {
    theme: 'confirmation',
    name: 'production confirmed with the wrong name (production, not bxci)',
    argv: ['run', PROD_SCALE_DOWN, '--yes', '--confirm-environment', 'production'],
    exit: 1,
    output: [/--confirm-environment production does not match bxci; nothing was changed/],
  },
];

const concurrency: BadInput[] = [
  leaseHeld(
    'the staging upgrade lock held by a live run of Bob',
    'staging',
    BOB,
    ['run', SCALE_DOWN, '--yes'],
    {
      output: [
        /The upgrade lock \(Lease lendos-portal\/lendos-release-upgrade in context lendos-stg\/SREOperatorAccess\) is held by Bob <bob@example\.com> @ bob-pc \(cli pid 77, run r-bob00001\) since \S+ \(last renewed less than a minute ago\)/,
        /Wait until they finish, or ask them to release it\. Nothing was changed\./,
      ],
    },
  ),
  leaseHeld('the production upgrade lock held by a live run of Bob', 'production', BOB, CONFIRMED_PROD, {
    output: [
      /in context bxci-prod\/SREOperatorAccess\) is held by Bob <bob@example\.com> @ bob-pc .*Wait until they finish/,
    ],
  }),
  {
    theme: 'concurrency',
    name: 'the step lock held by a live process',
    setup: (h) => heldLock(h, SCALE_DOWN, 'Bob <bob@example.com>'),
    argv: ['run', SCALE_DOWN, '--yes'],
    exit: 1,
    output: [
      /Scale down services \(staging\.upgrade\.scale-down\) is already running: Bob <bob@example\.com> in lendos CLI/,
      /One run at a time: wait for it, or cancel it there\. Nothing was done here\./,
    ],
  },
  {
    theme: 'concurrency',
    name: "a stage while its procedure run's lock is held",
    setup: (h) => heldLock(h, 'staging.upgrade.run', 'Bob <bob@example.com>'),
    argv: ['run', 'staging.upgrade.stage.upload-dars', '--yes'],
    exit: 1,
    output: [
      /upload-dars \(staging\.upgrade\.stage\.upload-dars, part of staging\.upgrade\.run\) is already running: Bob/,
    ],
  },
];

const hostile: BadInput[] = [
  leaseHeld(
    'a Lease holder with escape sequences, a carriage return and bidi',
    'staging',
    HOSTILE_HOLDER,
    ['run', SCALE_DOWN, '--yes'],
    {
      theme: 'hostile',
      inert: true,
      output: [/is held by mallory/, /✔ succeeded/, /evil-host/, SHOWN_INERT, /Nothing was changed/],
    },
  ),
  {
    theme: 'hostile',
    name: 'a step lock whose person carries escape sequences',
    setup: (h) => heldLock(h, SCALE_DOWN, 'Mallory\x1b[2K\r\x1b[32m✔ done\x1b[0m\u202e <m@evil.example>'),
    argv: ['run', SCALE_DOWN, '--yes'],
    exit: 1,
    inert: true,
    output: [/is already running: Mallory/, SHOWN_INERT],
  },
  {
    theme: 'hostile',
    name: 'a journal line whose release carries escape sequences',
    setup: (h) =>
      appendFileSync(
        h.journal,
        JSON.stringify({
          v: 1,
          time: '2025-11-10T10:00:00.000Z',
          actor: 'x',
          release: '2025.3.0\x1b]0;pwned\x07\r\u202e',
          type: 'release.started',
        }) + '\n',
      ),
    argv: ['status'],
    exit: 0,
    inert: true,
    output: [/warning: journal: line \d+ is for release 2025\.3\.0/],
  },
];

export const CLUSTER_CASES: readonly BadInput[] = [
  ...identities,
  ...confirmations,
  ...concurrency,
  ...hostile,
];
