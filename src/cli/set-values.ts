/**
 * `lendos run <step> --set FIELD=VALUE`: the entries read, and checked against the fields the step's form asks for
 * before anything runs: a field the step does not ask for is refused, never silently ignored.
 */
import { UsageError } from './args.js';
import type { CliContext } from './context.js';

/** `FIELD=VALUE` entries as values by field; a bad shape or a field given twice is a usage error. */
export function parseSetEntries(entries: readonly string[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (const entry of entries) {
    const at = entry.indexOf('=');
    if (at <= 0) throw new UsageError(`--set ${entry}: write --set FIELD=VALUE, e.g. --set to=0.1.93`);
    const field = entry.slice(0, at);
    if (field in values) {
      throw new UsageError(
        `--set ${field} is given more than once (${field}=${values[field]}, ${entry}): give each field once`,
      );
    }
    values[field] = entry.slice(at + 1);
  }
  return values;
}

/** Why `fields` (what a step's form asks for) do not cover `given`; undefined when they do. */
export function setFieldsProblem(
  stepId: string,
  fields: readonly string[],
  given: readonly string[],
): string | undefined {
  const unknown = given.filter((field) => !fields.includes(field));
  if (unknown.length === 0) return undefined;
  const list = unknown.map((field) => `--set ${field}`).join(', ');
  if (fields.length === 0)
    return `${stepId} asks for no values; --set is not accepted (${list}). Nothing was run.`;
  return `${list}: ${stepId} does not ask for ${unknown.length === 1 ? 'this field' : 'these fields'}; it accepts --set ${fields.join(', ')}. Nothing was run.`;
}

/**
 * The `--set` values for running `stepId`, refused (a usage error, before anything runs or is journalled) when one
 * names a field the step's form does not have. Steps that are not automated are left to the runner, which refuses them.
 */
export async function checkedSetValues(
  ctx: CliContext,
  version: string,
  stepId: string,
  entries: readonly string[],
): Promise<Record<string, string>> {
  const values = parseSetEntries(entries);
  const given = Object.keys(values);
  if (given.length === 0) return values;
  const step = (await ctx.service.view(version)).runbook.steps.find((s) => s.id === stepId);
  if (step?.kind !== 'automated' && !step?.checkable) return values;
  const problem = setFieldsProblem(stepId, await ctx.runner.formFields(stepId), given);
  if (problem) throw new UsageError(problem, { help: false });
  return values;
}
