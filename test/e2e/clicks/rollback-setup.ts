/**
 * Set-up of the by-hand rollback flow (rollback.mjs), run with tsx against its world: `tsx rollback-setup.ts WORLD.json`.
 * What a person did before the rollback: the release up to production, production's values-tags merged, then
 * production's upgrade run through the engine — scale down, Canton restart, snapshot, the stages — until it fails for
 * good (the `production-upgrade-fails` scenario). Prints one JSON line: the failed run's summary.
 */
import { readFileSync } from 'node:fs';
import { createContext } from '../../../src/cli/context.js';
import { scriptedPrompt } from '../../../src/engine/scripted-prompt.js';
import type { LogSink } from '../../../src/engine/step-types.js';
import { checkedPrerequisites, completeBefore, releaseValuesTags } from '../../integration/rollback-setup.js';

const VERSION = '2025.4.0';

async function main(worldFile: string): Promise<void> {
  const world = JSON.parse(readFileSync(worldFile, 'utf8')) as { workspace: { workloads: string }; pqs?: { production?: { url: string } } };
  const pqs = world.pqs?.production?.url;
  if (!pqs) throw new Error('the world runs no PQS');
  const ctx = await createContext(undefined, worldFile);
  await ctx.service.startRelease(VERSION);
  await ctx.service.appendEvent({ release: VERSION, step: 'prep.upgrade-branch', type: 'step.succeeded', data: { from: '0.1.92', to: '0.1.93' } });
  await completeBefore(ctx.service, VERSION, 'production.values-tags');
  await releaseValuesTags(ctx.service, VERSION, world.workspace.workloads);
  await checkedPrerequisites(ctx.service, VERSION, pqs);
  const quiet: LogSink = { info: () => undefined, warn: () => undefined, error: (line) => console.error(line), output: () => undefined };
  const options = { prompt: scriptedPrompt({ yes: true, confirmEnvironment: 'bxci' }, quiet), log: quiet, signal: new AbortController().signal };
  for (const step of ['scale-down', 'canton-restart', 'snapshot']) {
    const result = await ctx.runner.run(VERSION, `production.upgrade.${step}`, options);
    if (result.status !== 'succeeded') throw new Error(`production.upgrade.${step}: ${result.status} — ${result.summary}`);
  }
  const failed = await ctx.runner.run(VERSION, 'production.upgrade.run', options);
  if (failed.status !== 'failed') throw new Error(`the upgrade was to fail for good, it ${failed.status}: ${failed.summary}`);
  console.log(JSON.stringify({ failed: failed.summary }));
}

main(process.argv[2] ?? '').catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : String(error));
  process.exit(1);
});
