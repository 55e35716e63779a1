/** values-tags against ECR: facts of a tag for the hover, and the checker the editor's diagnostics and the CLI share. */
export { ASK_TIMEOUT_MS, EcrFacts, FACTS_TTL_MS, isRepositoryMissing, LIST_TIMEOUT_MS, type TagFacts } from './ecr-facts.js';
export { checkValuesTags, type CheckInput } from './check.js';
