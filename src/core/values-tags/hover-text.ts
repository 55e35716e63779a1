/**
 * The hover of an image tag as Markdown: every string from ECR or the file is escaped, and the only command link is
 * the copy of the image URI (the hover trusts that one command alone).
 */
import { escapeMarkdown } from '../text.js';
import type { ImageFacts } from './facts.js';

export const COPY_IMAGE_URI_COMMAND = 'lendos.copyImageUri';

export interface HoverInput {
  readonly service: string;
  readonly facts: ImageFacts;
  /** `<registry>/<repository>:<tag>`. */
  readonly imageUri: string;
  readonly counting: boolean;
  readonly countError?: string;
}

const e = escapeMarkdown;

export function sizeText(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(2)} GB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${(bytes / 1024).toFixed(1)} kB`;
}

function utc(iso: string): string {
  const at = Date.parse(iso);
  return Number.isNaN(at) ? iso : `${new Date(at).toISOString().replace('T', ' ').slice(0, 19)} UTC`;
}

function standingLine(input: HoverInput): string {
  const { standing } = input.facts;
  if (standing) {
    const newest = `newest: ${e(standing.newestTags.join(', ') || 'untagged')} (pushed ${e(utc(standing.newestPushedAt))})`;
    const newer = standing.newerBuilds === 0 ? 'this is the newest build' : `${standing.newerBuilds} build${standing.newerBuilds === 1 ? '' : 's'} newer`;
    return `- Repository: ${newer}; ${newest}`;
  }
  if (input.countError !== undefined) return `- Repository: newer builds not known (${e(input.countError)})`;
  return input.counting ? '- Repository: counting newer builds…' : '';
}

function recordedLine(facts: ImageFacts): string {
  const { recorded } = facts;
  if (!recorded) return '';
  if (recorded.tag === facts.tag) return `- ✔ The tag release ${e(recorded.release)} recorded for this service (2.2)`;
  return `- ⚠ Release ${e(recorded.release)} recorded ${e(recorded.tag)} for this service (2.2), not this tag`;
}

function copyLink(imageUri: string): string {
  const args = encodeURIComponent(JSON.stringify([imageUri]));
  return `[Copy image URI](command:${COPY_IMAGE_URI_COMMAND}?${args}) ${e(imageUri)}`;
}

export function hoverMarkdown(input: HoverInput): string {
  const { facts } = input;
  const title = `**${e(input.service)}** ${e(facts.tag)} · ECR ${e(facts.repository)}`;
  const image = facts.image;
  if (!image) return [title, '', `**Not in ECR:** no image of ${e(facts.repository)} has the tag ${e(facts.tag)}.`, recordedLine(facts)].filter(Boolean).join('\n');
  const lines = [
    `- Pushed: ${e(utc(image.pushedAt))}`,
    `- Digest: ${e(image.digest)}`,
    `- Size: ${e(sizeText(image.sizeBytes))}`,
    `- Other tags on this digest: ${facts.otherTags.length > 0 ? e(facts.otherTags.join(', ')) : input.counting ? 'counting…' : 'none'}`,
    standingLine(input),
    recordedLine(facts),
  ].filter(Boolean);
  return [title, '', ...lines, '', copyLink(input.imageUri)].join('\n');
}

/** The hover when ECR could not be asked (credentials, network): what happened and how to log in, as the adapter says. */
export function unavailableMarkdown(service: string, tag: string, repository: string, message: string): string {
  return [`**${e(service)}** ${e(tag)} · ECR ${e(repository)}`, '', `ECR could not be asked: ${e(message)}`].join('\n');
}
