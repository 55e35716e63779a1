/**
 * Which tag site of a values-tags file is which service image: found by name (the keys above `image:`), or by a
 * configured dotted path when the file's keys spell it otherwise; and the ECR repository each tag must exist in.
 */
import { UserError } from '../errors.js';
import { splitRepositoryUri } from './facts.js';
import type { TagSite } from './locate.js';

/** The tags by the names `applyTagEdits` finds their sites under: a service with a configured path takes its site's. */
export function tagsBySite(
  file: string,
  sites: readonly TagSite[],
  tags: Readonly<Record<string, string>>,
  paths: Readonly<Record<string, string>>,
): Record<string, string> {
  const bySite: Record<string, string> = {};
  for (const [service, tag] of Object.entries(tags)) {
    const path = paths[service];
    if (path === undefined) {
      bySite[service] = tag;
      continue;
    }
    const site = sites.find((s) => s.path.join('.') === path);
    if (!site) {
      throw new UserError(
        `${file} has no tag at ${path}, the path configured for ${service} (valuesTagsPaths). Correct the path, or remove it to find the service by name; nothing was changed.`,
        'values-tags-service',
      );
    }
    bySite[site.service] = tag;
  }
  return bySite;
}

/** The site holding a service's tag (by its configured path, else by name). */
export function siteOf(sites: readonly TagSite[], service: string, paths: Readonly<Record<string, string>>): TagSite | undefined {
  const path = paths[service];
  return path === undefined ? sites.find((s) => s.service === service) : sites.find((s) => s.path.join('.') === path);
}

/**
 * The ECR repository of a service's tag: the site's `repository:` without its registry host
 * (`381492038457.dkr.ecr.us-east-1.amazonaws.com/right-pedal/x` → `right-pedal/x`), else the configured one, else
 * `right-pedal/<service>`.
 */
export function ecrRepositoryOf(service: string, site: TagSite | undefined, configured: Readonly<Record<string, string>>): string {
  if (site?.repository) return splitRepositoryUri(site.repository).repository;
  return configured[service] ?? `right-pedal/${service}`;
}
