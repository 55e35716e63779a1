/** values-tags files: where the image tags are, and the exact edit of them (pure; the `yaml` parser only reads). */
export { locateTags, positionOf, type LocatedTags, type Quote, type TagSite, type YamlProblem } from './locate.js';
export { applyTagEdits, tagProblem, tagReplacements, type Replacement, type TagChange } from './edit.js';
export { BUILT_TAGS_STEP, factsOf, recordedTagsOf, recordedTagsOfPlan, splitRepositoryUri, standingOf, type ImageFacts, type RecordedTag, type RegistryImage, type RepositoryStanding } from './facts.js';
export { diagnose, repositoryOfSite, tagsToAsk, type DiagnoseInput, type RepositoryAnswer, type Severity, type TagDiagnostic } from './diagnose.js';
export { COPY_IMAGE_URI_COMMAND, hoverMarkdown, sizeText, unavailableMarkdown, type HoverInput } from './hover-text.js';
export { ecrRepositoryOf, siteOf, tagsBySite } from './services.js';
