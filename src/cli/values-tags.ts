/**
 * `lendos values-tags check [--env E] [--json]`: the environment's values-tags file in the workloads clone checked
 * against ECR and the active release's recorded tags — the editor's diagnostics, as `file:line:col: severity: message`.
 * Exit 1 when any is an error.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { systemClock } from '../adapters/clock.js';
import { createStepPorts } from '../adapters/step-ports.js';
import type { EnvironmentName } from '../core/runbook/types.js';
import { messageOf } from '../core/errors.js';
import { recordedTagsOfPlan, type RecordedTag, type TagDiagnostic } from '../core/values-tags/index.js';
import { checkValuesTags, EcrFacts } from '../steps/values-tags/index.js';
import { UsageError } from './args.js';
import type { CliContext } from './context.js';
import type { Output } from './output.js';

export interface ValuesTagsOptions {
  readonly action: string;
  readonly env?: string;
  readonly json: boolean;
}

interface FileResult {
  readonly env: string;
  readonly file: string;
  readonly diagnostics: readonly TagDiagnostic[];
}

function environmentsOf(ctx: CliContext, env: string | undefined): EnvironmentName[] {
  const known = Object.keys(ctx.config.environments) as EnvironmentName[];
  if (env === undefined) return known;
  const named = known.find((name) => name === env);
  if (named) return [named];
  throw new UsageError(`--env ${env}: no such environment; use one of ${known.join(', ')}`, { help: false });
}

async function releaseTags(ctx: CliContext): Promise<{ release: string | null; tags: Record<string, RecordedTag> }> {
  const active = await ctx.service.activeRelease();
  if (!active) return { release: null, tags: {} };
  return { release: active, tags: recordedTagsOfPlan(active, (await ctx.service.view(active)).plan) };
}

/** A path as a person would click it: relative to the current folder when below it. */
function shown(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

async function checkFile(ctx: CliContext, facts: EcrFacts, env: EnvironmentName, recorded: Record<string, RecordedTag>): Promise<FileResult> {
  const file = path.resolve(ctx.root, ctx.config.repositories.workloadsPath, ctx.config.environments[env].valuesTagsFile);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const message = `cannot read the values-tags file of ${env} (${messageOf(error)}): check repositories.workloadsPath and environments.${env}.valuesTagsFile`;
    return { env, file, diagnostics: [{ severity: 'error', code: 'yaml', message, start: 0, end: 0, line: 1, column: 1 }] };
  }
  const diagnostics = await checkValuesTags({ text, facts, recorded, configured: ctx.config.ecr.serviceRepositories });
  return { env, file, diagnostics };
}

export async function valuesTagsCommand(ctx: CliContext, out: Output, opts: ValuesTagsOptions): Promise<number> {
  if (opts.action !== 'check') throw new UsageError(`unknown values-tags action "${opts.action}": write lendos values-tags check`);
  const envs = environmentsOf(ctx, opts.env);
  const ports = createStepPorts(ctx.root, () => ctx.config, () => ctx.world, async () => '');
  const facts = new EcrFacts(ports.ecr, systemClock);
  const { release, tags } = await releaseTags(ctx);
  const results: FileResult[] = [];
  // One file after another: they share the cache, so a repository is asked once.
  for (const env of envs) results.push(await checkFile(ctx, facts, env, tags));
  const all = results.flatMap((r) => r.diagnostics);
  const count = (severity: TagDiagnostic['severity']) => all.filter((d) => d.severity === severity).length;
  if (opts.json) {
    out.json({ release, files: results.map((r) => ({ env: r.env, file: r.file, diagnostics: r.diagnostics.map(jsonOf) })), errors: count('error'), warnings: count('warning'), notes: count('info') });
  } else {
    for (const r of results) for (const d of r.diagnostics) out.line(`${shown(r.file)}:${d.line}:${d.column}: ${d.severity}: ${d.message}`);
    const checked = release ? `against ECR and release ${release}'s tags` : 'against ECR (no active release: its recorded tags are not compared)';
    out.line(`${results.length} file${results.length === 1 ? '' : 's'} checked ${checked}: ${count('error')} errors, ${count('warning')} warnings, ${count('info')} notes`);
  }
  return count('error') > 0 ? 1 : 0;
}

function jsonOf(d: TagDiagnostic) {
  return { line: d.line, column: d.column, severity: d.severity, code: d.code, message: d.message, service: d.service ?? null, fix: d.fix ?? null };
}
