import { parse } from 'yaml';
import type { ClusterName } from '../contracts.js';
import { git } from './git.js';

/** The four service images whose tags the values-tags files hold, keyed like `readValuesTags` answers. */
export const SERVICE_IMAGES = [
  'lendos-portal-backend',
  'lendos-portal-frontend',
  'signing-portal-backend',
  'signing-portal-frontend',
] as const;

/** Tags the seeded staging and production values-tags files deploy (release 2025.3.0); ECR must hold them. */
export const SEEDED_SERVICE_TAGS: Readonly<Record<(typeof SERVICE_IMAGES)[number], string>> = {
  'lendos-portal-backend': 'v0.0.812',
  'lendos-portal-frontend': 'v0.0.548',
  'signing-portal-backend': 'v0.0.806',
  'signing-portal-frontend': 'v0.0.541',
};

/** Tags deployed before release 2025.3.0, present in the workloads history. */
export const PREVIOUS_SERVICE_TAGS: Readonly<Record<(typeof SERVICE_IMAGES)[number], string>> = {
  'lendos-portal-backend': 'v0.0.779',
  'lendos-portal-frontend': 'v0.0.531',
  'signing-portal-backend': 'v0.0.771',
  'signing-portal-frontend': 'v0.0.526',
};

export function valuesTagsFile(cluster: ClusterName | 'dev'): string {
  return `values-tags-${cluster}.yaml`;
}

function collectTags(node: unknown, path: string[], into: Record<string, string>): void {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return;
  const record = node as Record<string, unknown>;
  const image = record['image'];
  if (image && typeof image === 'object' && typeof (image as Record<string, unknown>)['tag'] === 'string') {
    into[path.join('-')] = (image as Record<string, string>)['tag'] as string;
  }
  for (const [key, value] of Object.entries(record)) {
    if (key !== 'image') collectTags(value, [...path, key], into);
  }
}

/** Flattens a values-tags document to `{ 'lendos-portal-backend': 'v0.0.812', … }`. */
export function parseValuesTags(text: string): Record<string, string> {
  const tags: Record<string, string> = {};
  collectTags(parse(text) as unknown, [], tags);
  return tags;
}

/** Reads the image tags of a cluster from the workloads repository's `main` branch. */
export async function readValuesTags(
  workloadsBareRepo: string,
  cluster: ClusterName | 'dev',
  branch = 'main',
): Promise<Record<string, string>> {
  const text = await git(['show', `${branch}:${valuesTagsFile(cluster)}`], { cwd: workloadsBareRepo });
  return parseValuesTags(text);
}
