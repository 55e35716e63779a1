/**
 * The problems of a values-tags file against ECR and the release's recorded tags: a tag its repository does not have
 * (error), a tag pushed before the one the release recorded for that service (warning), ECR that could not be asked
 * (one note for the whole file), malformed YAML (one error where the parser stopped). Pure: ECR's answers come in.
 */
import type { RecordedTag, RegistryImage } from './facts.js';
import { splitRepositoryUri } from './facts.js';
import { positionOf, type LocatedTags, type TagSite } from './locate.js';

export type Severity = 'error' | 'warning' | 'info';

export interface TagDiagnostic {
  readonly severity: Severity;
  readonly message: string;
  /** Offsets in the file's text, and the 1-based line and column of the start. */
  readonly start: number;
  readonly end: number;
  readonly line: number;
  readonly column: number;
  readonly code: 'yaml' | 'tag-missing' | 'tag-older' | 'repository-missing' | 'ecr-unavailable' | 'repository-unknown';
  readonly service?: string;
  /** The tag a quick fix writes instead (the release's recorded tag). */
  readonly fix?: string;
}

/** What ECR answered for one repository's tags. */
export type RepositoryAnswer =
  | { readonly kind: 'images'; readonly found: ReadonlyMap<string, RegistryImage> }
  | { readonly kind: 'repository-missing'; readonly message: string }
  /** Credentials missing or expired, ECR unreachable: nothing can be said about any tag. */
  | { readonly kind: 'unavailable'; readonly message: string };

/** `<account>.dkr.ecr.<region>.amazonaws.com` (and `.com.cn`): an ECR registry; any other registry is not ours to check. */
const ECR_REGISTRY = /^\d{12}\.dkr\.ecr(-fips)?\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/;

/**
 * The ECR repository of a site: its `repository:` value (a bare name, or an ECR registry's image), else the configured
 * repository of its service; undefined for another registry's image (Docker Hub, quay.io, …) or a site without either.
 */
export function repositoryOfSite(site: TagSite, configured: Readonly<Record<string, string>>): string | undefined {
  if (!site.repository) return configured[site.service];
  const { registry, repository } = splitRepositoryUri(site.repository);
  return registry === undefined || ECR_REGISTRY.test(registry) ? repository : undefined;
}

function at(site: TagSite): Pick<TagDiagnostic, 'start' | 'end' | 'line' | 'column' | 'service'> {
  return { start: site.start, end: site.end, line: site.line, column: site.column, service: site.service };
}

function siteDiagnostic(site: TagSite, repository: string, answer: RepositoryAnswer, recorded: RecordedTag | undefined): TagDiagnostic | undefined {
  const fix = recorded && recorded.tag !== site.tag ? recorded.tag : undefined;
  const fixing = fix ? { fix } : {};
  if (answer.kind === 'repository-missing') return { severity: 'error', code: 'repository-missing', message: answer.message, ...at(site) };
  if (answer.kind !== 'images') return undefined;
  const image = answer.found.get(site.tag);
  if (!image) {
    const hint = fix ? ` Release ${recorded?.release} recorded ${fix} (2.2).` : '';
    return { severity: 'error', code: 'tag-missing', message: `${site.tag} is not in ECR ${repository}: no image has this tag.${hint}`, ...at(site), ...fixing };
  }
  if (!fix || !recorded?.pushedAt || Date.parse(image.pushedAt) >= Date.parse(recorded.pushedAt)) return undefined;
  return {
    severity: 'warning',
    code: 'tag-older',
    message: `${site.tag} was pushed ${image.pushedAt}, before ${fix}, the tag release ${recorded.release} recorded for ${site.service} (2.2, pushed ${recorded.pushedAt}).`,
    ...at(site),
    ...fixing,
  };
}

/** The repositories whose tags must be asked, each with its tags. */
export function tagsToAsk(located: LocatedTags, configured: Readonly<Record<string, string>>): Map<string, string[]> {
  const asks = new Map<string, string[]>();
  for (const site of located.sites) {
    const repository = repositoryOfSite(site, configured);
    if (!repository) continue;
    const tags = asks.get(repository) ?? [];
    if (!tags.includes(site.tag)) tags.push(site.tag);
    asks.set(repository, tags);
  }
  return asks;
}

export interface DiagnoseInput {
  readonly text: string;
  readonly located: LocatedTags;
  readonly answers: ReadonlyMap<string, RepositoryAnswer>;
  readonly recorded: Readonly<Record<string, RecordedTag>>;
  readonly configured: Readonly<Record<string, string>>;
}

function yamlDiagnostic(text: string, located: LocatedTags): TagDiagnostic | undefined {
  const [problem] = located.problems;
  if (!problem) return undefined;
  const lineStart = text.split('\n').slice(0, problem.line - 1).reduce((n, l) => n + l.length + 1, 0);
  const start = Math.min(text.length, lineStart + problem.column - 1);
  return { severity: 'error', code: 'yaml', message: `Not valid YAML: ${problem.message}`, start, end: start, line: problem.line, column: problem.column };
}

/** Every diagnostic of the file, in file order; ECR trouble is said once, at the first tag (or the file's start). */
export function diagnose(input: DiagnoseInput): TagDiagnostic[] {
  const yaml = yamlDiagnostic(input.text, input.located);
  if (yaml) return [yaml];
  const out: TagDiagnostic[] = [];
  let unavailable: string | undefined;
  for (const site of input.located.sites) {
    const repository = repositoryOfSite(site, input.configured);
    if (!repository) {
      // Another registry's image is not ours to check; a tag with no repository at all is worth a word.
      if (!site.repository) out.push({ severity: 'info', code: 'repository-unknown', message: `${site.service} has no repository: value and no configured ECR repository (ecr.serviceRepositories); its tag is not checked.`, ...at(site) });
      continue;
    }
    const answer = input.answers.get(repository);
    if (answer?.kind === 'unavailable') unavailable ??= answer.message;
    const found = answer ? siteDiagnostic(site, repository, answer, input.recorded[site.service]) : undefined;
    if (found) out.push(found);
  }
  if (unavailable !== undefined) {
    const first = input.located.sites[0];
    const where = first ? at(first) : { start: 0, end: 0, ...positionOf(input.text, 0) };
    out.unshift({ severity: 'info', code: 'ecr-unavailable', message: `The tags were not checked in ECR: ${unavailable}`, ...where });
  }
  return out;
}
