/** values-tags against ECR: facts of a tag for the hover, and the checker the editor's diagnostics and the CLI share. */
export { EcrFacts, FACTS_TTL_MS, isRepositoryMissing, type TagFacts } from './ecr-facts.js';
export { checkValuesTags, type CheckInput } from './check.js';
