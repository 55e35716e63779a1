/** `lendos rehearse --headless`: the rehearsal world alone, until SIGINT/SIGTERM; and reading its world.json. */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Scenario, World, WorldDescription } from '../../rehearsal/src/index.js';
import { loadWorldFile, WorldFileError } from '../adapters/world-file.js';
import { messageOf } from '../core/errors.js';
import { parseArgs, stringOption, UsageError } from './args.js';
import type { Output } from './output.js';

const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

export const REHEARSE_HELP = `Usage: lendos rehearse --headless [--scenario NAME] [--dir DIR]
       lendos rehearse --list

Starts the rehearsal world alone: two Kubernetes API servers (staging, production), ECR/RDS/STS, GitHub and
the git remotes on 127.0.0.1, with workspace clones under DIR/workspace. Writes DIR/world.json (what clients
read, e.g. lendos <command> --world DIR/world.json) and DIR/world.env (source it to use kubectl and aws by hand),
prints the world.json path, and runs until Ctrl-C (SIGINT) or SIGTERM.

  --headless        required: the interactive form (VS Code on the rehearsal workspace) is \`npm start\`
  --scenario NAME   a scenario of rehearsal/scenarios, or a path to a scenario .yaml (default: happy-path)
  --dir DIR         the world's folder: new, empty, or an earlier world's (then recreated); default: a new temp folder
  --list            list the scenarios and exit`;

/** Lets tests stop the command without a signal. */
export interface RehearseOptions {
  stop?: AbortSignal;
}

const loadRehearsal = () => import('../../rehearsal/src/index.js');

export async function rehearseCommand(argv: readonly string[], out: Output, options: RehearseOptions = {}): Promise<number> {
  try {
    const args = parseArgs(argv, { flags: ['headless', 'list', 'help'], values: ['scenario', 'dir'], short: { h: 'help' } });
    if (args.options.has('help')) {
      out.line(REHEARSE_HELP);
      return EXIT.ok;
    }
    if (args.positionals.length > 0) throw new UsageError(`unexpected argument "${args.positionals[0]}"`);
    if (args.options.has('list')) return await listCommand(out);
    if (!args.options.has('headless')) {
      out.error('only the headless form runs from the CLI: lendos rehearse --headless\nThe interactive rehearsal (VS Code on the rehearsal workspace) is `npm start`.');
      return EXIT.usage;
    }
    return await runWorld(out, stringOption(args, 'scenario') ?? 'happy-path', stringOption(args, 'dir'), options.stop);
  } catch (error) {
    if (error instanceof UsageError) {
      out.error(`${error.message}\n\n${REHEARSE_HELP}`);
      return EXIT.usage;
    }
    out.error(messageOf(error));
    return EXIT.failure;
  }
}

async function listCommand(out: Output): Promise<number> {
  const { listScenarios, loadScenario } = await loadRehearsal();
  for (const name of listScenarios()) out.line(`${name.padEnd(24)} ${loadScenario(name).description}`);
  return EXIT.ok;
}

async function runWorld(out: Output, scenarioName: string, dirOption: string | undefined, stop?: AbortSignal): Promise<number> {
  const rehearsal = await loadRehearsal();
  let scenario: Scenario;
  try {
    scenario = rehearsal.loadScenario(scenarioName);
  } catch (error) {
    if (!(error instanceof rehearsal.ScenarioError)) throw error;
    out.error(`${error.message}\n(lendos rehearse --list describes them)`);
    return EXIT.usage;
  }
  const dir = dirOption ? path.resolve(dirOption) : await mkdtemp(path.join(tmpdir(), 'lendos-rehearsal-'));
  const began = performance.now();
  // Listening before the world starts: world.json exists before startWorld returns, and a SIGTERM sent on seeing it
  // must stop the world cleanly, not end the process the default way.
  const stopped = untilStopped(stop);
  let world: World;
  try {
    world = await rehearsal.startWorld({ scenario, dir, quiet: true });
  } catch (error) {
    if (!(error instanceof rehearsal.WorldDirError)) throw error;
    out.error(error.message);
    return EXIT.usage;
  }
  out.line(world.worldFile);
  out.line(summary(world.description, (performance.now() - began) / 1000));
  await stopped;
  out.line('rehearsal: stopping the world');
  await world.stop();
  return EXIT.ok;
}

function summary(world: WorldDescription, seconds: number): string {
  return [
    `LendOS rehearsal world "${world.scenario}" is running (started in ${seconds.toFixed(1)} s, pid ${world.pid}):`,
    `  staging      ${world.contexts.staging.padEnd(30)} ${world.kube.staging.url}`,
    `  production   ${world.contexts.production.padEnd(30)} ${world.kube.production.url}`,
    `  dev          ${world.contexts.dev.padEnd(30)} ${world.kube.dev.url}`,
    `  ECR/RDS/STS  ${world.aws.ecrEndpoint} (region ${world.aws.region})`,
    `  GitHub API   ${world.github.apiUrl} (owner ${world.github.owner})`,
    `  frontends    ${[...world.urls.staging, ...world.urls.production, ...world.urls.dev].join(' ')}`,
    `  PQS          ${world.pqs ? `${world.pqs.staging.url.replace(/\/\/[^@/]*@/, '//')} (and production's; Secret pqs/pqs-postgres in each cluster)` : 'not running (install postgresql)'}`,
    `  workspace    ${world.workspace.lendos} and ${world.workspace.workloads}`,
    `  kubeconfig   ${world.kubeconfig}`,
    `By hand:  source ${path.join(world.dir, 'world.env')}`,
    'Ctrl-C stops the world.',
  ].join('\n');
}

/** Resolves on the first SIGINT or SIGTERM (a second one then ends the process the default way), or on `stop`. */
function untilStopped(stop?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      process.off('SIGINT', done).off('SIGTERM', done);
      stop?.removeEventListener('abort', done);
      resolve();
    };
    process.once('SIGINT', done).once('SIGTERM', done);
    if (stop?.aborted) done();
    stop?.addEventListener('abort', done);
  });
}

/** Reads a world.json written by `lendos rehearse --headless` (for `--world FILE`); errors say what is wrong. */
export function loadWorldDescription(file: string): WorldDescription {
  return loadWorldFile<WorldDescription>(file);
}

export { WorldFileError };
