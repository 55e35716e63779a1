export { createRemotes, cloneWorkspace, writeScenarioFaults, defaultFixturesDir, FAULTS_FILE } from './remotes.js';
export type { Remotes, RemotesOptions, CloneOptions } from './remotes.js';
export { readValuesTags, parseValuesTags, valuesTagsFile, SERVICE_IMAGES, SEEDED_SERVICE_TAGS, PREVIOUS_SERVICE_TAGS } from './values-tags.js';
export { git, gitResult, GitError } from './git.js';
export { PEOPLE } from './identities.js';
