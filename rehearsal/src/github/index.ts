export { startGitHubServer } from './server.js';
export type { GitHubServerOptions, RunningGitHubServer } from './server.js';
export { PRODUCT_APPROVAL_DELAY_MS } from './routes-reviews.js';
export { SERVICE_BUILDS, nextServiceTag } from './main-build.js';
