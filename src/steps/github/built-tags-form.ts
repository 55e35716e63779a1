/**
 * 2.2's confirmation: one field per service image, proposed with the tag the main build pushed (its push time, run
 * and digest beside it), and a reason that a changed tag needs. A changed tag is checked in ECR and recorded as an
 * override with what was found and why — never silently.
 */
import { defaultConfig } from '../../core/config/defaults.js';
import { UserError } from '../../core/errors.js';
import type { JsonValue } from '../../core/journal/types.js';
import type { FormField } from '../../engine/step-types.js';
import type { Ecr, EcrImage, WorkflowRunInfo } from '../../ports.js';
import type { BuiltImageMatch } from './built-tags-match.js';
import type { GitHubStepContext } from './context.js';
import { short } from './follow-build.js';

/** The service images of the runbook (config `ecr.serviceRepositories`): what `--set` may name, with `reason`. */
export const SERVICE_IMAGES: readonly string[] = Object.keys(defaultConfig().ecr.serviceRepositories);
export const REASON_FIELD = 'reason';

/** What was found for one service image in its ECR repository. */
export interface Finding {
  readonly image: string;
  readonly repository: string;
  readonly match: BuiltImageMatch;
}

export interface ChosenTag {
  readonly tag: string;
  readonly digest: string;
  readonly pushedAt: string;
  readonly repository: string;
  /** Set when the person named another tag than the one found: what was found (null: none) and why. */
  readonly override?: { readonly found: string | null; readonly reason: string };
}

/** ECR's rule for a tag. */
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/** "14:02:11 UTC"; with the date when `withDate`. */
export function utc(iso: string, withDate = false): string {
  const at = new Date(iso).toISOString();
  return `${withDate ? `${at.slice(0, 10)} ` : ''}${at.slice(11, 19)} UTC`;
}

const digestShort = (digest: string) => `${digest.slice(0, 'sha256:'.length + 12)}…`;

export function listed(images: readonly EcrImage[]): string {
  return images.length === 0
    ? 'none'
    : images.map((i) => `${i.tag} (pushed ${utc(i.pushedAt, true)}, ${digestShort(i.digest)})`).join(', ');
}

const foundTag = (finding: Finding) => (finding.match.kind === 'found' ? finding.match.image.tag : undefined);

function sourceOf(finding: Finding): string {
  const { match, repository } = finding;
  if (match.kind === 'found') {
    const run: WorkflowRunInfo = match.run;
    return `ECR ${repository}, pushed ${utc(match.image.pushedAt)} during ${run.name} run ${run.id}, digest ${digestShort(match.image.digest)}`;
  }
  return `ECR ${repository}: ${match.kind === 'none' ? 'no image of this build' : `cannot tell which (${listed(match.candidates)})`}`;
}

function fieldOf(finding: Finding): FormField {
  return {
    id: finding.image,
    label: finding.image,
    value: foundTag(finding) ?? '',
    source: sourceOf(finding),
    validate: (value) => {
      if (value.trim() === '')
        return `no image of ${finding.repository} was found for this build: type the tag to use, and say why under Reason`;
      return TAG.test(value.trim())
        ? undefined
        : 'an ECR tag: letters, digits, _ . - (up to 128), e.g. v0.0.830';
    },
  };
}

/** The form: one field per service image, then the reason (needed only when a tag is changed). */
export function tagFields(findings: readonly Finding[]): FormField[] {
  return [
    ...findings.map(fieldOf),
    {
      id: REASON_FIELD,
      label: 'Reason (only when you change a tag)',
      value: '',
      source: 'recorded in the journal with each changed tag',
    },
  ];
}

/** Why a service has no tag to propose, with the candidates and their push times, and what to do. */
export function unresolvedMessage(
  findings: readonly Finding[],
  sha: string,
  runs: readonly WorkflowRunInfo[],
): string {
  const lines = findings.flatMap(({ image, repository, match }) => {
    if (match.kind === 'found') return [];
    const window = `${utc(new Date(match.window.from).toISOString())}–${utc(new Date(match.window.to).toISOString())}`;
    if (match.kind === 'none') {
      return [
        `${image}: no image built for ${short(sha)} — no image of its own was pushed to ECR ${repository} while the build ran (${window}); newest there: ${listed(match.candidates)}.`,
      ];
    }
    return [
      `${image}: cannot tell which image the build of ${short(sha)} pushed to ECR ${repository} (${window}): ${match.why}; candidates: ${listed(match.candidates)}.`,
    ];
  });
  const logs = runs.map((run) => `${run.name} ${run.url}`).join(', ');
  return (
    `${lines.join(' ')} Check the build's log (${logs}) for the push of ${lines.length === 1 ? 'that service' : 'those services'}: ` +
    'a service the build did not change gets no new image. Then run this step again and name the tag yourself ' +
    '(type it in the form, or --set IMAGE=TAG --set reason="…"); it is checked in ECR and recorded as an override.'
  );
}

function chosenOf(image: EcrImage, repository: string, override?: ChosenTag['override']): ChosenTag {
  return {
    tag: image.tag,
    digest: image.digest,
    pushedAt: image.pushedAt,
    repository,
    ...(override ? { override } : {}),
  };
}

/** A changed tag: given a reason, and in ECR; otherwise refused with what to do. */
async function overridden(ecr: Ecr, finding: Finding, tag: string, reason: string): Promise<ChosenTag> {
  const found = foundTag(finding) ?? null;
  const instead = found ? ` instead of ${found} (found for this build)` : '';
  if (!reason) {
    throw new UserError(
      `${finding.image}: you named ${tag}${instead}; say why in the Reason field (--set reason="…") so the journal keeps it. Nothing was recorded.`,
      'override-reason-missing',
    );
  }
  const [image] = await ecr.describeImages(finding.repository, [tag]);
  if (!image) {
    throw new UserError(
      `${finding.image}: ECR ${finding.repository} has no tag ${tag}. Name a tag that was pushed there${found ? `, or keep ${found}` : ''}. Nothing was recorded.`,
      'tag-not-in-ecr',
    );
  }
  return chosenOf(image, finding.repository, { found, reason });
}

export type Confirmation =
  | { readonly kind: 'confirmed'; readonly tags: Record<string, ChosenTag> }
  | { readonly kind: 'declined' }
  /** A service has no image of the build and the person named none: why, with the candidates. */
  | { readonly kind: 'unresolved'; readonly message: string };

/**
 * Asks the form and answers the tag of each service image. Throws (nothing recorded) when a changed tag has no reason
 * or is not in ECR.
 */
export async function confirmTags(
  ctx: GitHubStepContext,
  ecr: Ecr,
  build: {
    readonly sha: string;
    readonly runs: readonly WorkflowRunInfo[];
    readonly findings: readonly Finding[];
  },
): Promise<Confirmation> {
  const { sha, runs, findings } = build;
  const answers = await ctx.prompt.form(
    `Image tags built from ${short(sha)} on main (2.2)`,
    tagFields(findings),
  );
  if (!answers) {
    const unresolved = findings.some((f) => f.match.kind !== 'found');
    return unresolved
      ? { kind: 'unresolved', message: unresolvedMessage(findings, sha, runs) }
      : { kind: 'declined' };
  }
  const reason = (answers[REASON_FIELD] ?? '').trim();
  const tags: Record<string, ChosenTag> = {};
  for (const finding of findings) {
    const tag = (answers[finding.image] ?? '').trim();
    const { match } = finding;
    tags[finding.image] =
      match.kind === 'found' && match.image.tag === tag
        ? chosenOf(match.image, finding.repository)
        : await overridden(ecr, finding, tag, reason);
  }
  return { kind: 'confirmed', tags };
}

/** The tags as journal evidence (what the values-tags steps read). */
export function tagsEvidence(tags: Readonly<Record<string, ChosenTag>>): Record<string, JsonValue> {
  return Object.fromEntries(
    Object.entries(tags).map(([image, t]) => [
      image,
      {
        tag: t.tag,
        digest: t.digest,
        pushedAt: t.pushedAt,
        repository: t.repository,
        ...(t.override ? { override: { ...t.override } } : {}),
      },
    ]),
  );
}
