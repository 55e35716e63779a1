/**
 * The steps that have an executor, known without loading them (activation stays light). `test/unit/automated.test.ts`
 * checks this list against the executors themselves.
 */
export const AUTOMATED_STEPS: readonly (string | RegExp)[] = [
  'prep.cut-release-branch',
  'prep.bump-version',
  'prep.upgrade-branch',
  'prep.upgrade-images',
  'staging.preflight',
  'staging.merge-to-main',
  'staging.identify-tags',
  /^(staging|production)\.values-tags$/,
  /^(staging|production)\.upgrade\.(prerequisites|scale-down|canton-restart|snapshot|run|argocd-sync|scale-up|validate)$/,
  /^(staging|production)\.upgrade\.stage\.[a-z-]+$/,
  'staging.smoke-approval',
  'production.smoke-test',
  'production.gitflow',
  'dev.changelog',
  'dev.image-tags',
  'dev.sync-apps',
  /^(staging|production)\.recovery\.restart-backends$/,
  /^(staging|production)\.rollback\.(stop-services|choose-snapshot|rename-cluster|restore-cluster|revert-values-tags|argocd-sync|scale-up|validate)$/,
];
