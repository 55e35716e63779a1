/**
 * The values-tags steps (2.3, 3.1) on a rehearsal world: the release merged into main through GitHub, 2.2 run for real
 * to record the build's tags, then the values-tags steps with the real ports (git in the world's workloads clone,
 * Octokit against the world's GitHub, whose platform team approves and merges values-tags PRs).
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { FormField, Prompt, ProposedChange } from '../../src/engine/step-types.js';
import { identifyBuiltTags } from '../../src/steps/github/built-tags.js';
import { updateValuesTags } from '../../src/steps/values-tags/step.js';
import { loadScenario } from '../../rehearsal/src/index.js';
import { BuiltTagsWorld, STEP as IDENTIFY_STEP } from './built-tags-world.js';
import { CollectingLog } from './phase1-world.js';
import { asAda } from './helpers.js';

export const VERSION = '2025.4.0';

/** Answers Apply (or Discard) to a proposed change, remembering it; confirms everything else. */
export class ReviewPrompt implements Prompt {
  readonly changes: ProposedChange[] = [];
  constructor(private readonly apply = true) {}
  async confirm(): Promise<boolean> {
    return true;
  }
  async confirmTyped(): Promise<boolean> {
    return true;
  }
  async form(_title: string, fields: readonly FormField[]): Promise<Record<string, string>> {
    return Object.fromEntries(fields.map((f) => [f.id, f.value]));
  }
  async reviewChange(change: ProposedChange): Promise<boolean> {
    this.changes.push(change);
    return this.apply;
  }
}

/** A world where 2.2 has recorded the tags of the release merge's build. */
export async function valuesTagsWorld(): Promise<BuiltTagsWorld> {
  const fast = loadScenario('fast');
  // The platform team merges a values-tags PR 30 world-seconds after it opens: 0.6 s here, time to see the wait.
  const scenario = { ...fast, name: 'values-tags', timeScale: 0.02 };
  const w = await BuiltTagsWorld.start(scenario, { approvalPollSeconds: 1 }, [identifyBuiltTags, updateValuesTags]);
  const sha = await w.merge();
  await w.recordMerge(sha);
  const { result } = await w.run();
  if (result.status !== 'succeeded') throw new Error(`2.2 identify tags: ${result.summary}`);
  return w;
}

export async function runValuesTags(w: BuiltTagsWorld, stepId: string, prompt: Prompt = new ReviewPrompt()) {
  const log = new CollectingLog();
  const result = await w.runStep(stepId, { prompt, log });
  return { result, log, prompt };
}

/** The tags 2.2 recorded, image → tag. */
export async function builtTags(w: BuiltTagsWorld): Promise<Record<string, string>> {
  const tags = (await w.evidence(IDENTIFY_STEP))['tags'] as Record<string, { tag: string }>;
  return Object.fromEntries(Object.entries(tags).map(([image, t]) => [image, t.tag]));
}

/** Git in the world's lendos-eks-workloads clone. */
export function workloadsGit(w: BuiltTagsWorld, ...args: string[]): string {
  const env = asAda();
  const cwd = w.world.description.workspace.workloads;
  return execFileSync('git', args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** Git in the world's bare workloads remote (what GitHub holds). */
export function remoteWorkloadsGit(w: BuiltTagsWorld, ...args: string[]): string {
  const cwd = w.world.description.remotes.workloads;
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** Commits files on the clone's checked-out branch and pushes it. */
export function commitAndPush(w: BuiltTagsWorld, branch: string, files: Record<string, string>, message: string): void {
  const dir = w.world.description.workspace.workloads;
  for (const [file, text] of Object.entries(files)) writeFileSync(path.join(dir, file), text);
  workloadsGit(w, 'add', ...Object.keys(files));
  workloadsGit(w, 'commit', '-qm', message);
  workloadsGit(w, 'push', '-q', 'origin', branch);
}
