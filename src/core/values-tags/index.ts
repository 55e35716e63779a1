/** values-tags files: where the image tags are, and the exact edit of them (pure; the `yaml` parser only reads). */
export { locateTags, positionOf, type LocatedTags, type Quote, type TagSite, type YamlProblem } from './locate.js';
export { applyTagEdits, tagProblem, type TagChange } from './edit.js';
export { ecrRepositoryOf, siteOf, tagsBySite } from './services.js';
