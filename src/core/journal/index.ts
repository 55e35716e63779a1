export * from './types.js';
export { parseJournal, formatEvent } from './parse.js';
export { foldJournal, stepState } from './fold.js';
