/** Imported first by the entry, so activation time includes loading the bundle. */
export const loadStartedAt = performance.now();
