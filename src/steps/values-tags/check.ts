/** Checks a values-tags file against ECR and the release's recorded tags: the diagnostics the editor and the CLI show. */
import { messageOf } from '../../core/errors.js';
import { diagnose, type RepositoryAnswer, type TagDiagnostic } from '../../core/values-tags/diagnose.js';
import type { RecordedTag } from '../../core/values-tags/facts.js';
import { locateTags } from '../../core/values-tags/locate.js';
import { tagsToAsk } from '../../core/values-tags/diagnose.js';
import { isRepositoryMissing, type EcrFacts } from './ecr-facts.js';

export interface CheckInput {
  readonly text: string;
  readonly facts: EcrFacts;
  /** Service image → the tag the active release recorded (2.2). */
  readonly recorded: Readonly<Record<string, RecordedTag>>;
  /** Service image → ECR repository (config `ecr.serviceRepositories`), for sites without a `repository:` value. */
  readonly configured: Readonly<Record<string, string>>;
}

async function answerOf(facts: EcrFacts, repository: string, tags: readonly string[]): Promise<RepositoryAnswer> {
  try {
    return { kind: 'images', found: await facts.describe(repository, tags) };
  } catch (error) {
    if (isRepositoryMissing(error)) {
      return { kind: 'repository-missing', message: `ECR has no repository ${repository}: check the image's repository: value or the setting lendos.ecr.serviceRepositories.` };
    }
    return { kind: 'unavailable', message: messageOf(error) };
  }
}

export async function checkValuesTags(input: CheckInput): Promise<TagDiagnostic[]> {
  const located = locateTags(input.text);
  if (located.problems.length > 0) return diagnose({ ...input, located, answers: new Map() });
  const asks = [...tagsToAsk(located, input.configured)];
  const answers = new Map(await Promise.all(asks.map(async ([repository, tags]) => [repository, await answerOf(input.facts, repository, tags)] as const)));
  return diagnose({ text: input.text, located, answers, recorded: input.recorded, configured: input.configured });
}
